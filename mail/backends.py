"""The one place every outgoing mail passes through."""

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend

from mail.models import SentMail

TRANSPORT_NAMES = {
    "django.core.mail.backends.smtp.EmailBackend": "smtp",
    "django.core.mail.backends.console.EmailBackend": "console",
}


class RecordingBackend(BaseEmailBackend):
    """Sends through settings.MAIL_TRANSPORT (SMTP with EMAIL_HOST, else the console) and
    records each message as a SentMail, sent or failed. A failure is raised again after
    it is recorded, so the job sending it is retried."""

    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        self.transport = get_connection(
            settings.MAIL_TRANSPORT, fail_silently=fail_silently, **kwargs
        )
        self.transport_name = TRANSPORT_NAMES.get(settings.MAIL_TRANSPORT, settings.MAIL_TRANSPORT)

    def open(self):
        return self.transport.open()

    def close(self):
        return self.transport.close()

    def send_messages(self, email_messages):
        messages = list(email_messages)
        try:
            sent = self.transport.send_messages(messages)
        except Exception as exc:
            self._record(messages, SentMail.Outcome.FAILED, f"{type(exc).__name__}: {exc}")
            raise
        self._record(messages, SentMail.Outcome.SENT, "")
        return sent

    def _record(self, messages, outcome, error):
        keep_body = settings.MAIL_KEEP_BODIES
        SentMail.objects.bulk_create(
            SentMail(
                sender=str(message.from_email)[:254],
                recipients=", ".join(message.recipients()),
                subject=str(message.subject)[:255],
                language=message.extra_headers.get("Content-Language", "")[:10],
                body=message.body if keep_body else "",
                transport=self.transport_name[:20],
                outcome=outcome,
                error=error,
            )
            for message in messages
        )
