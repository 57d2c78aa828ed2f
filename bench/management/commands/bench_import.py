import json
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bench import data as bench_data
from imports import checked, pending
from imports.access import import_scope
from imports.apply import confirm
from imports.preview import preview_file


class _Undo(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Bench databases only: time the import of a file of N rows (preview, then confirm) "
        "as an administrator, then roll it back so the database stays as the bench built "
        "it. Prints JSON: seconds and queries of each step."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10000, help="Rows in the file (10,000).")

    def handle(self, *args, rows, **options):
        data = bench_data.import_file(rows)
        user = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
        scope = import_scope(user)
        out = {"rows": rows, "bytes": len(data)}
        try:
            with transaction.atomic():
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    preview = preview_file(data, f"bench-{rows}.csv", scope)
                    out["preview_seconds"] = round(time.perf_counter() - started, 2)
                out["preview_queries"] = len(queries)
                # What the preview job does after checking (keeps the rows as shown), and
                # what a page of the preview then costs (one page of the kept rows).
                started = time.perf_counter()
                item = pending.store(
                    user=user,
                    sha256=preview.sha256,
                    file_name=f"bench-{rows}.csv",
                    kind=preview.sheet.kind,
                    rows=preview.sheet.rows,
                    fingerprint=None,
                )
                checked.keep(item.pk, preview.plan, checked.summary_of(preview.plan))
                out["keep_seconds"] = round(time.perf_counter() - started, 2)
                item.refresh_from_db()
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    checked.page_of(item, 2)
                    out["page_seconds"] = round(time.perf_counter() - started, 3)
                out["page_queries"] = len(queries)
                out["clean"] = preview.plan.is_clean
                out["bad_rows"] = len(preview.plan.bad_rows)
                if not preview.plan.is_clean:
                    out["first_bad_rows"] = [str(r) for r in preview.plan.bad_rows[:3]]
                    raise _Undo
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    batch = confirm(
                        preview.sheet.rows,
                        scope=scope,
                        user=user,
                        file_name=f"bench-{rows}.csv",
                        sha256=preview.sha256,
                        expected_fingerprint=preview.plan.fingerprint,
                    )
                    out["confirm_seconds"] = round(time.perf_counter() - started, 2)
                out["confirm_queries"] = len(queries)
                out["products_created"] = batch.products_created
                raise _Undo
        except _Undo:
            pass
        self.stdout.write(json.dumps(out))
