"""Offices decide, inspectors read, producers see their certificates; others get 404."""

from datetime import date
from functools import partial

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from evaluation.models import Certificate, Decision, Dossier
from tests.factories import ProductFactory, certificate_of, district, give_result, office_of

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


RECOGNISE = {"action": "cong-nhan"}


def act_form(number="12/QĐ-UBND", **fields):
    """What an office types into the confirmation page from the signed paper."""
    return {
        "number": number,
        "signed_on": timezone.localdate().isoformat(),
        "authority": "UBND huyện Hoài Đức",
        "signer_name": "Nguyễn Văn An",
        "signer_title": "Chủ tịch",
        **fields,
    }


def recognise(client, dossier, **fields):
    return client.post(url("decide", dossier, **RECOGNISE), act_form(**fields))


def test_the_districts_office_recognises_and_a_certificate_is_issued(as_user, decided):
    client = as_user(decided["district_office"])
    response = recognise(client, decided["dossier"])
    assert response.status_code == 302
    certificate = Certificate.objects.get(dossier=decided["dossier"])
    assert certificate.decision.number == "12/QĐ-UBND"
    assert (certificate.stars, certificate.level) == (3, "district")
    body = client.get(url("dossier", decided["dossier"])).content.decode()
    assert certificate.number in body
    assert 'id="audit"' in body


@pytest.mark.parametrize("who", ["secretary", "member1", "owner", "inspector"])
def test_only_the_office_decides(as_user, decided, who):
    client = as_user(decided[who])
    assert (
        client.post(url("transition", decided["dossier"]), {"target": "recognised"}).status_code
        == 403
    )
    assert client.get(url("decide", decided["dossier"], **RECOGNISE)).status_code == 403
    assert recognise(client, decided["dossier"]).status_code == 403
    assert not Certificate.objects.filter(dossier=decided["dossier"]).exists()
    assert not Decision.objects.exists()


@pytest.mark.parametrize("who", ["other_office", "far_inspector", "far_office", "city_office"])
def test_officials_of_other_units_or_levels_get_404(as_user, decided, who):
    client = as_user(decided[who])
    assert client.get(url("dossier", decided["dossier"])).status_code == 404
    assert (
        client.post(url("transition", decided["dossier"]), {"target": "recognised"}).status_code
        == 404
    )
    assert client.get(url("decide", decided["dossier"], **RECOGNISE)).status_code == 404
    assert recognise(client, decided["dossier"]).status_code == 404
    assert not Decision.objects.exists()


def test_the_inspector_reads_everything_in_the_province_and_changes_nothing(as_user, decided):
    client = as_user(decided["inspector"])
    assert client.get(url("dossier", decided["dossier"])).status_code == 200
    assert client.get(url("result", decided["dossier"])).status_code == 200  # reads, read only
    assert client.get(url("scorecard", decided["dossier"])).status_code == 403
    document = url("document", decided["dossier"], document_pk=decided["document"].pk)
    assert client.get(document).status_code == 200


def test_producers_see_their_certificates_and_the_renewal_window(as_user, decided):
    recognise(as_user(decided["district_office"]), decided["dossier"])
    body = as_user(decided["owner"]).get(reverse("evaluation:certificates")).content.decode()
    number = Certificate.objects.get(dossier=decided["dossier"]).number
    assert number in body
    assert "Nộp hồ sơ đánh giá lại trong khoảng" in body
    stranger = as_user(decided["stranger"]).get(reverse("evaluation:certificates"))
    assert number not in stranger.content.decode()


CONCLUDED = {"inspection_concluded_on": "2026-11-20"}


def revocation_form(number="7/QĐ-UBND", **fields):
    return {
        **act_form(number, authority="UBND thành phố Hà Nội", signer_title="Phó Chủ tịch"),
        "ground": "mark_misuse",
        "inspection_reference": "KL 15/KL-TTr",
        **CONCLUDED,
        **fields,
    }


def test_revoking_a_district_certificate_is_the_citys_since_districts_were_abolished(
    as_user, decided, hanoi
):
    # Hoài Đức district was abolished on 1 July 2025: its 3★ certificate is revoked by the
    # chair of Hà Nội's people's committee (Decision 26/2026, Điều 8 khoản 2 điểm a).
    recognise(as_user(decided["district_office"]), decided["dossier"])
    certificate = Certificate.objects.get(dossier=decided["dossier"])
    revoke = reverse("evaluation:revoke", kwargs={"pk": certificate.pk})
    for who, status in [("owner", 403), ("district_office", 403), ("inspector", 403)]:
        client = as_user(decided[who])
        assert client.get(revoke).status_code == status, who
        assert client.post(revoke, revocation_form()).status_code == status, who
    assert as_user(decided["far_inspector"]).post(revoke, {}).status_code == 404
    assert as_user(decided["far_office"]).get(revoke).status_code == 404

    client = as_user(decided["city_office"])
    page = client.get(revoke)
    assert page.status_code == 200
    assert page.context["form"]["authority"].value() == "UBND thành phố Hà Nội"
    assert client.post(revoke, revocation_form(ground="")).status_code == 400
    no_date = revocation_form()
    del no_date["inspection_concluded_on"]
    assert client.post(revoke, no_date).status_code == 400
    certificate.refresh_from_db()
    assert certificate.revoked_on is None  # no ground; then no date of the conclusion
    assert client.post(revoke, revocation_form()).status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_on == timezone.localdate()
    record = certificate.revocation_decision
    assert (record.kind, record.number, record.level, record.unit) == (
        Decision.Kind.REVOCATION,
        "7/QĐ-UBND",
        "province",
        hanoi,
    )
    assert (record.ground, record.inspection_reference) == ("mark_misuse", "KL 15/KL-TTr")
    assert certificate.inspection_concluded_on == date(2026, 11, 20)
    assert record.rulebook.code == "qd26-2026"  # the rules in force on the day it is revoked
    assert certificate.history.first().history_user == decided["city_office"]
    # Revoked: no second revocation, and the list no longer offers one.
    assert client.post(revoke, revocation_form("8/QĐ-UBND")).status_code == 302
    assert Decision.objects.filter(kind="revocation").count() == 1


def test_the_city_lists_the_district_certificates_it_may_revoke(as_user, decided):
    recognise(as_user(decided["district_office"]), decided["dossier"])
    certificate = Certificate.objects.get(dossier=decided["dossier"])
    rows = as_user(decided["city_office"]).get(reverse("evaluation:certificates")).context["rows"]
    [row] = [r for r in rows if r["certificate"] == certificate]
    assert row["may_revoke"]
    rows = (
        as_user(decided["district_office"]).get(reverse("evaluation:certificates")).context["rows"]
    )
    [row] = [r for r in rows if r["certificate"] == certificate]
    assert not row["may_revoke"]


def test_a_revocation_number_already_used_is_refused_in_words(as_user, decided):
    recognise(as_user(decided["district_office"]), decided["dossier"])
    certificate = Certificate.objects.get(dossier=decided["dossier"])
    other = ProductFactory(stars=3)  # certified by the province, in Hà Nội
    client = as_user(decided["city_office"])
    client.post(reverse("evaluation:revoke", kwargs={"pk": certificate.pk}), revocation_form())
    response = client.post(
        reverse("evaluation:revoke", kwargs={"pk": certificate_of(other).pk}),
        revocation_form(" 7/qđ-ubnd "),
    )
    assert response.status_code == 400
    assert "đã được ghi nhận" in str(response.context["form"].errors["number"])
    assert certificate_of(other).revoked_on is None


def revoke_on(sign_in, certificate, day, concluded_on):
    """Signed in on `day` (a session from today would have expired by then)."""
    with time_machine.travel(day, tick=False):
        response = sign_in().post(
            reverse("evaluation:revoke", kwargs={"pk": certificate.pk}),
            revocation_form(
                ground="production_stopped",
                inspection_reference="Xác nhận của UBND xã số 3/XN-UBND",
                inspection_concluded_on=concluded_on.isoformat(),
            ),
            follow=True,
        )
        return response.content.decode()


def recognised_on(day, as_user, decided):
    with time_machine.travel(day, tick=False):
        recognise(as_user(decided["district_office"]), decided["dossier"])
    return Certificate.objects.get(dossier=decided["dossier"])


def test_a_revocation_after_its_15_days_is_made_and_shown_as_late(as_user, decided, english):
    certificate = recognised_on(date(2026, 12, 1), as_user, decided)
    office = partial(as_user, decided["city_office"])

    # Concluded Monday 4 January 2027: due by Tuesday 19 January (Điều 8 khoản 4).
    page = revoke_on(office, certificate, date(2027, 1, 22), date(2027, 1, 4))

    certificate.refresh_from_db()
    assert certificate.revoked_on == date(2027, 1, 22)
    assert "was due by 19/01/2027" in page and "3 days late" in page
    assert "revoked after the limit: due by 19/01/2027 (15 days, Điều 8 khoản 4)" in page


def test_a_revocation_within_its_15_days_says_so(as_user, decided, english):
    certificate = recognised_on(date(2026, 12, 1), as_user, decided)

    office = partial(as_user, decided["city_office"])
    page = revoke_on(office, certificate, date(2027, 1, 10), date(2027, 1, 4))

    assert "days late" not in page
    assert "revoked within the limit (19/01/2027, Điều 8 khoản 4)" in page


def test_no_revocation_limit_is_shown_where_the_rule_of_the_day_had_none(as_user, decided, english):
    # Concluded under Decision 148, whose own limits are not transcribed.
    certificate = recognised_on(date(2026, 1, 5), as_user, decided)
    office = partial(as_user, decided["city_office"])
    page = revoke_on(office, certificate, date(2026, 3, 2), date(2026, 1, 6))
    assert "Certificate " in page and "revoked" in page
    assert "within the limit" not in page and "after the limit" not in page


def test_certificate_pages_need_a_login(client):
    response = client.get(reverse("evaluation:certificates"))
    assert response.status_code == 302
    assert client.post(reverse("evaluation:revoke", kwargs={"pk": 1})).status_code == 302


def test_reevaluation_list_is_for_officials_only(as_user, decided):
    assert as_user(decided["inspector"]).get(reverse("evaluation:reevaluation")).status_code == 200
    assert as_user(decided["owner"]).get(reverse("evaluation:reevaluation")).status_code == 404


def test_admin_lists_certificates_in_scope_only(client, decided):
    from django.contrib.auth.models import Permission

    as_office = decided["district_office"]
    decided_client = client
    decided_client.force_login(as_office)
    recognise(decided_client, decided["dossier"])
    for who, expected in [("district_office", 1), ("other_office", 0)]:
        user = decided[who]
        user.is_staff = True
        user.save()
        user.user_permissions.add(Permission.objects.get(codename="view_certificate"))
        client.force_login(user)
        response = client.get(reverse("admin:evaluation_certificate_changelist"))
        assert response.status_code == 200
        issued = response.context["cl"].queryset.filter(dossier=decided["dossier"])
        assert issued.count() == expected
