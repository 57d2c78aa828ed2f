"""Writing a mail in its recipient's language, and sending it from a job."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from jobs.queue import job
from mail.links import site_root


def compose(to: list[str], template: str, context: dict, language: str) -> EmailMessage:
    """The mail of `template` ("<template>_subject.txt" and "<template>.txt") to `to`,
    written in `language`, with `site_url` (links' base: mail.links) in its context."""
    context = {**context, "site_url": site_root(context.get("site_url", ""))}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers={
            "Content-Language": language,
            # RFC 3834: an automatic mail, so out-of-office replies are not sent back.
            "Auto-Submitted": "auto-generated",
        },
    )


# A mail server away for two hours still gets the mail: 1 + 2 + … + 64 minutes.
@job(attempts=8, backoff_seconds=60)
def send_mail(to: list[str], template: str, context: dict, language: str) -> int:
    """The job: compose and send. `context` holds JSON values only (it is stored)."""
    return compose(to, template, context, language).send()


def send_later(to: list[str], template: str, context: dict, language: str):
    """Queue the mail; it is composed and sent by a worker."""
    return send_mail.enqueue(list(to), template, context, language)
