"""Every evaluation view for every role: allowed, 404 outside scope, 403 without the
right, 405 for the wrong method, and the login redirect for anonymous visitors."""

import pytest
from django.urls import reverse

from evaluation import scoring

pytestmark = pytest.mark.django_db


def url(name, cast, **extra):
    kwargs = {"pk": cast["dossier"].pk, **extra}
    return reverse(f"evaluation:{name}", kwargs=kwargs)


# view name → (method, extra kwargs builder)
DOSSIER_VIEWS = {
    "dossier": "get",
    "scorecard": "get",
    "submit": "get",
    "self": "get",
    "result": "get",
    "autosave": "post",
    "transition": "post",
    "conflict": "post",
    "upload": "post",
}


@pytest.mark.parametrize("name", [*DOSSIER_VIEWS, "document", "dossiers"])
def test_anonymous_visitors_are_sent_to_sign_in(client, cast, name):
    if name == "dossiers":
        target = reverse("evaluation:dossiers")
    elif name == "document":
        target = url("document", cast, document_pk=cast["document"].pk)
    else:
        target = url(name, cast)
    response = getattr(client, DOSSIER_VIEWS.get(name, "get"))(target)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["stranger", "outsider"])
@pytest.mark.parametrize("name", [*DOSSIER_VIEWS, "document"])
def test_users_outside_the_dossiers_scope_get_404(as_user, cast, who, name):
    client = as_user(cast[who])
    extra = {"document_pk": cast["document"].pk} if name == "document" else {}
    response = getattr(client, DOSSIER_VIEWS.get(name, "get"))(url(name, cast, **extra))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["stranger", "outsider"])
def test_other_peoples_dossiers_are_not_listed(as_user, cast, who):
    response = as_user(cast[who]).get(reverse("evaluation:dossiers"))
    assert response.status_code == 200
    assert list(response.context["dossiers"]) == []


@pytest.mark.parametrize("who", ["owner", "chair", "member1", "secretary", "admin"])
def test_everyone_in_scope_sees_the_dossier_and_its_documents(as_user, cast, who):
    client = as_user(cast[who])
    assert client.get(url("dossier", cast)).status_code == 200
    response = client.get(url("document", cast, document_pk=cast["document"].pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("who", "expected"),
    [("chair", 200), ("member1", 200), ("secretary", 403), ("owner", 403), ("admin", 403)],
)
def test_only_scoring_members_open_a_scorecard(as_user, cast, who, expected):
    assert as_user(cast[who]).get(url("scorecard", cast)).status_code == expected


@pytest.mark.parametrize(
    ("who", "expected"), [("owner", 200), ("member1", 403), ("secretary", 403)]
)
def test_only_the_producer_opens_the_self_assessment(as_user, cast, who, expected):
    assert as_user(cast[who]).get(url("self", cast)).status_code == expected


def test_a_member_sees_the_result_only_after_submitting(as_user, cast):
    scoring.recompute_result(cast["dossier"])
    client = as_user(cast["member1"])
    # Not formed yet for a member still scoring: as if there were none (404, not 403).
    assert client.get(url("result", cast)).status_code == 404
    card = scoring.member_card(cast["dossier"], cast["member1"])
    for criterion in cast["dossier"].sheet.criteria.all():
        scoring.tick(card, criterion.id, criterion.options.first().id, cast["member1"])
    scoring.submit(card, cast["member1"])
    assert client.get(url("result", cast)).status_code == 200
    assert as_user(cast["secretary"]).get(url("result", cast)).status_code == 200


def test_the_secretary_moves_the_dossier_a_member_cannot(as_user, cast):
    data = {"target": "result", "note": ""}
    assert as_user(cast["member1"]).post(url("transition", cast), data).status_code == 403
    assert as_user(cast["owner"]).post(url("transition", cast), data).status_code == 403


def test_only_the_secretary_reopens_a_card(as_user, cast):
    card = scoring.member_card(cast["dossier"], cast["chair"])
    target = url("reopen", cast, card_pk=card.pk)
    # Whoever may not read the card is not told it exists, as on its page (the chair's
    # draft: another member, the producer); its author may read it, not reopen it.
    assert as_user(cast["member1"]).post(target, {"reason": "x"}).status_code == 404
    assert as_user(cast["owner"]).post(target, {"reason": "x"}).status_code == 404
    assert as_user(cast["stranger"]).post(target, {"reason": "x"}).status_code == 404
    assert as_user(cast["chair"]).post(target, {"reason": "x"}).status_code == 403
    assert as_user(cast["secretary"]).post(target, {"reason": "x"}).status_code == 302


def test_a_member_cannot_read_another_card_before_submitting_their_own(as_user, cast):
    chair_card = scoring.member_card(cast["dossier"], cast["chair"])
    for criterion in cast["dossier"].sheet.criteria.all():
        scoring.tick(chair_card, criterion.id, criterion.options.first().id, cast["chair"])
    scoring.submit(chair_card, cast["chair"])
    target = url("card", cast, card_pk=chair_card.pk)
    # Another member's card is not even said to exist before one's own is submitted.
    assert as_user(cast["member1"]).get(target).status_code == 404
    assert as_user(cast["secretary"]).get(target).status_code == 200
    own = scoring.member_card(cast["dossier"], cast["member1"])
    for criterion in cast["dossier"].sheet.criteria.all():
        scoring.tick(own, criterion.id, criterion.options.first().id, cast["member1"])
    scoring.submit(own, cast["member1"])
    assert as_user(cast["member1"]).get(target).status_code == 200


@pytest.mark.parametrize("name", ["autosave", "transition", "conflict", "upload"])
def test_posting_views_refuse_get_with_405(as_user, cast, name):
    assert as_user(cast["member1"]).get(url(name, cast)).status_code == 405


def test_reopen_refuses_get_with_405(as_user, cast):
    card = scoring.member_card(cast["dossier"], cast["chair"])
    target = url("reopen", cast, card_pk=card.pk)
    assert as_user(cast["secretary"]).get(target).status_code == 405


def test_admin_changelists_are_scoped_for_staff_who_are_not_superusers(client, cast):
    from evaluation.models import Dossier

    outsider = cast["outsider"]
    outsider.is_staff = True
    outsider.save()
    from django.contrib.auth.models import Permission

    outsider.user_permissions.add(Permission.objects.get(codename="view_dossier"))
    client.force_login(outsider)
    response = client.get(reverse("admin:evaluation_dossier_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == []
    change = reverse("admin:evaluation_dossier_change", args=[cast["dossier"].pk])
    assert client.get(change).status_code == 302  # admin answers "does not exist" with a redirect
    assert Dossier.objects.count() == 1
