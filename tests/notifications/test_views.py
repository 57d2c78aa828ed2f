"""The list, marking read, the menu's count, the preferences and the secretary's reminder:
each person sees only their own, and a link leads only where its reader may still go."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation.models import CouncilMembership, Dossier, Scorecard
from notifications.delivery import notify
from notifications.models import Notification, Preference
from tests.notifications.conftest import told

S = Dossier.Status
pytestmark = pytest.mark.django_db


def tell(user, dossier, n=1, kind="filed"):
    for i in range(n):
        notify(
            [user],
            kind,
            f"test:{dossier.pk}:{i}",
            target=dossier,
            params={"product": dossier.product.name, "round": dossier.round.name},
        )


# ------------------------------------------------------------------ list and count
def test_the_list_shows_only_ones_own_newest_first(cast, as_user):
    tell(cast["owner"], cast["dossier"], 3)
    tell(cast["stranger"], cast["dossier"], 2, kind="checked")
    page = as_user(cast["owner"]).get(reverse("notifications:list"))
    assert page.status_code == 200
    items = list(page.context["page"].object_list)
    assert [n.recipient_id for n in items] == [cast["owner"].pk] * 3
    assert [n.event_key for n in items] == [f"test:{cast['dossier'].pk}:{i}" for i in (2, 1, 0)]
    html = page.content.decode()
    assert "Rau cải an toàn Hoài Đức" in html
    assert 'id="unread-count">3<' in html


def test_the_sentence_follows_the_readers_language_now(cast, as_user):
    tell(cast["owner"], cast["dossier"])
    client = as_user(cast["owner"])
    assert "đã được nộp vào" in client.get(reverse("notifications:list")).content.decode()
    english = client.get("/en" + reverse("notifications:list")).content.decode()
    assert "was filed in" in english and "đã được nộp" not in english


@pytest.mark.parametrize("size", [3, 30])
def test_the_list_costs_the_same_queries_at_any_size(cast, as_user, size, request):
    tell(cast["owner"], cast["dossier"], size)
    client = as_user(cast["owner"])
    client.get(reverse("notifications:list"))  # session and translations warmed
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("notifications:list")).status_code == 200
    # session, user, count (paginator), the menu's roles, the menu's unread count, the rows
    assert len(queries) == 6, "\n".join(q["sql"][:90] for q in queries)


def test_mark_one_and_all_read(cast, as_user):
    tell(cast["owner"], cast["dossier"], 3)
    client = as_user(cast["owner"])
    first = Notification.objects.filter(recipient=cast["owner"]).first()
    client.post(reverse("notifications:mark_read", args=[first.pk]))
    assert Notification.objects.filter(recipient=cast["owner"], read_at__isnull=True).count() == 2
    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert 'id="unread-count"' not in client.get(reverse("notifications:list")).content.decode()


def test_another_persons_notification_is_a_404_and_stays_unread(cast, as_user):
    tell(cast["owner"], cast["dossier"])
    theirs = Notification.objects.get()
    client = as_user(cast["stranger"])
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:mark_read", args=[theirs.pk])).status_code == 404
    client.post(reverse("notifications:mark_all_read"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_marks_read_and_leads_to_the_dossier(cast, as_user):
    tell(cast["member1"], cast["dossier"], kind="scoring_opened")
    notice = Notification.objects.get()
    client = as_user(cast["member1"])
    response = client.get(reverse("notifications:open", args=[notice.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:dossier", args=[cast["dossier"].pk])
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert client.get(response["Location"]).status_code == 200


def test_a_reader_who_lost_access_gets_the_pages_404(cast, as_user):
    tell(cast["member1"], cast["dossier"], kind="scoring_opened")
    notice = Notification.objects.get()
    CouncilMembership.objects.filter(user=cast["member1"]).update(active=False)
    client = as_user(cast["member1"])
    response = client.get(reverse("notifications:open", args=[notice.pk]), follow=True)
    assert response.status_code == 404
    assert "Rau cải" not in response.content.decode()


def test_the_menu_count_is_for_signed_in_users_only(cast, client, as_user):
    assert (
        'id="notifications-link"' not in client.get(reverse("catalogue:catalogue")).content.decode()
    )
    tell(cast["owner"], cast["dossier"], 2)
    page = as_user(cast["owner"]).get(reverse("accounts:account")).content.decode()
    assert 'id="notifications-link"' in page and 'id="unread-count">2<' in page


# ------------------------------------------------------------------ preferences
def test_preferences_offer_the_kinds_of_ones_roles_and_are_kept(cast, as_user):
    client = as_user(cast["owner"])
    page = client.get(reverse("notifications:preferences"))
    fields = set(page.context["form"].fields)
    assert "filed" in fields and "certificate_issued" in fields
    assert "scoring_opened" not in fields and "result_ready" not in fields
    data = {code: "on" for code in fields if code != "returned"}
    assert client.post(reverse("notifications:preferences"), data).status_code == 302
    assert dict(Preference.objects.filter(user=cast["owner"]).values_list("kind", "email")) == {
        code: code != "returned" for code in fields
    }
    member = as_user(cast["member1"]).get(reverse("notifications:preferences"))
    assert "scoring_opened" in member.context["form"].fields
    assert "certificate_issued" not in member.context["form"].fields


# ------------------------------------------------------------------ the reminder
def test_the_secretary_reminds_those_who_have_not_submitted_once_a_day(
    cast, as_user, run_jobs, mailoutbox, site_url
):
    from django.utils import timezone

    Scorecard.objects.create(
        dossier=cast["dossier"],
        author=cast["member1"],
        status=Scorecard.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    client = as_user(cast["secretary"])
    url = reverse("notifications:remind", args=[cast["dossier"].pk])
    dossier_page = client.get(reverse("evaluation:dossier", args=[cast["dossier"].pk]))
    assert url in dossier_page.content.decode()
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert [u.username for u in confirm.context["waiting"]] == sorted(
        ["chair", "member2", "member3"], key=lambda n: (n != "chair", n)
    ) or {u.username for u in confirm.context["waiting"]} == {"chair", "member2", "member3"}
    assert not Notification.objects.exists()  # the confirmation page writes nothing
    client.post(url)
    client.post(url)  # a second click, the same day
    assert told("card_reminder") == {"chair", "member2", "member3"}
    assert Notification.objects.count() == 3
    run_jobs()
    assert len(mailoutbox) == 3


@pytest.mark.parametrize(
    "role, status",
    [
        ("member1", 403),
        ("owner", 403),
        ("outsider", 404),
        ("far_office", 404),
        ("stranger", 404),
        ("district_office", 200),
        ("admin", 200),
    ],
)
def test_who_may_remind(cast, as_user, role, status):
    url = reverse("notifications:remind", args=[cast["dossier"].pk])
    client = as_user(cast[role])
    assert client.get(url).status_code == status
    response = client.post(url)
    assert response.status_code == (302 if status == 200 else status)
    assert Notification.objects.exists() == (status == 200)


@pytest.mark.parametrize("status", [S.SUBMITTED, S.CHECKED, S.RESULT])
def test_no_reminder_outside_scoring(cast, as_user, status):
    Dossier.objects.filter(pk=cast["dossier"].pk).update(status=status)
    url = reverse("notifications:remind", args=[cast["dossier"].pk])
    client = as_user(cast["secretary"])
    assert client.post(url).status_code == 302
    assert not Notification.objects.exists()
    page = client.get(reverse("evaluation:dossier", args=[cast["dossier"].pk])).content.decode()
    assert url not in page


def test_the_account_page_holds_the_preferences_and_comes_back_to_them(cast, as_user):
    client = as_user(cast["owner"])
    page = client.get(reverse("accounts:account")).content.decode()
    assert 'id="preferences-form"' in page and 'name="certificate_issued"' in page
    assert 'name="scoring_opened"' not in page  # not a producer's
    response = client.post(reverse("notifications:preferences"), {"back": "account"})
    assert response["Location"] == reverse("accounts:account")
    # Nothing ticked: every kind of the producer's off by mail.
    assert not Preference.objects.filter(user=cast["owner"], email=True).exists()
    assert Preference.objects.filter(user=cast["owner"], email=False).count() == 8
