from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.kinds import KINDS


class Notification(models.Model):
    """One thing one person is told about, once.

    (recipient, kind, event_key) is unique: the event key names the event ("move:<history
    row>", "renewal:<certificate>", "card-due:<dossier>:<member>:<close>"), so a scan run
    twice, or on two machines at once, or a receiver called twice, leaves one row, and the
    mail is queued only by the call that made it (`delivery.notify`). The sentence is not
    stored, only its values (`params`): it is shown in the reader's language of the moment.
    """

    class Target(models.TextChoices):
        DOSSIER = "dossier", _("dossier")
        CERTIFICATE = "certificate", _("certificate")
        FAKE_REPORT = "fake_report", _("report of a suspected fake")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # A code of kinds.KINDS; not `choices`, so that adding a kind needs no migration.
    kind = models.CharField(_("kind"), max_length=30)
    event_key = models.CharField(_("event"), max_length=200)
    target_type = models.CharField(_("about"), max_length=15, choices=Target.choices)
    target_id = models.PositiveIntegerField(_("about (id)"))
    params = models.JSONField(_("values"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "event_key"], name="notification_once_per_event"
            )
        ]
        indexes = [
            # The list, newest first, and the unread count on every page.
            models.Index(fields=["recipient", "-created_at"], name="notification_list"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient}"

    @property
    def kind_entry(self):
        return KINDS.get(self.kind)

    @property
    def text(self) -> str:
        entry = self.kind_entry
        return entry.render(self.params) if entry else self.kind

    @property
    def label(self) -> str:
        entry = self.kind_entry
        return str(entry.label) if entry else self.kind


class Preference(models.Model):
    """A person's choice for one kind: by mail or not (in the site always). No row: the
    kind's default (`Kind.email`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=30)
    email = models.BooleanField(_("by e-mail"))

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")
        ]

    def __str__(self):
        return f"{self.user}: {self.kind} {'✉' if self.email else '—'}"
