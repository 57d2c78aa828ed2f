"""Issue 14, point 9: the import measured on messy lists and on big files.

Through the real pages (the test client, all middleware and templates), as an
administrator, inside one transaction rolled back at the end: the database is left as it
was. For each of the eight lists (bench/messy_lists.py) as they are, and with the columns
renamed to the template: the answer of the upload (preview, refusal with its message, or a
server error), the rows that would import, the rows held with a reason, and, after a
partial confirmation, what was written. Then the preview and confirmation times of a
template-shaped file of 100, 1,000 and 10,000 rows (a file of more than INLINE_ROWS rows
is checked, then written, by jobs, run here as the worker would: the requests' times and
the jobs' are given, and the time of one page of the kept preview) and the preview time of
the same numbers of messy rows.

    manage.py import_bench [--sizes 100,1000,10000] [--folder /tmp/x] [--out docs/file.md]
"""

import io
import logging
import time
from collections import Counter
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse
from django.utils import translation

from bench import messy_lists
from evaluation.models import Rulebook
from imports import batches, checked
from imports.columns import COLUMNS
from imports.models import ImportBatch, PendingImport
from registry.models import AdministrativeUnit


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Measure the import on messy OCOP lists and on big files (rolled back at the end)."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="100,1000,10000")
        parser.add_argument("--folder", type=Path, default=Path("/tmp/ocop-import-bench"))
        parser.add_argument("--out", type=Path, default=None, help="also write the tables here")

    def handle(self, *args, sizes, folder, out, **options):
        if not Rulebook.objects.exists() or not AdministrativeUnit.objects.exists():
            raise CommandError("Load the reference data and the rulebooks first (load_demo).")
        sizes = [int(s) for s in sizes.split(",") if s.strip()]
        paths = messy_lists.build_all(folder)
        lines = []
        # The test client's instrumentation: the pages' context (counts, token) is read.
        setup_test_environment()
        logging.getLogger("django.request").setLevel(logging.ERROR)  # refusals are expected
        translation.activate("vi")
        try:
            with transaction.atomic():
                client = self._client()
                lines += self._lists(client, paths)
                lines += self._sizes(client, sizes)
                raise Rollback
        except Rollback:
            pass
        text = "\n".join(lines) + "\n"
        self.stdout.write(text)
        if out:
            out.write_text(text, encoding="utf-8")

    # -------------------------------------------------------------- helpers
    def _client(self):
        user = get_user_model().objects.create_superuser("import-bench", password=None)
        client = Client(raise_request_exception=False)
        client.force_login(user)
        return client

    def _upload(self, client, data: bytes, name: str):
        started = time.perf_counter()
        response = client.post(reverse("imports:upload"), {"file": SimpleUploadedFile(name, data)})
        return response, time.perf_counter() - started

    def _preview(self, client, data: bytes, name: str):
        """Upload; a big file's answer is the page following its check: run the check as
        the worker would, then open the preview. Returns the preview (or the upload's
        answer), the upload request's seconds and the job's (None: checked in the
        request)."""
        response, upload_seconds = self._upload(client, data, name)
        response, job_seconds = self._checked(client, response)
        return response, upload_seconds, job_seconds

    def _checked(self, client, response):
        if response.status_code != 302 or "/xem/" not in response.url:
            return response, None
        token = response.url.rstrip("/").split("/")[-1]
        item = PendingImport.objects.get(sha256=token, user__username="import-bench")
        started = time.perf_counter()
        checked.run(item.pk, item.stored_at.isoformat())  # what the worker would run
        job_seconds = time.perf_counter() - started
        return client.get(response.url), job_seconds

    def _page(self, client, token: str, number: int):
        """The seconds of one page of a checked preview (read from the kept rows)."""
        client.get(reverse("imports:preview", args=[token]))  # the first: menus warm
        started = time.perf_counter()
        response = client.get(reverse("imports:preview", args=[token]), {"trang": number})
        assert response.status_code == 200, response.status_code
        return time.perf_counter() - started

    def _confirm(self, client, token: str, partial: bool):
        started = time.perf_counter()
        response = client.post(
            reverse("imports:confirm"), {"token": token, **({"mode": "partial"} if partial else {})}
        )
        request_seconds = time.perf_counter() - started
        batch = ImportBatch.objects.filter(sha256=token).first()
        job_seconds = None
        if batch is not None and batch.status == "queued":
            started = time.perf_counter()
            batches.run(batch.pk)  # what the worker would run
            job_seconds = time.perf_counter() - started
            batch.refresh_from_db()
        return response, batch, request_seconds, job_seconds

    # -------------------------------------------------------------- the lists
    def _lists(self, client, paths):
        lines = [
            "| File | Answer | Rows | Would import | Held | Imported (partial) "
            "| Main reasons held |",
            "|---|---|---:|---:|---:|---:|---|",
        ]
        totals = Counter()
        for path in paths:
            # Each list on its own, as an office importing it for the first time: what one
            # list wrote is rolled back before the next (the renamed variant holds the same
            # products, which would otherwise be found already imported).
            try:
                with transaction.atomic():
                    self._list(client, path, totals, lines)
                    raise Rollback
            except Rollback:
                pass
        share = 100 * totals["imported"] / totals["rows"] if totals["rows"] else 0
        lines += [
            "",
            f"Files: {totals['files']}, refused whole: {totals['refused_files']}, server errors: "
            f"{totals['server_errors']}. Rows read: {totals['rows']}, imported: "
            f"{totals['imported']} ({share:.1f} %), held with a reason: {totals['bad']}.",
            "",
        ]
        return lines

    def _list(self, client, path, totals, lines):
        response, _seconds, _job = self._preview(client, path.read_bytes(), path.name)
        status = response.status_code
        totals["files"] += 1
        if status == 500:
            totals["server_errors"] += 1
            lines.append(f"| {path.name} | **500** | | | | | |")
            return
        if status != 200:
            form = response.context["form"] if response.context else None
            message = "; ".join(form.errors.get("file", [])) if form else ""
            totals["refused_files"] += 1
            lines.append(f"| {path.name} | refused ({status}) | | | | | {message[:140]} |")
            return
        answer = "preview"
        if "counts" not in response.context:
            # The column-mapping page: the official accepts its suggestions.
            answer = "columns → preview"
            suggested = {
                f"col-{column['index']}": column["key"] or ""
                for column in response.context["columns"]
            }
            response, _job = self._checked(
                client,
                client.post(
                    reverse("imports:columns"),
                    {"token": response.context["token"], **suggested},
                ),
            )
            if response.status_code == 500:
                totals["server_errors"] += 1
                lines.append(f"| {path.name} | **500** after the columns | | | | | |")
                return
            if "counts" not in response.context:
                totals["refused_files"] += 1
                lines.append(f"| {path.name} | columns: a field left to choose | | | | | |")
                return
        counts = response.context["counts"]
        rows, bad = counts["rows"], counts["bad"]
        reasons = response.context["reasons"]  # [reason, rows], the most rows first
        imported = 0
        if rows - bad:
            confirm, batch, _r, _j = self._confirm(client, response.context["token"], True)
            if confirm.status_code == 500:
                totals["server_errors"] += 1
            imported = batch.rows_done if batch and batch.status == "done" else 0
        totals["rows"] += rows
        totals["bad"] += bad
        totals["imported"] += imported
        top = "; ".join(f"{reason[:80]} ({n})" for reason, n in reasons[:2])
        lines.append(
            f"| {path.name} | {answer} | {rows} | {rows - bad} | {bad} | {imported} | {top} |"
        )

    # -------------------------------------------------------------- big files
    def _sizes(self, client, sizes):
        communes = list(
            AdministrativeUnit.objects.filter(level="commune", abolished_on__isnull=True)
            .order_by("code")
            .values_list("code", flat=True)[:500]
        )
        lines = [
            "| Rows | Upload request (s) | Preview job (s) | A page (s) | Confirm request (s) "
            "| Background job (s) | Imported | Messy rows: request + job (s) "
            "| Messy rows passing |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for n in sizes:
            data = _template_file(n, communes)
            response, upload_seconds, check_seconds = self._preview(client, data, f"mau-{n}.csv")
            if response.status_code != 200 or "counts" not in response.context:
                lines.append(f"| {n:,} | answer {response.status_code} | | | | | | | |")
                continue
            token = response.context["token"]
            page_seconds = self._page(client, token, max(1, response.context["pages"] // 2))
            confirm, batch, request_seconds, job_seconds = self._confirm(client, token, False)
            imported = batch.rows_done if batch and batch.status == "done" else 0
            messy, messy_upload, messy_job = self._preview(
                client, messy_lists.messy_rows(n), f"lon-xon-{n}.xlsx"
            )
            passing = (
                messy.context["counts"]["rows"] - messy.context["counts"]["bad"]
                if messy.status_code == 200 and "counts" in messy.context
                else f"answer {messy.status_code}"
            )
            lines.append(
                f"| {n:,} | {upload_seconds:.2f} | {_seconds(check_seconds, 1)} "
                f"| {page_seconds:.2f} | {request_seconds:.2f} | {_seconds(job_seconds, 1)} "
                f"| {imported:,} | {messy_upload:.1f} + {_seconds(messy_job, 1)} | {passing} |"
            )
        return lines


def _seconds(value, digits: int) -> str:
    return "— (in the request)" if value is None else f"{value:.{digits}f}"


def _template_file(n: int, communes: list[str]) -> bytes:
    """n good rows under the template's headers (a province's list already cleaned)."""
    headers = {c.key: c.header for c in COLUMNS}
    keys = [
        "registration_number",
        "producer_name",
        "producer_kind",
        "commune_code",
        "representative_name",
        "product_name",
        "product_set",
        "stars",
        "certificate_number",
        "certificate_issued_on",
        "issuing_level",
    ]
    buffer = io.StringIO()
    buffer.write(",".join(headers[k] for k in keys) + "\r\n")
    for i in range(n):
        values = [
            f"09{i:08d}",
            f"Hợp tác xã Thử tải số {i}",
            "Hợp tác xã",
            communes[i % len(communes)],
            "Nguyễn Thị Hoà",
            f"Gạo thử tải loại {i}",
            "3",
            "4",
            f"BENCH-{i:06d}",
            "15/08/2023",
            "Cấp tỉnh",
        ]
        buffer.write(",".join(values) + "\r\n")
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
