import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models import Case, IntegerField, Value, When

from core.pagination import CachedCountPaginator
from registry import search
from registry.models import Product

PER_PAGE = 24


def _like_search(queryset, query):
    """The search before the full-text index (a LIKE per word over every product),
    rebuilt here so both are timed side by side on the same data and the same load."""
    words = search.terms(query)
    for word in words:
        queryset = queryset.filter(search_text__contains=f" {word}")
    return queryset.annotate(
        search_rank=Case(
            When(search_exact__contains=search.normalise(query), then=Value(2)),
            When(search_text__contains=f" {' '.join(words)}", then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


class Command(BaseCommand):
    help = (
        "Bench databases only: the SQL that picks a catalogue page's product ids, timed "
        "in this process (median of --runs), before and after the full-text index and "
        "keyset paging: page 1, page N by OFFSET and by cursor, searches by LIKE and by "
        "the index, and their counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=9)
        parser.add_argument("--page", type=int, default=1500)
        parser.add_argument("--query", action="append", default=None)

    def handle(self, *args, runs, page, query, **options):
        public = Product.objects.public()
        catalogue = public.sorted_by("name")
        paginator = CachedCountPaginator(catalogue, PER_PAGE, count_key="bench:name")
        deep = paginator.get_page(page - 1)
        order = paginator._order()
        after = paginator._beyond(order, paginator._decode(deep.next_cursor, order), True)
        cases = {
            "catalogue page 1 ids": paginator._keys(catalogue)[:PER_PAGE],
            f"page {page} ids by OFFSET": paginator._keys(catalogue)[
                (page - 1) * PER_PAGE : page * PER_PAGE
            ],
            f"page {page} ids by cursor": paginator._keys(catalogue.filter(after))[:PER_PAGE],
        }
        for words in query or ["hoai duc", "tra sen", "gao"]:
            before = _like_search(public, words).sorted_by("name", ranked=True)
            now = public.search(words).sorted_by("name", ranked=True)
            cases[f"search '{words}' ids, LIKE (before)"] = before.values_list("pk")[:PER_PAGE]
            cases[f"search '{words}' ids, index"] = now.values_list("pk")[:PER_PAGE]
            deep_rows = slice(199 * PER_PAGE, 200 * PER_PAGE)
            cases[f"search '{words}' page 200, LIKE (before)"] = before.values_list("pk")[deep_rows]
            cases[f"search '{words}' page 200, index"] = now.values_list("pk")[deep_rows]
            cases[f"search '{words}' count, LIKE (before)"] = before.values("pk")
            cases[f"search '{words}' count, index"] = now.values("pk")
        self.stdout.write(f"{connection.vendor}, {public.count():,} public products")
        # Round after round of every case, so a busy moment of the machine falls on all.
        prepared = {}
        for label, queryset in cases.items():
            sql, params = queryset.query.sql_with_params()
            if "count" in label:
                sql = f"SELECT COUNT(*) FROM ({sql}) counted"
            prepared[label] = (sql, params)
        times = {label: [] for label in cases}
        shown = {}
        with connection.cursor() as cursor:
            for _ in range(runs):
                for label, (sql, params) in prepared.items():
                    start = time.perf_counter()
                    cursor.execute(sql, params)
                    rows = cursor.fetchall()
                    times[label].append((time.perf_counter() - start) * 1000)
                    shown[label] = rows[0][0] if "count" in label else len(rows)
        for label, spent in times.items():
            self.stdout.write(
                f"  {label:<42} median {statistics.median(spent):7.1f} ms  "
                f"min {min(spent):7.1f} ms  ({shown[label]} rows)"
            )
