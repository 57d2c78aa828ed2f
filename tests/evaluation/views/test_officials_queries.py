"""Officials' pages run the same number of queries at two data sizes (issue 17).

The certificate list at 2 and 24 certificates of every kind a row can show (issued by a
recorded decision, revoked by one with its time limit, superseded, from before the
system), for an office, an inspector and an administrator; the result page with one and
with four members' submitted cards. (The dossier list is pinned in
test_dossier_deadlines.py.)
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation.models import Certificate, Decision, Dossier, Scorecard
from tests.factories import ProductFactory, certificate_of, give_result

pytestmark = pytest.mark.django_db


def queries(client, url):
    # Warmed first: the menu's to-do count (evaluation.todo) is kept per person and dropped
    # by any change to a dossier or card, so a request right after such a change also
    # makes the count; the page's own queries are what is compared.
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response


@pytest.fixture
def acts(cast):
    """A recognition and a revocation decision, recorded as the offices record them."""
    common = {
        "signed_on": date(2026, 11, 1),
        "authority": "UBND thành phố Hà Nội",
        "signer_name": "Nguyễn Văn An",
        "signer_title": "Phó Chủ tịch",
        "level": "province",
        "unit": cast["round"].unit.parent,
        "rulebook": cast["round"].rulebook,
    }
    fields = {f.name for f in Decision._meta.get_fields()}
    common = {k: v for k, v in common.items() if k in fields}
    return (
        Decision.objects.create(number="1/QĐ-UBND", kind=Decision.Kind.RECOGNITION, **common),
        Decision.objects.create(
            number="2/QĐ-UBND",
            kind=Decision.Kind.REVOCATION,
            ground="mark_misuse",
            inspection_reference="KL 15/KL-TTr",
            **common,
        ),
    )


def more_certificates(acts, n):
    """n certificates in Hà Nội: by thirds recognised by a decision, revoked by one (with
    the conclusion's date, so the row shows its time limit), superseded by another."""
    recognition, revocation = acts
    made = [certificate_of(ProductFactory(stars=3)) for _ in range(n)]
    for i, certificate in enumerate(made):
        changes = {"decision": recognition}
        if i % 3 == 1:
            changes |= {
                "revoked_on": timezone.localdate(),
                "revocation_ground": "mark_misuse",
                "inspection_reference": "KL 15/KL-TTr",
                "inspection_concluded_on": date(2026, 11, 20),
                "revocation_decision": revocation,
            }
        elif i % 3 == 2:
            changes["superseded_by"] = made[i - 1]
        Certificate.objects.filter(pk=certificate.pk).update(**changes)


@pytest.mark.parametrize("who", ["city_office", "inspector", "admin"])
def test_the_certificate_list_runs_the_same_queries_at_2_and_24_certificates(
    as_user, people, acts, who
):
    client = as_user(people[who])
    url = reverse("evaluation:certificates")
    more_certificates(acts, 3)
    small, response = queries(client, url)
    assert len(response.context["rows"]) >= 3
    more_certificates(acts, 21)
    large, response = queries(client, url)
    assert len(response.context["rows"]) >= 24
    states = {row["state"] for row in response.context["rows"]}
    assert {"revoked", "superseded"} <= states
    assert large == small


def submitted_card(dossier, member):
    return Scorecard.objects.create(
        dossier=dossier,
        author=member,
        kind=Scorecard.Kind.MEMBER,
        status=Scorecard.Status.SUBMITTED,
        submitted_at=timezone.now(),
        total=70,
    )


@pytest.mark.parametrize("who", ["secretary", "district_office", "inspector"])
def test_the_result_page_runs_the_same_queries_at_two_and_four_cards(as_user, cast, who):
    dossier = cast["dossier"]
    Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.RESULT)
    give_result(dossier, stars=3, mean="70.00", cards=4, spread=2)
    client = as_user(cast[who])
    url = reverse("evaluation:result", kwargs={"pk": dossier.pk})
    # Two cards at least: with one there is no one to stand apart from, and the members'
    # deviations (evaluation.council_papers) are not read at all.
    submitted_card(dossier, cast["chair"])
    submitted_card(dossier, cast["member1"])
    small, response = queries(client, url)
    for name in ("member2", "member3"):
        submitted_card(dossier, cast[name])
    large, response = queries(client, url)
    assert len(response.context["cards"]) == 4
    assert large == small
