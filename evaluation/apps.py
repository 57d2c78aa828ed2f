from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("OCOP evaluation")

    def ready(self):
        from evaluation import signals  # noqa: F401  (drops kept public pages on change)
