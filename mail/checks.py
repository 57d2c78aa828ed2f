"""`check --deploy`: mail that would not reach anyone, or would travel in clear."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def mail_is_configured(app_configs, **kwargs):
    problems = []
    if not settings.EMAIL_HOST:
        problems.append(
            checks.Warning(
                "EMAIL_HOST is not set: mails (password resets, invitations) are only "
                "printed on the worker's console and kept in the admin; nobody receives them.",
                id="mail.W001",
            )
        )
    if not settings.SITE_URL:
        problems.append(
            checks.Warning(
                "SITE_URL is not set: mails sent by scheduled jobs cannot carry links.",
                id="mail.W002",
            )
        )
    if settings.EMAIL_HOST_PASSWORD and not (settings.EMAIL_USE_TLS or settings.EMAIL_USE_SSL):
        problems.append(
            checks.Warning(
                "EMAIL_HOST_PASSWORD is set but neither EMAIL_USE_TLS nor EMAIL_USE_SSL: the "
                "password would travel to the mail server in clear.",
                id="mail.W003",
            )
        )
    return problems
