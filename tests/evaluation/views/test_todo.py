"""The to-do page ("Việc cần làm"), its link and count in the menu, where signing in lands,
and the page's queries at two sizes.

Today is Tuesday 1 December 2026; the cast's Decision 148 dossier was due by 21 July 2026
(Decision 26/2026 Điều 12 khoản 2), so its tasks are overdue.
"""

from datetime import date, datetime, time

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation.models import Dossier
from tests.factories import ProductFactory, bare_round, district, give_result, make_dossier

pytestmark = pytest.mark.django_db

S = Dossier.Status
TODAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.combine(TODAY, time(9)), tick=False):
        yield


def todo_page(client):
    response = client.get(reverse("evaluation:todo"))
    assert response.status_code == 200
    return response


def test_a_member_is_told_to_score_with_the_due_date_and_an_overdue_mark(as_user, cast):
    response = todo_page(as_user(cast["member1"]))
    body = response.content.decode()
    assert 'data-kind="score"' in body
    assert ">Chấm điểm</a>" in body
    assert f'href="{reverse("evaluation:scorecard", args=[cast["dossier"].pk])}"' in body
    assert "hạn 21/07/2026" in body
    assert '<span class="badge text-bg-danger">quá hạn</span>' in body
    assert "đã chấm 0/32 tiêu chí" in body
    # An action, not the dossier's status.
    assert "Đang chấm" not in body.split('id="main"')[1]


@pytest.mark.parametrize(
    ("who", "status", "words"),
    [
        ("secretary", S.SUBMITTED, "Kiểm tra hồ sơ"),
        ("district_office", S.SUBMITTED, "Kiểm tra hồ sơ"),
        ("secretary", S.SCORING, "Theo dõi phiếu chấm"),
        ("district_office", S.RESULT, "Ra quyết định"),
        ("owner", S.RETURNED, "Bổ sung hồ sơ"),
        ("owner", S.DRAFT, "Nộp hồ sơ"),
    ],
)
def test_each_role_gets_its_action_linking_to_the_work(as_user, cast, who, status, words):
    Dossier.objects.filter(pk=cast["dossier"].pk).update(status=status)
    if status == S.RESULT:
        give_result(cast["dossier"], 3, "60")
    body = todo_page(as_user(cast[who])).content.decode()
    # A draft is filed through its filing page (what is missing, then the button).
    name = "evaluation:file" if status == S.DRAFT else "evaluation:dossier"
    link = reverse(name, args=[cast["dossier"].pk])
    assert f'<a class="btn btn-sm btn-primary todo-action" href="{link}">{words}</a>' in body


@pytest.mark.parametrize("who", ["inspector", "city_office", "outsider", "stranger"])
def test_those_with_nothing_to_do_are_told_so(as_user, cast, who):
    response = todo_page(as_user(cast[who]))
    assert response.context["total"] == 0
    assert 'id="todo-empty"' in response.content.decode()


def test_a_draft_is_never_an_officials_task(as_user, cast):
    Dossier.objects.filter(pk=cast["dossier"].pk).update(status=S.DRAFT)
    for who in ("secretary", "district_office", "inspector", "member1", "admin"):
        assert todo_page(as_user(cast[who])).context["total"] == 0, who


def test_a_visitor_without_a_role_goes_on_to_the_catalogue(as_user, cast, client):
    response = as_user(cast["citizen"]).get(reverse("evaluation:todo"))
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:catalogue")
    client.logout()
    anonymous = client.get(reverse("evaluation:todo"))
    assert anonymous.status_code == 302
    assert reverse("login") in anonymous["Location"]


def test_the_menu_shows_the_link_and_the_count(as_user, cast, english):
    client = as_user(cast["member1"])
    body = client.get(reverse("evaluation:dossiers")).content.decode()
    assert 'id="todo-link"' in body
    assert 'id="todo-count" aria-label="1 task">1</span>' in body
    # beside the folded phone menu too, as the bell is
    assert 'id="todo-phone" aria-label="To do: 1 task"' in body
    body = as_user(cast["inspector"]).get(reverse("evaluation:dossiers")).content.decode()
    assert 'id="todo-link"' in body and 'id="todo-count"' not in body
    assert 'id="todo-phone"' not in body


def test_the_menus_count_costs_no_query_once_kept(as_user, cast):
    client = as_user(cast["member1"])
    client.get(reverse("evaluation:verify_form"))
    with CaptureQueriesContext(connection) as kept:
        client.get(reverse("evaluation:verify_form"))
    Dossier.objects.filter(pk=cast["dossier"].pk).first().save()  # a change drops counts
    with CaptureQueriesContext(connection) as made:
        client.get(reverse("evaluation:verify_form"))
    assert len(made) > len(kept)


@pytest.mark.parametrize(
    ("who", "next_url", "lands"),
    [
        ("member1", "", "evaluation:todo"),
        ("owner", "", "evaluation:todo"),
        ("citizen", "", "catalogue:catalogue"),
        ("member1", "/thong-ke/", "/thong-ke/"),
    ],
)
def test_signing_in_lands_on_the_to_do_page_unless_next_says_otherwise(
    client, cast, who, next_url, lands
):
    user = cast[who]
    user.password = make_password("mat-khau-thu-1")
    user.save()
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    response = client.post(
        url, {"username": user.username, "password": "mat-khau-thu-1"}, follow=True
    )
    assert response.status_code == 200
    final = response.redirect_chain[-1][0]
    expected = lands if lands.startswith("/") else reverse(lands)
    assert final == expected


def _grow(cast, n):
    """`n` more dossiers of each kind of work for the district office and the council."""
    round_ = cast["round"]
    for status in (S.SUBMITTED, S.CHECKED, S.SCORING, S.RESULT, S.DRAFT, S.RETURNED):
        for _ in range(n):
            dossier = make_dossier(round_, status, product=ProductFactory(certified=False))
            if status == S.RESULT:
                give_result(dossier, 3, "60")
    elsewhere = bare_round(cast["round"].rulebook, "district", district("282"), "Mỹ Đức")
    for _ in range(n):
        make_dossier(elsewhere, S.RESULT)


@pytest.mark.parametrize("who", ["member1", "secretary", "district_office", "owner", "admin"])
def test_the_page_runs_the_same_queries_at_two_sizes(as_user, cast, who):
    client = as_user(cast[who])
    _grow(cast, 1)
    todo_page(client)  # the menu's count, kept from here on
    with CaptureQueriesContext(connection) as small:
        first = todo_page(client).context["total"]
    _grow(cast, 6)
    todo_page(client)  # the menu's count, made again after the change
    with CaptureQueriesContext(connection) as large:
        second = todo_page(client).context["total"]
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    if who != "owner":
        assert second > first


def test_a_producers_tasks_lead_to_filing_and_to_starting_the_renewal(as_user, cast):
    """ "Nộp hồ sơ" opens the filing page (what is missing, then the button); "Gia hạn"
    opens the page where the producer starts the re-evaluation dossier."""
    from datetime import timedelta

    from django.utils import timezone

    from evaluation import validity
    from tests.factories import certify

    Dossier.objects.filter(pk=cast["dossier"].pk).update(status=Dossier.Status.DRAFT)
    page = as_user(cast["owner"]).get(reverse("evaluation:todo")).content.decode()
    assert reverse("evaluation:file", args=[cast["dossier"].pk]) in page
    product = cast["product"]
    product.stars = 4
    product.save()
    # Expiring in 150 days: the re-evaluation window (180 to 120 days before) is open.
    issued = validity.add_months(timezone.localdate() + timedelta(days=150), -36)
    Dossier.objects.filter(pk=cast["dossier"].pk).update(status=Dossier.Status.RECOGNISED)
    expiring = certify(product, issued_on=issued)
    page = as_user(cast["owner"]).get(reverse("evaluation:todo")).content.decode()
    assert 'data-kind="renew"' in page
    assert f"{reverse('evaluation:start')}#product-{expiring.product_id}" in page
