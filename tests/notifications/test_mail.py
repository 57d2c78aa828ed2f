"""The mail goes in the recipient's language, through a real SMTP server, and only to those
who want it: with the preference off, the notice is in the site only."""

import pytest

from accounts.models import set_language
from evaluation import workflow
from evaluation.models import Dossier
from notifications.models import Notification, Preference
from tests.factories import ProductFactory, make_dossier

S = Dossier.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(cast):
    product = ProductFactory(
        producer=cast["producer"], name="Miến dong Hoài Đức", stars=None, certified=False
    )
    return make_dossier(cast["round"], S.DRAFT, product=product)


def test_each_reads_the_filing_in_their_own_language_through_smtp(
    cast, draft, committed, run_jobs, send_by_smtp, smtp_server, site_url
):
    set_language(cast["owner"], "en")  # the producer reads English; the secretary Vietnamese
    committed(workflow.transition, draft, S.SUBMITTED, cast["owner"])
    assert run_jobs() == 2
    mails = {m.envelope_to[0]: m for m in smtp_server.messages}
    assert set(mails) == {"owner@example.vn", "secretary@example.vn"}

    english = mails["owner@example.vn"]
    assert english["Subject"] == "OCOP: Dossier filed"
    assert english["Content-Language"] == "en"
    body = english.get_content()
    assert "The dossier of “Miến dong Hoài Đức” was filed in Hoài Đức 2024 đợt 1." in body
    assert f"{site_url}/en/ho-so/{draft.pk}/" in body

    vietnamese = mails["secretary@example.vn"]
    assert vietnamese["Subject"] == "OCOP: Hồ sơ đã nộp"
    assert vietnamese["Content-Language"] == "vi"
    body = vietnamese.get_content()
    assert "Hồ sơ sản phẩm “Miến dong Hoài Đức” đã được nộp vào Hoài Đức 2024 đợt 1." in body
    assert f"{site_url}/ho-so/{draft.pk}/" in body


def test_preference_off_leaves_the_notice_in_the_site_only(
    cast, draft, committed, mailoutbox, run_jobs, site_url
):
    Preference.objects.create(user=cast["owner"], kind="filed", email=False)
    committed(workflow.transition, draft, S.SUBMITTED, cast["owner"])
    assert run_jobs() == 1  # the secretary's mail only
    assert [m.to for m in mailoutbox] == [["secretary@example.vn"]]
    assert Notification.objects.filter(recipient=cast["owner"], kind="filed").exists()


def test_a_kind_mailed_by_default_unless_turned_off_and_one_without_address(
    cast, draft, committed, mailoutbox, run_jobs, site_url
):
    cast["secretary"].email = ""
    cast["secretary"].save()
    committed(workflow.transition, draft, S.SUBMITTED, cast["owner"])
    run_jobs()
    assert [m.to for m in mailoutbox] == [["owner@example.vn"]]
    assert Notification.objects.filter(kind="filed").count() == 2


def test_without_site_url_the_notice_is_in_the_site_only(cast, draft, committed, settings):
    """Development: no public address to put in the link, so no mail that would fail."""
    from django_tasks_db.models import DBTaskResult

    settings.SITE_URL = ""
    committed(workflow.transition, draft, S.SUBMITTED, cast["owner"])
    assert Notification.objects.filter(kind="filed").count() == 2
    assert not DBTaskResult.objects.filter(task_path="mail.sending.send_mail").exists()
