"""Telling people: one row per person and event, and a mail queued with it.

`notify` is the only writer of notifications. The unique (recipient, kind, event_key)
constraint decides who was told already: the row and its mail are written in one
transaction, so a mail is queued exactly when a row is created, and a second call for the
same event (a scan run twice, two workers, a receiver called again) writes nothing.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from accounts.models import language_of
from mail.sending import send_later
from notifications.kinds import KINDS
from notifications.models import Notification, Preference

logger = logging.getLogger("notifications")


def wants_email(user, code: str) -> bool:
    choice = Preference.objects.filter(user=user, kind=code).values_list("email", flat=True)
    chosen = choice.first()
    return KINDS[code].email if chosen is None else chosen


def target_path(target_type: str, target_id: int, params: dict) -> str:
    """Where a notification leads, in the active language. The page checks access itself:
    a recipient who has since lost it gets that page's 404, nothing more."""
    if target_type == Notification.Target.DOSSIER:
        return reverse("evaluation:dossier", kwargs={"pk": target_id})
    if target_type == Notification.Target.FAKE_REPORT:
        return reverse("evaluation:report_detail", kwargs={"pk": target_id})
    return reverse("evaluation:verify", kwargs={"number": params.get("number", "")})


def notify(users, code: str, event_key: str, *, target, params: dict) -> list[Notification]:
    """Tell each of `users` (active accounts; each once) of the event; returns the rows
    this call created. `target` is a Dossier, a Certificate or a FakeReport."""
    kind = KINDS[code]
    target_type = {
        "certificate": Notification.Target.CERTIFICATE,
        "fakereport": Notification.Target.FAKE_REPORT,
    }.get(target._meta.model_name, Notification.Target.DOSSIER)
    created = []
    seen = set()
    for user in users:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        with transaction.atomic():
            row, new = Notification.objects.get_or_create(
                recipient=user,
                kind=code,
                event_key=event_key[:200],
                defaults={"target_type": target_type, "target_id": target.pk, "params": params},
            )
            if new:
                created.append(row)
                if user.email and wants_email(user, code):
                    _mail(user, kind, row)
    return created


def _mail(user, kind, row: Notification) -> None:
    if not settings.SITE_URL:
        # Notices are sent from receivers and the scan, which have no request to take the
        # site's address from: without SITE_URL (development; `check --deploy` warns) a
        # mail could not carry its link and would fail in the worker. In the site only.
        logger.warning("SITE_URL is not set: notification %s not mailed", row.pk)
        return
    language = language_of(user)
    with translation.override(language):
        context = {
            "name": user.get_full_name() or user.get_username(),
            "label": str(kind.label),
            "text": kind.render(row.params),
            "path": target_path(row.target_type, row.target_id, row.params),
            "list_path": reverse("notifications:list"),
            "preferences_path": reverse("notifications:preferences"),
        }
    send_later([user.email], kind.mail_template, context, language)


def active_users(ids):
    return get_user_model()._default_manager.filter(pk__in=list(ids), is_active=True)
