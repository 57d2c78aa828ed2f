"""Offices decide, inspectors read, producers see their certificates; others get 404."""

import pytest
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
    client.post(revoke, {"ground": "", "inspection_reference": "KL 1"})
    certificate.refresh_from_db()
    assert certificate.revoked_on is None
    client.post(revoke, {"ground": "mark_misuse", "inspection_reference": "KL 15/KL-TTr"})
    certificate.refresh_from_db()
    assert certificate.revoked_on is not None
    assert certificate.history.first().history_user == decided["district_office"]


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
    decided_client.post(url("transition", decided["dossier"]), {"target": "recognised"})
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
