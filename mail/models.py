from django.db import models
from django.utils.translation import gettext_lazy as _


class SentMail(models.Model):
    """A mail handed to the transport (SMTP or the console), as the backend saw it.

    The body is kept only where mails are printed rather than sent (development: no
    EMAIL_HOST), so that the administrator can read them; a real mail's body may hold a
    one-time link (password reset, invitation) that nobody but its recipient should see.
    """

    class Outcome(models.TextChoices):
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    sender = models.CharField(_("from"), max_length=254)
    recipients = models.TextField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    language = models.CharField(_("language"), max_length=10, blank=True)
    body = models.TextField(_("text"), blank=True)
    transport = models.CharField(_("sent through"), max_length=20)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("sent mail")
        verbose_name_plural = _("sent mail")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.subject} → {self.recipients}"
