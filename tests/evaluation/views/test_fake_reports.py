"""A visitor reports a suspected fake from the certificate check; the office that issued
the certificate (and the one that may revoke it) is told, reads it and marks it handled."""

import hypothesis
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import strategies as st

from evaluation.models import FakeReport
from notifications.models import Notification
from tests.factories import ProductFactory, certify, district

pytestmark = pytest.mark.django_db
FORM = reverse("evaluation:report")


@pytest.fixture
def certificate():
    product = ProductFactory(name="Miến dong Cự Đà", stars=4, certified=False)
    return certify(product, level="district", unit=district("274"))


def report(client, **fields):
    data = {"number": "", "seen": "Tem OCOP in mờ", "place": "Chợ Hà Đông", "contact": ""}
    return client.post(FORM, {**data, **fields})


def told(kind="fake_reported"):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_the_check_page_leads_to_the_form_with_its_number(client, certificate):
    page = client.get(reverse("evaluation:verify", args=[certificate.number])).content.decode()
    link = f"{FORM}?so={certificate.number}"
    assert link in page
    form = client.get(link).content.decode()
    assert "Miến dong Cự Đà" in form and f'value="{certificate.number}"' in form
    unknown = client.get(reverse("evaluation:verify", args=["KHONG-CO-SO-NAY"]))
    assert f"{FORM}?so=KHONG-CO-SO-NAY" in unknown.content.decode()


def test_a_report_reaches_the_issuing_office_and_the_one_that_may_revoke(
    client, certificate, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = report(client, number=certificate.number.lower(), contact="0912 345 678")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Cảm ơn bạn" in page
    stored = FakeReport.objects.get()
    assert (stored.certificate, stored.level, stored.unit) == (
        certificate,
        "district",
        district("274"),
    )
    assert stored.contact == "0912 345 678"
    # Hoài Đức issued it; Hà Nội may revoke it since districts were abolished.
    assert told() == {"district_office", "city_office"}


def test_an_unknown_number_goes_to_the_central_office(
    client, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report(client, number="OCOP-GIA-0001")
    stored = FakeReport.objects.get()
    assert (stored.certificate, stored.number, stored.level, stored.unit) == (
        None,
        "OCOP-GIA-0001",
        "central",
        None,
    )
    assert told() == {"central_office"}


def test_missing_fields_are_named_in_vietnamese_and_what_was_typed_is_kept(client):
    response = report(client, seen="", place="", contact="bạn đọc@example.vn")
    body = response.content.decode()
    assert response.status_code == 400
    assert body.count("Trường này là bắt buộc.") == 2
    assert "bạn đọc@example.vn" in body
    assert not FakeReport.objects.exists()


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"seen": "x" * 2001}, "tối đa 2000 kí tự"),
        ({"place": "y" * 301}, "tối đa 300 kí tự"),
        ({"number": "9" * 61}, "tối đa 60 kí tự"),
        ({"number": "9" * 45}, "nhiều nhất 40 ký tự"),
        ({"seen": "a\x00b"}, "ký tự NUL"),
    ],
)
def test_hostile_input_is_refused_in_words(client, fields, message):
    response = report(client, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FakeReport.objects.exists()


def test_html_and_unicode_are_stored_as_typed_and_shown_as_text(client, people, as_user):
    seen = '<script>alert("x")</script> Bánh chưng 🍃 ở chợ Đồng Xuân <b>giả</b>'
    assert report(client, number="OCOP-X", seen=seen).status_code == 302
    stored = FakeReport.objects.get()
    assert stored.seen == seen
    page = as_user(people["central_office"]).get(
        reverse("evaluation:report_detail", args=[stored.pk])
    )
    body = page.content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert" in body and "Bánh chưng 🍃" in body


def test_a_robot_filling_the_hidden_field_is_thanked_and_dropped(client):
    assert report(client, website="http://spam.example").status_code == 302
    assert not FakeReport.objects.exists()


def test_a_flood_from_one_address_is_stopped_keeping_the_text(client, settings):
    settings.FAKE_REPORTS_PER_HOUR = 3
    for _ in range(3):
        assert report(client).status_code == 302
    response = report(client, seen="Lần thứ tư")
    assert response.status_code == 429
    body = response.content.decode()
    assert "Quá nhiều báo cáo" in body and "Lần thứ tư" in body
    assert FakeReport.objects.count() == 3
    # Another address still may.
    assert report(Client(REMOTE_ADDR="10.0.0.9")).status_code == 302


def test_the_form_needs_its_csrf_token(certificate):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(FORM, {"seen": "a", "place": "b"})
    assert response.status_code == 403
    assert not FakeReport.objects.exists()


def test_each_office_reads_only_the_reports_about_its_certificates(
    client, certificate, people, as_user
):
    report(client, number=certificate.number)
    report(client, number="KHONG-CO")
    about, unknown = (
        FakeReport.objects.get(certificate=certificate),
        FakeReport.objects.get(number="KHONG-CO"),
    )
    reading = {
        "district_office": {about.pk},
        "city_office": {about.pk},
        "central_office": {unknown.pk},
        "far_office": set(),
        "admin": {about.pk, unknown.pk},
    }
    for name, expected in reading.items():
        browser = as_user(people[name])
        listed = browser.get(reverse("evaluation:reports"))
        assert listed.status_code == 200, name
        shown = {r.pk for r in listed.context["page"].object_list}
        assert shown == expected, name
        for pk in (about.pk, unknown.pk):
            detail = browser.get(reverse("evaluation:report_detail", args=[pk]))
            assert detail.status_code == (200 if pk in expected else 404), (name, pk)


def test_only_offices_have_the_list(client, people, as_user):
    assert client.get(reverse("evaluation:reports")).status_code == 302
    for name in ("citizen", "inspector", "chair", "secretary"):
        assert as_user(people[name]).get(reverse("evaluation:reports")).status_code == 404


def test_an_office_marks_a_report_handled_once_with_who_and_when(
    client, certificate, people, as_user
):
    report(client, number=certificate.number)
    stored = FakeReport.objects.get()
    url = reverse("evaluation:report_detail", args=[stored.pk])
    office = as_user(people["district_office"])
    assert office.post(url, {"note": ""}).status_code == 400
    response = office.post(url, {"note": "Đã kiểm tra cửa hàng, lập biên bản."})
    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.handled_by == people["district_office"] and stored.handled_at is not None
    assert stored.handled_note == "Đã kiểm tra cửa hàng, lập biên bản."
    page = office.get(url).content.decode()
    assert "Đã kiểm tra cửa hàng" in page and 'id="handle-form"' not in page
    # A second office cannot overwrite who handled it.
    again = as_user(people["city_office"]).post(url, {"note": "Khác"})
    assert again.status_code == 400
    assert "đã được đánh dấu" in again.content.decode()
    stored.refresh_from_db()
    assert stored.handled_by == people["district_office"]


def test_the_list_runs_the_same_queries_for_few_and_many_reports(client, people, as_user):
    office = as_user(people["central_office"])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert office.get(reverse("evaluation:reports")).status_code == 200
        return len(captured)

    queries()  # the first page of a session warms the menu's counts
    for index in range(3):
        FakeReport.objects.create(number=f"N{index}", seen="a", place="b", level="central")
    few = queries()
    for index in range(3, 40):
        FakeReport.objects.create(number=f"N{index}", seen="a", place="b", level="central")
    assert queries() == few


@hypothesis.settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)
@hypothesis.given(
    number=st.text(max_size=80),
    seen=st.text(max_size=2100),
    place=st.text(max_size=320),
    contact=st.text(max_size=220),
)
def test_any_text_is_stored_as_typed_or_refused_in_words(
    client, settings, number, seen, place, contact
):
    settings.FAKE_REPORTS_PER_HOUR = 0
    before = FakeReport.objects.count()
    response = report(client, number=number, seen=seen, place=place, contact=contact)
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        stored = FakeReport.objects.latest("pk")
        assert (stored.seen, stored.place, stored.contact) == (
            seen.strip(),
            place.strip(),
            contact.strip(),
        )
    else:
        assert FakeReport.objects.count() == before
