"""Time limits on the dossier pages: due dates, "late" and "due soon", the filter, the
statutory rounds, and the list's queries (the same at two sizes, filtered or not).

Today is Tuesday 1 December 2026. Xã Hoài Đức pre-checks under Decision 26/2026 (15
working days, Điều 7 khoản 2); Hoài Đức district's 2024 round is Decision 148's, whose
dossiers had to be finished by 21 July 2026 (Điều 12 khoản 2 of 26/2026). Tuesday
24 November 2026 is Vietnam Culture Day, a public holiday from 2026.
"""

from datetime import date, datetime, time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation import listing as views_listing
from evaluation.models import Dossier, DossierStatusChange
from registry.models import Product
from tests.factories import bare_round, certify, commune, make_dossier, new_product

pytestmark = pytest.mark.django_db

S = Dossier.Status
TODAY = date(2026, 12, 1)


def listing(query=""):
    """The list's address, in the language active when it is asked for (/en/… in English)."""
    return reverse("evaluation:dossiers") + query


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.combine(TODAY, time(9)), tick=False):
        yield


@pytest.fixture
def commune_round(qd26):
    return bare_round(qd26, "commune", commune("Xã Hoài Đức"), "Xã Hoài Đức 2026 đợt 2")


def filed(round_, day, status=S.SUBMITTED, **extra):
    """A dossier filed at its level on `day` (its history says so)."""
    dossier = make_dossier(round_, status, product=new_product(), **extra)
    change = DossierStatusChange.objects.create(
        dossier=dossier, from_status=S.DRAFT, to_status=S.SUBMITTED
    )
    at = timezone.make_aware(datetime.combine(day, time(10)))
    DossierStatusChange.objects.filter(pk=change.pk).update(at=at)
    return dossier


@pytest.fixture
def dossiers(commune_round, cast):
    return {
        # 15 working days after Monday 2 November: Monday 23 November.
        "late": filed(commune_round, date(2026, 11, 2)),
        # After Tuesday 10 November: Wednesday 2 December (24 November is a holiday).
        "soon": filed(commune_round, date(2026, 11, 10)),
        # After Friday 20 November: Monday 14 December.
        "in_time": filed(commune_round, date(2026, 11, 20)),
        # Checked and forwarded: the commune's clock has stopped.
        "forwarded": filed(commune_round, date(2026, 10, 1), S.FORWARDED),
        # The cast's Decision 148 dossier, still being scored.
        "transition": cast["dossier"],
    }


def page(client, url=None):
    response = client.get(url or listing())
    assert response.status_code == 200
    return response


def listed(response):
    return {row.dossier.pk: row for row in response.context["rows"]}


def test_each_dossier_shows_its_nearest_due_date_and_whether_it_is_late(as_user, people, dossiers):
    rows = listed(page(as_user(people["inspector"])))
    due = {
        key: rows[d.pk].next.deadline.due if rows[d.pk].next else None
        for key, d in dossiers.items()
    }
    assert due == {
        "late": date(2026, 11, 23),
        "soon": date(2026, 12, 2),
        "in_time": date(2026, 12, 14),
        "forwarded": None,
        "transition": date(2026, 7, 21),
    }
    assert {key for key, d in dossiers.items() if rows[d.pk].late} == {"late", "transition"}
    assert {key for key, d in dossiers.items() if rows[d.pk].soon} == {"soon"}
    assert rows[dossiers["late"].pk].next.deadline.article == "Điều 7 khoản 2"
    assert rows[dossiers["transition"].pk].next.deadline.article == "Điều 12 khoản 2"


def test_officials_filter_the_list_on_late_and_due_soon(as_user, people, dossiers, english):
    client = as_user(people["inspector"])
    late = page(client, listing("?han=qua-han"))
    assert set(listed(late)) == {dossiers["late"].pk, dossiers["transition"].pk}
    body = late.content.decode()
    assert body.count('class="badge text-bg-danger">late<') == 2
    assert "by 23/11/2026" in body
    soon = page(client, listing("?han=sap-den-han"))
    assert set(listed(soon)) == {dossiers["soon"].pk}
    everything = page(client, listing("?han=nonsense"))
    assert len(listed(everything)) == len(dossiers)
    assert everything.context["counts"] == {"all": 5, "late": 2, "soon": 1}


@pytest.mark.parametrize("query", ["?sap-xep=han", "?sap-xep=-han", "?han=qua-han"])
def test_each_page_shows_its_share_of_the_whole_list_in_time_limit_order(
    as_user, people, dossiers, monkeypatch, query
):
    # The clocks of every row decide the order, the filter and the counts; only the shown
    # page's dossiers are loaded whole (views.dossiers.dossier_list).
    # Product names against the filing order, so that the order by time limit is not the
    # order of the query the page's dossiers are loaded with.
    for n, dossier in enumerate(sorted(dossiers.values(), key=lambda d: d.pk)):
        Product.objects.filter(pk=dossier.product_id).update(name=f"Sản phẩm {9 - n}")
    client = as_user(people["inspector"])
    whole = page(client, listing(query))
    order = [row.dossier.pk for row in whole.context["rows"]]
    assert len(order) >= 2
    monkeypatch.setattr(views_listing, "PER_PAGE", 2)
    paged, counts = [], set()
    for number in (1, 2, 3):
        response = page(client, listing(f"{query}&page={number}"))
        if response.context["page"].number != number:
            break
        paged += [(row.dossier.pk, row.next) for row in response.context["rows"]]
        counts.add(tuple(response.context["counts"].items()))
    assert [pk for pk, _clock in paged] == order
    assert counts == {tuple(whole.context["counts"].items())}
    clocks = {row.dossier.pk: row.next for row in whole.context["rows"]}
    assert dict(paged) == clocks


def test_the_list_names_the_next_statutory_rounds(as_user, people, dossiers, english):
    body = page(as_user(people["inspector"])).content.decode()
    assert (
        "Province, Đợt 01: held before 30/06/2027 for the dossiers proposed before 30/04/2027."
        in body
    )
    assert "Central, Đợt 01: held before 30/09/2027" not in body
    assert "Central, Đợt 02: held before 30/03/2027" in body
    assert "Điều 5 khoản 1" in body and "Điều 5 khoản 2" in body


def test_an_empty_late_filter_says_so(as_user, people, english):
    body = page(as_user(people["inspector"]), listing("?han=qua-han")).content.decode()
    assert "No dossier is past a time limit." in body


def test_the_dossier_page_shows_its_limits_with_the_article(as_user, people, dossiers, english):
    client = as_user(people["inspector"])
    body = page(client, reverse("evaluation:dossier", args=[dossiers["late"].pk])).content
    text = body.decode()
    assert 'id="time-limits"' in text
    assert "Commune to check and propose the dossier" in text
    assert "8 days late" in text
    assert "by 23/11/2026" in text
    assert "Trong thời hạn 15 ngày làm việc kể từ ngày tiếp nhận hồ sơ sản phẩm" in text
    assert "Next round at the Province level, Đợt 01" in text


def test_the_producer_sees_the_window_of_a_draft_re_evaluation(as_user, commune_round, people):
    product = new_product()
    product.stars = 4
    product.save()
    certify(product, issued_on=date(2024, 3, 15))  # expires 15 March 2027
    owner = people["citizen"]
    product.producer.users.add(owner)
    draft = make_dossier(commune_round, product=product, kind=Dossier.Kind.REEVALUATION)

    text = page(as_user(owner), reverse("evaluation:dossier", args=[draft.pk])).content.decode()

    assert 'id="reevaluation-window"' in text
    assert "16/09/2026" in text and "15/11/2026" in text  # 180 and 120 days before
    assert "Đã hết thời gian nộp" in text


def test_a_draft_in_a_round_of_the_earlier_decision_warns_before_filing(as_user, cast):
    draft = make_dossier(cast["round"], product=new_product())
    draft.product.producer.users.add(cast["owner"])
    text = page(as_user(cast["owner"]), reverse("evaluation:dossier", args=[draft.pk])).content
    assert 'id="filing-refused"' in text.decode()
    assert "Điều 12 khoản 2" in text.decode()


# ---------------------------------------------------------------- queries
def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def more(commune_round, cast, n):
    for i in range(n):
        filed(commune_round, date(2026, 11, 2 + i % 20))
    forwarded = filed(commune_round, date(2026, 11, 3), S.FORWARDED)
    upper = bare_round(commune_round.rulebook, "province", commune_round.unit.parent, f"T{n}")
    make_dossier(upper, S.SCORING, product=forwarded.product, forwarded_from=forwarded)


@pytest.mark.parametrize("query", ["", "?han=qua-han", "?han=sap-den-han"])
def test_the_list_runs_the_same_queries_at_5_and_30_dossiers(
    as_user, people, cast, commune_round, dossiers, query
):
    client = as_user(people["inspector"])
    url = listing(query)
    more(commune_round, cast, 1)
    small = queries(client, url)
    more(commune_round, cast, 25)
    assert queries(client, url) == small
