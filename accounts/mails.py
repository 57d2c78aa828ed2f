"""The accounts' mails, each sent by a job that makes its one-time link itself: the link
is never stored in the queue, where anyone reading the jobs table could use it."""

import hashlib
import logging
import unicodedata

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import language_of
from accounts.tokens import invitation_token
from core import throttle
from jobs.queue import job
from mail.links import site_root
from mail.sending import compose

logger = logging.getLogger("accounts")


def _same_address(a: str, b: str) -> bool:
    # As Django's PasswordResetForm compares them: case-insensitive, Unicode-normalised.
    return (
        unicodedata.normalize("NFKC", a).casefold() == unicodedata.normalize("NFKC", b).casefold()
    )


def accounts_at(email: str):
    """Active accounts with this address, those still without a password included (an
    invited user whose invitation ran out sets a password this way)."""
    User = get_user_model()
    field = User.get_email_field_name()
    candidates = User._default_manager.filter(**{f"{field}__iexact": email, "is_active": True})
    return [user for user in candidates if _same_address(email, getattr(user, field))]


def _link(view: str, user, token: str, site: str, language: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    with translation.override(language):
        path = reverse(view, kwargs={"uidb64": uid, "token": token})
    return site_root(site) + path


def _greeting_name(user) -> str:
    return user.get_full_name() or user.get_username()


# ------------------------------------------------------------------ password reset
def request_password_reset(email: str, site: str) -> bool:
    """What the reset form does, the same for every address: count it, and queue the job
    that looks the address up. Nothing here depends on whether an account has it, so the
    page answers alike and in about the same time. Past PASSWORD_RESETS_PER_EMAIL an hour
    for one address the request is dropped, silently: the form must not become a way to
    flood someone's mailbox. True when queued."""
    counted = unicodedata.normalize("NFKC", email.strip()).casefold()
    key = "password-reset-email:" + hashlib.sha256(counted.encode()).hexdigest()
    if not throttle.allow(key, settings.PASSWORD_RESETS_PER_EMAIL, 3600):
        logger.warning("Password reset requests for one address over the hourly limit: dropped")
        return False
    send_password_reset.enqueue(email=email.strip(), site=site)
    return True


@job(attempts=5, backoff_seconds=60)
def send_password_reset(email: str, site: str) -> int:
    """Mail each account at `email` its reset link, in its own language; for an address
    no account has, nothing. Returns how many mails were sent."""
    sent = 0
    for user in accounts_at(email):
        language = language_of(user)
        token = default_token_generator.make_token(user)
        context = {
            "name": _greeting_name(user),
            "username": user.get_username(),
            "link": _link("accounts:password_reset_confirm", user, token, site, language),
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            "site_url": site,
        }
        compose([getattr(user, user.get_email_field_name())], "accounts/mail/password_reset",
                context, language).send()  # fmt: skip
        sent += 1
    return sent


# ------------------------------------------------------------------ invitation
@job(attempts=5, backoff_seconds=60)
def send_invitation(user_id: int, site: str, role: str = "", invited_by: str = "") -> bool:
    """Mail an invited account its username and the link to set its first password,
    valid INVITATION_DAYS. `role` says, in the recipient's language, what it may do.
    Nothing is sent once the account has a password (the invitation was used)."""
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return False
    language = language_of(user)
    context = {
        "name": _greeting_name(user),
        "username": user.get_username(),
        "role": role,
        "invited_by": invited_by,
        "link": _link(
            "accounts:invitation", user, invitation_token.make_token(user), site, language
        ),
        "days": settings.INVITATION_DAYS,
        "site_url": site,
    }
    compose([user.email], "accounts/mail/invitation", context, language).send()
    return True
