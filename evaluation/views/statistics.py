import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from evaluation import statistics
from evaluation.models import OfficialRole


def _is_official(user) -> bool:
    return user.is_superuser or OfficialRole.objects.filter(user=user).exists()


def public_statistics(request):
    return render(
        request,
        "evaluation/statistics.html",
        {"tables": statistics.public_tables(), "official": False},
    )


@login_required
def official_statistics(request):
    if not _is_official(request.user):
        raise Http404
    return render(
        request,
        "evaluation/statistics.html",
        {
            "tables": statistics.public_tables() + statistics.official_tables(),
            "progress": statistics.progress(),
            "official": True,
        },
    )


def statistics_csv(request, key):
    tables = statistics.public_tables()
    if request.user.is_authenticated and _is_official(request.user):
        tables += statistics.official_tables()
    table = next((t for t in tables if t.key == key), None)
    if table is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ocop-{key}.csv"'
    response.write("\ufeff")  # so that Excel reads the Vietnamese text as UTF-8
    writer = csv.writer(response)
    writer.writerow([str(table.title), "n"])
    writer.writerows(table.rows)
    return response
