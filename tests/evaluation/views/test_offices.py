"""Offices decide, inspectors read, producers see their certificates; others get 404."""

from datetime import date
from functools import partial

import pytest
import time_machine
from django.urls import reverse

from evaluation.models import Certificate, Dossier
from tests.factories import district, give_result, office_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(cast):
    """The cast's district dossier with a final 3★ result, and the officials around it:
    `other_office` decides for Mỹ Đức, another district of Hanoi."""
    dossier = cast["dossier"]
    Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.RESULT)
    give_result(dossier, stars=3, mean="65.50", cards=2, spread=2)
    return {
        **cast,
        "other_office": office_of("vp.myduc", "district", district("282")),
    }


def url(name, dossier, **kw):
    return reverse(f"evaluation:{name}", kwargs={"pk": dossier.pk, **kw})


def test_the_districts_office_recognises_and_a_certificate_is_issued(as_user, decided):
    client = as_user(decided["district_office"])
    response = client.post(
        url("transition", decided["dossier"]), {"target": "recognised", "note": "QĐ số 12/QĐ-UBND"}
    )
    assert response.status_code == 302
    certificate = Certificate.objects.get(dossier=decided["dossier"])
    assert (certificate.stars, certificate.level) == (3, "district")
    body = client.get(url("dossier", decided["dossier"])).content.decode()
    assert certificate.number in body
    assert 'id="audit"' in body


@pytest.mark.parametrize("who", ["secretary", "member1", "owner", "inspector"])
def test_only_the_office_decides(as_user, decided, who):
    response = as_user(decided[who]).post(
        url("transition", decided["dossier"]), {"target": "recognised"}
    )
    assert response.status_code == 403
    assert not Certificate.objects.filter(dossier=decided["dossier"]).exists()


@pytest.mark.parametrize("who", ["other_office", "far_inspector"])
def test_officials_of_other_units_get_404(as_user, decided, who):
    client = as_user(decided[who])
    assert client.get(url("dossier", decided["dossier"])).status_code == 404
    assert (
        client.post(url("transition", decided["dossier"]), {"target": "recognised"}).status_code
        == 404
    )


def test_the_inspector_reads_everything_in_the_province_and_changes_nothing(as_user, decided):
    client = as_user(decided["inspector"])
    assert client.get(url("dossier", decided["dossier"])).status_code == 200
    assert client.get(url("result", decided["dossier"])).status_code == 200  # reads, read only
    assert client.get(url("scorecard", decided["dossier"])).status_code == 403
    document = url("document", decided["dossier"], document_pk=decided["document"].pk)
    assert client.get(document).status_code == 200


def test_producers_see_their_certificates_and_the_renewal_window(as_user, decided):
    as_user(decided["district_office"]).post(
        url("transition", decided["dossier"]), {"target": "recognised"}
    )
    body = as_user(decided["owner"]).get(reverse("evaluation:certificates")).content.decode()
    number = Certificate.objects.get(dossier=decided["dossier"]).number
    assert number in body
    assert "Nộp hồ sơ đánh giá lại trong khoảng" in body
    stranger = as_user(decided["stranger"]).get(reverse("evaluation:certificates"))
    assert number not in stranger.content.decode()


def test_revoking_needs_a_ground_and_the_office(as_user, decided):
    as_user(decided["district_office"]).post(
        url("transition", decided["dossier"]), {"target": "recognised"}
    )
    certificate = Certificate.objects.get(dossier=decided["dossier"])
    revoke = reverse("evaluation:revoke", kwargs={"pk": certificate.pk})
    assert (
        as_user(decided["owner"])
        .post(revoke, {"ground": "mark_misuse", "inspection_reference": "KL 1"})
        .status_code
        == 403
    )
    assert as_user(decided["far_inspector"]).post(revoke, {}).status_code == 404
    client = as_user(decided["district_office"])
    client.post(revoke, {"ground": "", "inspection_reference": "KL 1", **CONCLUDED})
    client.post(revoke, {"ground": "mark_misuse", "inspection_reference": "KL 15/KL-TTr"})
    certificate.refresh_from_db()
    assert certificate.revoked_on is None  # no ground; then no date of the conclusion
    client.post(
        revoke, {"ground": "mark_misuse", "inspection_reference": "KL 15/KL-TTr", **CONCLUDED}
    )
    certificate.refresh_from_db()
    assert certificate.revoked_on is not None
    assert certificate.inspection_concluded_on == date(2026, 11, 20)
    assert certificate.history.first().history_user == decided["district_office"]


CONCLUDED = {"inspection_concluded_on": "2026-11-20"}


def revoke_on(sign_in, certificate, day, concluded_on):
    """Signed in on `day` (a session from today would have expired by then)."""
    with time_machine.travel(day, tick=False):
        response = sign_in().post(
            reverse("evaluation:revoke", kwargs={"pk": certificate.pk}),
            {
                "ground": "production_stopped",
                "inspection_reference": "Xác nhận của UBND xã số 3/XN-UBND",
                "inspection_concluded_on": concluded_on.isoformat(),
            },
            follow=True,
        )
        return response.content.decode()


def recognised_on(day, as_user, decided):
    with time_machine.travel(day, tick=False):
        as_user(decided["district_office"]).post(
            url("transition", decided["dossier"]), {"target": "recognised"}
        )
    return Certificate.objects.get(dossier=decided["dossier"])


def test_a_revocation_after_its_15_days_is_made_and_shown_as_late(as_user, decided, english):
    certificate = recognised_on(date(2026, 12, 1), as_user, decided)
    office = partial(as_user, decided["district_office"])

    # Concluded Monday 4 January 2027: due by Tuesday 19 January (Điều 8 khoản 4).
    page = revoke_on(office, certificate, date(2027, 1, 22), date(2027, 1, 4))

    certificate.refresh_from_db()
    assert certificate.revoked_on == date(2027, 1, 22)
    assert "was due by 01/19/2027" in page and "3 days late" in page
    assert "revoked after the limit: due by 01/19/2027 (15 days, Điều 8 khoản 4)" in page


def test_a_revocation_within_its_15_days_says_so(as_user, decided, english):
    certificate = recognised_on(date(2026, 12, 1), as_user, decided)

    office = partial(as_user, decided["district_office"])
    page = revoke_on(office, certificate, date(2027, 1, 10), date(2027, 1, 4))

    assert "days late" not in page
    assert "revoked within the limit (01/19/2027, Điều 8 khoản 4)" in page


def test_no_revocation_limit_is_shown_where_the_rule_of_the_day_had_none(as_user, decided, english):
    # Concluded under Decision 148, whose own limits are not transcribed.
    certificate = recognised_on(date(2026, 1, 5), as_user, decided)
    office = partial(as_user, decided["district_office"])
    page = revoke_on(office, certificate, date(2026, 3, 2), date(2026, 1, 6))
    assert "Certificate " in page and "revoked" in page
    assert "within the limit" not in page and "after the limit" not in page
