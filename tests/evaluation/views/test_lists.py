"""The officials' lists: dossiers and certificates with search, filters, sort, paging
beyond 500 rows, CSV/XLSX exports of the whole filtered list, hostile filter values, and a
fixed number of queries per page at two sizes.

Today is Tuesday 1 December 2026.
"""

import csv
import io
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from evaluation import listing
from evaluation.models import Certificate, Dossier
from evaluation.validity import add_months
from registry.models import AdministrativeUnit, Product
from tests.factories import (
    ProducerFactory,
    ProductFactory,
    certify,
    district,
    give_result,
    make_dossier,
)

pytestmark = pytest.mark.django_db

S = Dossier.Status
TODAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.combine(TODAY, time(9)), tick=False):
        yield


def certificates_url(query=""):
    return reverse("evaluation:certificates") + query


def dossiers_url(query=""):
    return reverse("evaluation:dossiers") + query


def listed_certificates(response):
    assert response.status_code == 200
    return {row["certificate"].number for row in response.context["rows"]}


def listed_dossiers(response):
    assert response.status_code == 200
    return {row.dossier.pk for row in response.context["rows"]}


def far_commune():
    return AdministrativeUnit.objects.filter(level="commune", parent__code="33").first()


@pytest.fixture
def certified(cast):
    """Hà Nội's certificates in several states, and one of Hưng Yên's."""

    def make(name, stars=4, expires_in=400, producer=None, **kwargs):
        product = ProductFactory(
            name=name, stars=stars, certified=False, producer=producer or ProducerFactory()
        )
        expires = TODAY + timedelta(days=expires_in)
        certificate = certify(product, issued_on=add_months(expires, -36), **kwargs)
        Certificate.objects.filter(pk=certificate.pk).update(number=f"GCN-{name}")
        certificate.refresh_from_db()
        return certificate

    found = {
        "valid": make("Mien-Dong", 4, 400, unit=district("274"), level="district"),
        "expiring": make("Tra-Sen", 3, 150, unit=district("017"), level="district"),
        "late": make("Gao-Nep", 5, 100),
        "expired": make("Mat-Ong", 4, -10),
        "far": make(
            "Nhan-Long", 4, 400, producer=ProducerFactory(commune=far_commune(), district=None)
        ),
    }
    return found


@pytest.mark.parametrize(
    "who, offered", [("owner", False), ("member1", False), ("city_office", True)]
)
def test_the_certificate_list_offers_officials_pages_only_to_officials(
    as_user, cast, certified, who, offered
):
    """The decisions and the re-evaluation list answer 404 to anyone but an official: a
    producer or a council member is not shown links that lead nowhere."""
    body = as_user(cast[who]).get(reverse("evaluation:certificates")).content.decode()
    for name in ("evaluation:decisions", "evaluation:reevaluation"):
        assert (f'href="{reverse(name)}"' in body) is offered, name
        answer = as_user(cast[who]).get(reverse(name)).status_code
        assert answer == (200 if offered else 404), (name, answer)


def test_the_certificate_list_filters_on_state_stars_unit_search_and_late(as_user, cast, certified):
    client = as_user(cast["inspector"])
    every = listed_certificates(client.get(certificates_url()))
    assert every == {"GCN-Mien-Dong", "GCN-Tra-Sen", "GCN-Gao-Nep", "GCN-Mat-Ong"}
    assert listed_certificates(client.get(certificates_url("?trang-thai=expiring"))) == {
        "GCN-Tra-Sen"
    }
    assert listed_certificates(client.get(certificates_url("?trang-thai=expired"))) == {
        "GCN-Mat-Ong"
    }
    assert listed_certificates(client.get(certificates_url("?sao=5"))) == {"GCN-Gao-Nep"}
    unit = district("274").pk
    assert listed_certificates(client.get(certificates_url(f"?don-vi={unit}"))) == {"GCN-Mien-Dong"}
    # Accents or not, product or number.
    assert listed_certificates(client.get(certificates_url("?q=tra sen"))) == {"GCN-Tra-Sen"}
    assert listed_certificates(client.get(certificates_url("?q=GCN-Gao"))) == {"GCN-Gao-Nep"}
    # Late: still in force, its re-evaluation window closed (120 days before expiry).
    late = client.get(certificates_url("?han=qua-han"))
    assert listed_certificates(late) == {"GCN-Gao-Nep"}
    assert 'class="badge text-bg-danger">quá hạn</span>' in late.content.decode()


def test_certificate_badges_differ_by_meaning_and_link_pdf_check_and_product(
    as_user, cast, certified
):
    body = as_user(cast["inspector"]).get(certificates_url()).content.decode()
    assert "text-bg-success" in body and "text-bg-warning" in body and "text-bg-secondary" in body
    number = certified["valid"].number
    assert reverse("evaluation:certificate_pdf", args=[number]) in body
    assert reverse("evaluation:verify", args=[number]) in body
    assert reverse("catalogue:product", args=[certified["valid"].product.slug]) in body
    # A lapsed product is out of the catalogue: no link to a page that is not there.
    assert reverse("catalogue:product", args=[certified["expired"].product.slug]) not in body


def test_certificate_sort_is_whitelisted(as_user, cast, certified):
    client = as_user(cast["inspector"])
    by_expiry = client.get(certificates_url("?sap-xep=het-han"))
    numbers = [row["certificate"].number for row in by_expiry.context["rows"]]
    assert numbers == ["GCN-Mat-Ong", "GCN-Gao-Nep", "GCN-Tra-Sen", "GCN-Mien-Dong"]
    reverse_order = client.get(certificates_url("?sap-xep=-het-han"))
    assert [r["certificate"].number for r in reverse_order.context["rows"]] == numbers[::-1]
    hostile = client.get(certificates_url("?sap-xep=product__producer__users__password"))
    assert hostile.status_code == 200
    assert "không phải cách sắp xếp" in hostile.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "?trang-thai=<script>",
        "?sao=9",
        "?sao=-1",
        "?don-vi=999999999999999999999",
        "?don-vi=abc",
        "?dot=1 OR 1=1",
        "?han=yesterday",
        "?page=0",
        "?page=99999999999999",
        "?page=2",  # beyond the last page: the last page
        "?xuat=exe",
        "?q=" + "x" * 5000,
        "?q=%ff%fe%C0",
        "?sap-xep=",
    ],
)
@pytest.mark.parametrize("list_url", [certificates_url, dossiers_url])
def test_hostile_filter_values_are_left_out_with_a_message_never_an_error(
    as_user, cast, certified, query, list_url
):
    response = as_user(cast["inspector"]).get(list_url(query))
    assert response.status_code == 200
    assert response.context["rows"] is not None


@pytest.mark.parametrize("list_url", [certificates_url, dossiers_url])
def test_an_export_with_a_filter_the_list_does_not_know_is_a_400_that_says_why(
    as_user, cast, list_url
):
    response = as_user(cast["inspector"]).get(list_url("?xuat=csv&trang-thai=bogus"))
    assert response.status_code == 400
    assert "“bogus”" in response.content.decode()


def test_the_certificate_csv_is_the_whole_filtered_list_bom_and_formula_safe(
    as_user, cast, certified
):
    producer = certified["valid"].product.producer
    producer.name = '=HYPERLINK("http://evil.example","Bấm")'
    producer.save()
    response = as_user(cast["inspector"]).get(certificates_url("?sao=4&xuat=csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "Số giấy chứng nhận"
    numbers = {row[0] for row in rows[1:]}
    assert numbers == {"GCN-Mien-Dong", "GCN-Mat-Ong"}  # 4★ in scope; Hưng Yên's is not
    row = next(r for r in rows if r[0] == "GCN-Mien-Dong")
    assert row[2].startswith("'=HYPERLINK")
    assert row[4] == certified["valid"].issued_on.strftime("%d/%m/%Y")


def test_the_certificate_xlsx_reads_back_with_openpyxl(as_user, cast, certified):
    response = as_user(cast["inspector"]).get(certificates_url("?xuat=xlsx"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Số giấy chứng nhận", "Sản phẩm", "Chủ thể", "Hạng sao")
    assert {row[0] for row in rows[1:]} == {
        "GCN-Mien-Dong",
        "GCN-Tra-Sen",
        "GCN-Gao-Nep",
        "GCN-Mat-Ong",
    }
    assert all(row[10].startswith("http") for row in rows[1:])


def test_another_provinces_inspector_sees_and_exports_only_its_own(as_user, cast, certified):
    client = as_user(cast["far_inspector"])
    assert listed_certificates(client.get(certificates_url())) == {"GCN-Nhan-Long"}
    raw = b"".join(client.get(certificates_url("?xuat=csv")).streaming_content).decode()
    assert "GCN-Nhan-Long" in raw and "GCN-Mien-Dong" not in raw


def _bulk_certificates(n, start=0):
    """`n` certificates of new products, written in bulk (the paging and query tests)."""
    producer = ProducerFactory()
    products = Product.objects.bulk_create(
        Product(
            producer=producer,
            name=f"Sản phẩm số {start + i:04d}",
            slug=f"san-pham-so-{start + i:04d}",
            product_set_id=ProductFactory._meta.model.objects.values_list(
                "product_set_id", flat=True
            ).first(),
        )
        for i in range(n)
    )
    hoai_duc = district("274")

    def varied(i):
        """Every third issued by a (former) district, every fifth revoked on inspection."""
        fields = {"level": "district", "unit": hoai_duc} if i % 3 == 0 else {"level": "province"}
        if i % 5 == 0:
            fields |= {
                "revoked_on": date(2026, 6, 1),
                "revocation_ground": Certificate.Ground.MARK_MISUSE,
                "inspection_reference": f"KL-{i}",
                "inspection_concluded_on": date(2026, 5, 20),
            }
        return fields

    Certificate.objects.bulk_create(
        Certificate(
            number=f"BULK-{start + i:05d}",
            product=product,
            stars=4,
            issued_on=date(2025, 1, 1),
            expires_on=date(2028, 1, 1),
            **varied(i),
        )
        for i, product in enumerate(products)
    )


def test_the_certificate_list_pages_beyond_500_rows(as_user, cast, certified):
    _bulk_certificates(530)
    client = as_user(cast["admin"])
    first = client.get(certificates_url("?sap-xep=so"))
    assert first.context["page"].paginator.count == 535
    last = client.get(certificates_url("?sap-xep=so&page=11"))
    numbers = [row["certificate"].number for row in last.context["rows"]]
    assert len(numbers) == 35 and numbers[-1] == "GCN-Tra-Sen"
    assert "BULK-00529" in numbers
    body = last.content.decode()
    assert "sap-xep=so&amp;page=10" in body  # the filters carried by the paging links


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "query", ["", "?trang-thai=valid&sao=4", "?han=qua-han", "?xuat=csv", "?xuat=xlsx"]
)
@pytest.mark.parametrize("who", ["admin", "city_office", "inspector", "owner"])
def test_the_certificate_list_runs_the_same_queries_at_two_sizes(
    as_user, cast, certified, query, who
):
    client = as_user(cast[who])
    _bulk_certificates(3)
    client.get(certificates_url(query))  # the menu's count, kept from here on
    small = _count(client, certificates_url(query))
    _bulk_certificates(60, start=100)
    client.get(certificates_url(query))
    assert _count(client, certificates_url(query)) == small


# ------------------------------------------------------------------ the dossier list
@pytest.fixture
def filed(cast):
    """Hoài Đức's dossiers in several states, one with a 4★ result, and a draft."""
    round_ = cast["round"]
    return {
        "scoring": cast["dossier"],
        "submitted": make_dossier(round_, S.SUBMITTED, product=ProductFactory(name="Bánh tẻ")),
        "result": give_result(
            make_dossier(round_, S.RESULT, product=ProductFactory(name="Nem chua")), 4, "80"
        ),
        "draft": make_dossier(
            round_,
            S.DRAFT,
            product=ProductFactory(name="Chè lam", producer=cast["producer"]),
        ),
    }


def test_producers_drafts_are_not_in_officials_lists(as_user, cast, filed):
    # The administrator is no official: the state matrix pins that it lists drafts.
    for who in ("inspector", "secretary", "district_office", "member1"):
        assert filed["draft"].pk not in listed_dossiers(as_user(cast[who]).get(dossiers_url()))
    assert filed["draft"].pk in listed_dossiers(as_user(cast["owner"]).get(dossiers_url()))


def test_the_dossier_list_filters_on_status_stars_round_unit_and_search(as_user, cast, filed):
    client = as_user(cast["inspector"])
    assert listed_dossiers(client.get(dossiers_url("?trang-thai=submitted"))) == {
        filed["submitted"].pk
    }
    assert listed_dossiers(client.get(dossiers_url("?sao=4"))) == {filed["result"].pk}
    assert listed_dossiers(client.get(dossiers_url("?q=nem chua"))) == {filed["result"].pk}
    everything = {filed[k].pk for k in ("scoring", "submitted", "result")}
    assert listed_dossiers(client.get(dossiers_url(f"?dot={cast['round'].pk}"))) == everything
    unit = cast["round"].unit_id
    assert listed_dossiers(client.get(dossiers_url(f"?don-vi={unit}"))) == everything
    # The council's round is 148's: every dossier still open is late.
    late = client.get(dossiers_url("?han=qua-han&trang-thai=result"))
    assert listed_dossiers(late) == {filed["result"].pk}


def test_the_dossier_exports_are_the_whole_filtered_list(as_user, cast, filed):
    client = as_user(cast["inspector"])
    raw = b"".join(client.get(dossiers_url("?xuat=csv&han=qua-han")).streaming_content)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Sản phẩm", "Chủ thể", "Đợt đánh giá"]
    assert {r[0] for r in rows[1:]} == {"Rau cải an toàn Hoài Đức", "Bánh tẻ", "Nem chua"}
    assert all(r[7] == "21/07/2026" and r[8] == "có" for r in rows[1:])
    response = client.get(dossiers_url("?xuat=xlsx&sao=4"))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["Nem chua"]
    assert rows[1][9] == 4


def _grow_dossiers(cast, n):
    for _ in range(n):
        for status in (S.SUBMITTED, S.SCORING, S.RESULT):
            dossier = make_dossier(cast["round"], status, product=ProductFactory(certified=False))
            if status == S.RESULT:
                give_result(dossier, 3, "60")


@pytest.mark.parametrize("query", ["", "?han=qua-han&sap-xep=han", "?sao=3", "?xuat=csv"])
@pytest.mark.parametrize("who", ["inspector", "member1", "owner"])
def test_the_dossier_list_runs_the_same_queries_at_two_sizes(as_user, cast, query, who):
    client = as_user(cast[who])
    _grow_dossiers(cast, 1)
    client.get(dossiers_url(query))
    small = _count(client, dossiers_url(query))
    _grow_dossiers(cast, 20)
    client.get(dossiers_url(query))
    assert _count(client, dossiers_url(query)) == small


def test_paging_beyond_one_page_keeps_the_filters(as_user, cast, monkeypatch):
    monkeypatch.setattr(listing, "PER_PAGE", 2)
    _grow_dossiers(cast, 2)
    client = as_user(cast["inspector"])
    first = client.get(dossiers_url("?sap-xep=san-pham"))
    assert first.context["page"].paginator.num_pages == 4
    body = first.content.decode()
    assert "sap-xep=san-pham&amp;page=2" in body
    last = client.get(dossiers_url("?sap-xep=san-pham&page=4"))
    assert len(last.context["rows"]) == 1
