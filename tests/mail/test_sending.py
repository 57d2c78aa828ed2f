"""A mail is written in its recipient's language, sent by a job through a real SMTP server
and read back as it arrived: Vietnamese intact (UTF-8, 8-bit body, encoded subject),
links on the public address. Every mail is recorded; its text is kept only where mails
are printed (development). A mail server that is away fails the job, which is retried."""

import pytest
from django.core.management import call_command
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mail import sending
from mail.checks import mail_is_configured
from mail.models import SentMail

pytestmark = pytest.mark.django_db


@pytest.fixture
def greeting(settings, tmp_path):
    """A mail template of the test's own: mail/greeting(_subject).txt."""
    folder = tmp_path / "templates" / "mail"
    folder.mkdir(parents=True)
    (folder / "greeting_subject.txt").write_text(
        '{% load i18n %}{% translate "Sign in" %} — {{ name }}\n', encoding="utf-8"
    )
    (folder / "greeting.txt").write_text(
        '{% extends "mail/base.txt" %}{% block body %}Chào {{ name }} & <bạn>,\n'
        "{{ site_url }}/xac-thuc/\n{% endblock %}",
        encoding="utf-8",
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}
    ]
    settings.SITE_URL = "https://ocop.hanoi.gov.vn"
    return "mail/greeting"


def test_a_mail_sent_by_a_job_arrives_through_smtp_as_written(
    greeting, send_by_smtp, run_jobs, settings
):
    settings.DEFAULT_FROM_EMAIL = "OCOP Hà Nội <noreply@ocop.hanoi.gov.vn>"
    sending.send_later(["chu.the@example.vn"], greeting, {"name": "Nguyễn Thị Hoà"}, "vi")
    assert send_by_smtp.messages == []  # queued, not sent by the request
    run_jobs()
    [received] = send_by_smtp.messages
    assert received.envelope_to == ["chu.the@example.vn"]
    assert received["To"] == "chu.the@example.vn"
    # Django folds a long encoded subject onto a continuation line; Python's parser keeps
    # the space that leaves in front (mail programs drop it).
    assert received["Subject"].strip() == "Đăng nhập — Nguyễn Thị Hoà"
    assert received["From"] == "OCOP Hà Nội <noreply@ocop.hanoi.gov.vn>"
    assert received["Content-Language"] == "vi"
    assert received["Auto-Submitted"] == "auto-generated"
    # Headers travel as ASCII (RFC 2047 words); the body as UTF-8 bytes, untouched.
    head, _blank, body = received.raw.partition(b"\r\n\r\n")
    head.decode("ascii")
    assert b"=?utf-8?" in head
    assert received.get_content_type() == "text/plain"
    assert received.get_content_charset() == "utf-8"
    assert received["Content-Transfer-Encoding"] == "8bit"
    assert "Nguyễn Thị Hoà".encode() in body
    text = received.get_content()
    assert "Chào Nguyễn Thị Hoà & <bạn>," in text  # a text mail is not HTML-escaped
    assert "https://ocop.hanoi.gov.vn/xac-thuc/" in text


def test_the_recipients_language_writes_the_mail(greeting, send_by_smtp, run_jobs):
    sending.send_later(["buyer@example.com"], greeting, {"name": "Mai"}, "en")
    run_jobs()
    [received] = send_by_smtp.messages
    assert received["Subject"].strip() == "Sign in — Mai"
    assert received["Content-Language"] == "en"


def test_every_mail_is_recorded_without_its_text_when_really_sent(greeting, send_by_smtp, run_jobs):
    sending.send_later(["a@example.vn", "b@example.vn"], greeting, {"name": "Lan"}, "vi")
    run_jobs()
    [record] = SentMail.objects.all()
    assert record.recipients == "a@example.vn, b@example.vn"
    assert record.subject == "Đăng nhập — Lan"
    assert (record.transport, record.outcome, record.language) == ("smtp", "sent", "vi")
    assert record.body == ""


def test_in_development_mail_is_printed_and_kept_for_the_administrator(
    greeting, settings, run_jobs, capsys, as_user
):
    from tests.factories import make_user

    settings.EMAIL_BACKEND = "mail.backends.RecordingBackend"
    settings.MAIL_TRANSPORT = "django.core.mail.backends.console.EmailBackend"
    settings.MAIL_KEEP_BODIES = True
    sending.send_later(["lan@example.vn"], greeting, {"name": "Lan"}, "vi")
    run_jobs()
    assert "https://ocop.hanoi.gov.vn/xac-thuc/" in capsys.readouterr().out
    record = SentMail.objects.get()
    assert record.transport == "console" and "Chào Lan" in record.body
    page = as_user(make_user("quantri", superuser=True)).get(
        f"/admin/mail/sentmail/{record.pk}/change/"
    )
    assert "Chào Lan &amp; &lt;bạn&gt;" in page.content.decode()


def test_a_mail_server_that_is_away_fails_the_job_which_is_retried_and_recorded(
    greeting, send_by_smtp, run_jobs, settings
):
    send_by_smtp.messages.clear()
    settings.EMAIL_PORT = 1  # nothing listens there
    result = sending.send_later(["lan@example.vn"], greeting, {"name": "Lan"}, "vi")
    run_jobs()
    job = DBTaskResult.objects.get(pk=result.id)
    assert job.status == TaskResultStatus.READY  # waiting a minute for its second run
    assert job.exception_class_path == "builtins.ConnectionRefusedError"
    failed = SentMail.objects.get()
    assert failed.outcome == "failed" and "ConnectionRefusedError" in failed.error


def test_a_mail_without_a_public_address_fails_rather_than_carry_a_broken_link(greeting, settings):
    settings.SITE_URL = ""
    with pytest.raises(Exception, match="SITE_URL"):
        sending.compose(["a@example.vn"], greeting, {"name": "Lan"}, "vi")
    message = sending.compose(
        ["a@example.vn"], greeting, {"name": "Lan", "site_url": "http://127.0.0.1:8000/"}, "vi"
    )
    assert "http://127.0.0.1:8000/xac-thuc/" in message.body


# ---------------------------------------------------------------- check --deploy
@pytest.mark.parametrize(
    ("changes", "ids"),
    [
        ({"EMAIL_HOST": "", "SITE_URL": "https://ocop.vn"}, ["mail.W001"]),
        ({"EMAIL_HOST": "smtp.vn", "SITE_URL": ""}, ["mail.W002"]),
        (
            {"EMAIL_HOST": "smtp.vn", "SITE_URL": "https://ocop.vn", "EMAIL_HOST_PASSWORD": "x"},
            ["mail.W003"],
        ),
        (
            {
                "EMAIL_HOST": "smtp.vn",
                "SITE_URL": "https://ocop.vn",
                "EMAIL_HOST_PASSWORD": "x",
                "EMAIL_USE_TLS": True,
            },
            [],
        ),
    ],
)
def test_check_deploy_warns_of_mail_that_would_not_arrive(settings, changes, ids):
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_PASSWORD = ""
    for name, value in changes.items():
        setattr(settings, name, value)
    assert [problem.id for problem in mail_is_configured(None)] == ids


def test_the_system_check_runs_them_only_for_deploy(capsys):
    call_command("check")
    assert "mail.W00" not in capsys.readouterr().out
