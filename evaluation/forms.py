from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.models import Certificate, Dossier, DossierDocument


class TransitionForm(forms.Form):
    target = forms.ChoiceField(choices=Dossier.Status.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the card reopened?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("Your tie to the producer"), max_length=300)


# The largest id a database here can hold. A larger one compared with a foreign key makes
# SQLite's driver raise OverflowError (a 500) instead of finding nothing.
MAX_ID = 2**63 - 1


class TickForm(forms.Form):
    criterion = forms.IntegerField(min_value=1, max_value=MAX_ID)
    option = forms.IntegerField(min_value=1, max_value=MAX_ID)


class RejectionForm(forms.Form):
    clause = forms.IntegerField(min_value=0)
    flagged = forms.BooleanField(required=False)


class EliminationForm(forms.Form):
    """One stop or elimination note of the sheet, flagged or not."""

    note = forms.IntegerField(min_value=1, max_value=MAX_ID)
    flagged = forms.BooleanField(required=False)


class DocumentForm(forms.ModelForm):
    class Meta:
        model = DossierDocument
        fields = ["title", "file"]


class RevocationForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground"), choices=Certificate.Ground.choices)
    inspection_reference = forms.CharField(
        label=_("Inspection conclusion (number, date)"), max_length=200
    )
    inspection_concluded_on = forms.DateField(
        label=_("Date of the conclusion"),
        help_text=_(
            "Of the inspection conclusion, or of the commune's confirmation that production "
            "stopped: revocation is due within 15 days of it (Decision 26/2026, Điều 8 "
            "khoản 4)."
        ),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
