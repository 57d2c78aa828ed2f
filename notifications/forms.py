from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.kinds import KINDS


class PreferencesForm(forms.Form):
    """One box per kind: by e-mail or not. In the site every notification shows anyway."""

    def __init__(self, *args, chosen: dict[str, bool], codes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        for code in codes:
            kind = KINDS[code]
            self.fields[code] = forms.BooleanField(
                label=kind.label,
                required=False,
                initial=chosen.get(code, kind.email),
                help_text=_("To: %(audience)s") % {"audience": kind.audience},
            )
