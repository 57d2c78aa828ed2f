import csv

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from core import caching, page_cache
from core.page_cache import public_page
from core.spreadsheets import safe_text
from evaluation import statistics
from evaluation.access import is_official


def _public_tables():
    """The public figures change only with public data: kept until it changes (the data
    version is in the key), at most STATISTICS_SECONDS; saves five aggregates a visit."""
    seconds = settings.STATISTICS_SECONDS
    if not seconds:
        return statistics.public_tables()
    key = f"public-statistics:{timezone.localdate()}:{page_cache.version()}:{get_language()}"
    return caching.get_or_make(key, statistics.public_tables, seconds)


@public_page
def public_statistics(request):
    return render(
        request,
        "evaluation/statistics.html",
        {"tables": _public_tables(), "official": False},
    )


@login_required
def official_statistics(request):
    if not is_official(request.user):
        raise Http404
    return render(
        request,
        "evaluation/statistics.html",
        {
            "tables": _public_tables() + statistics.official_tables(),
            "progress": statistics.progress(),
            "official": True,
        },
    )


def _table(request, key):
    tables = _public_tables()
    if request.user.is_authenticated and is_official(request.user):
        tables += statistics.official_tables()
    table = next((t for t in tables if t.key == key), None)
    if table is None:
        raise Http404
    return table


def statistics_xlsx(request, key):
    from openpyxl import Workbook

    table = _table(request, key)
    book = Workbook()
    sheet = book.active
    sheet.title = key[:31]
    sheet.append([safe_text(str(table.title)), "n"])
    for label, count in table.rows:
        sheet.append([safe_text(label), count])
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="ocop-{key}.xlsx"'
    book.save(response)
    return response


def statistics_csv(request, key):
    table = _table(request, key)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ocop-{key}.csv"'
    response.write("\ufeff")  # so that Excel reads the Vietnamese text as UTF-8
    writer = csv.writer(response)
    writer.writerow([safe_text(str(table.title)), "n"])
    writer.writerows([safe_text(label), count] for label, count in table.rows)
    return response
