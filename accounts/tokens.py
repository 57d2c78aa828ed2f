"""The one-time link of an invitation: Django's password-reset token, with a salt of its
own (a reset link does not open an invitation, nor the reverse) and INVITATION_DAYS of
validity instead of PASSWORD_RESET_TIMEOUT. Like a reset token it dies once used: it is
made from the password hash and the last sign-in, which setting the password changes."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.tokens.InvitationTokenGenerator"

    @property
    def timeout_seconds(self) -> int:
        return settings.INVITATION_DAYS * 24 * 3600

    def check_token(self, user, token):
        # Django's check, with this generator's own validity.
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(
                self._make_token_with_timestamp(user, timestamp, secret), token
            ):
                break
        else:
            return False
        return (self._num_seconds(self._now()) - timestamp) <= self.timeout_seconds


invitation_token = InvitationTokenGenerator()
