from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mail import checks  # noqa: F401 — registers the deploy checks


class MailConfig(AppConfig):
    name = "mail"
    verbose_name = _("E-mail")
