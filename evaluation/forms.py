from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from evaluation import acts, checklist, verification
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


class CommentForm(forms.Form):
    """A member's note on one criterion; its length is the service's rule
    (scoring.COMMENT_CHARS), which answers in words."""

    criterion = forms.IntegerField(min_value=1, max_value=MAX_ID)
    comment = forms.CharField(required=False, strip=False)


def accepted_files() -> str:
    """What a document may be, said before anyone tries (the checks: core.files)."""
    return _(
        "PDF, or a photo in JPEG, PNG or WebP, up to %(limit)s. A Word or Excel file: save "
        "it as PDF first (File → Save as → PDF)."
    ) % {"limit": filesizeformat(settings.MAX_DOCUMENT_BYTES)}


class DocumentForm(forms.ModelForm):
    """A document for a dossier: which paper of the rulebook's list it is (or other
    evidence), a title (the paper's name when left blank), the file."""

    paper = forms.ChoiceField(label=_("Which paper is it?"), required=False)

    class Meta:
        model = DossierDocument
        fields = ["paper", "title", "file"]

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)
        dossier = dossier or getattr(self.instance, "dossier", None)
        self.papers = checklist.papers_of(dossier.round.rulebook.code) if dossier else None
        choices = self.papers.choices() if self.papers else []
        self.fields["paper"].choices = [("", _("Other evidence"))] + choices
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Left blank, the paper's name is used.")
        self.fields["file"].help_text = accepted_files()
        self.fields["file"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,.webp"

    def clean(self):
        cleaned = super().clean()
        paper = self.papers.get(cleaned.get("paper") or "") if self.papers else None
        if not cleaned.get("title"):
            if paper is None:
                self.add_error(
                    "title", _("Give the document a title, or choose which paper it is.")
                )
            else:
                cleaned["title"] = paper.title[:200]
                self.instance.title = cleaned["title"]
        return cleaned


class ReplaceDocumentForm(forms.ModelForm):
    """A new file in place of a document's file, before filing."""

    class Meta:
        model = DossierDocument
        fields = ["file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = accepted_files()
        self.fields["file"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,.webp"


class StartDossierForm(forms.Form):
    """A producer starts a dossier for one of their products in a round it may enter."""

    product = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    round = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    kind = forms.ChoiceField(choices=Dossier.Kind.choices)


class ActForm(forms.Form):
    """The act as printed on the paper: number, date, authority, signer (evaluation.acts).

    `today` and `earliest` bound the date; the view passes them. The number's uniqueness
    is checked by acts.record, inside the decision's transaction, and put back on the field.
    """

    number = forms.CharField(
        label=_("Decision number"),
        max_length=60,
        help_text=_("As printed on the decision, e.g. 1234/QĐ-UBND."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "1234/QĐ-UBND"}),
    )
    signed_on = forms.DateField(
        label=_("Dated"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    authority = forms.CharField(
        label=_("Issuing authority"),
        max_length=200,
        help_text=_("As printed at the head of the decision."),
    )
    signer_name = forms.CharField(label=_("Signed by (full name)"), max_length=120)
    signer_title = forms.CharField(
        label=_("Signer's title"),
        max_length=200,
        help_text=_("e.g. Phó Chủ tịch (ký thay Chủ tịch)"),
    )

    def __init__(self, *args, today=None, earliest=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today, self.earliest = today, earliest

    def clean(self):
        cleaned = super().clean()
        if self.errors or self.today is None:
            return cleaned
        error = acts.act_error(self.act(), today=self.today, earliest=self.earliest)
        if error is not None:
            self.add_error(error.field, str(error))
        return cleaned

    def act(self) -> acts.Act:
        data = self.cleaned_data
        return acts.Act(
            number=" ".join(data["number"].split()),
            signed_on=data["signed_on"],
            signer_name=data["signer_name"],
            signer_title=data["signer_title"],
            authority=data["authority"],
        )


class DecisionForm(ActForm):
    """Recognise, send up or not recognise: the act, the reasons, and the other dossiers
    of the same round the same act decides (`also`: (pk, label) choices from the view)."""

    note = forms.CharField(
        label=_("Reasons"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    also = forms.TypedMultipleChoiceField(
        label=_("Other products in this decision"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, others=(), note_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["also"].choices = list(others)
        self.fields["note"].required = note_required
        if note_required:
            self.fields["note"].help_text = _("Required: the producer will read them.")
        else:
            self.fields["note"].label = _("Note")


class RevocationForm(ActForm):
    # No ground chosen in advance: the official picks the one the conclusion states.
    ground = forms.ChoiceField(label=_("Ground"), choices=[("", "—"), *Certificate.Ground.choices])
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

    def clean(self):
        cleaned = super().clean()
        concluded, signed_on = cleaned.get("inspection_concluded_on"), cleaned.get("signed_on")
        if concluded is None:
            return cleaned
        # The time to revoke counts from the conclusion (certificates.revocation_due): it
        # comes before the decision resting on it, and neither is dated after today.
        if self.today is not None and concluded > self.today:
            self.add_error(
                "inspection_concluded_on",
                _("The inspection conclusion cannot be dated after today."),
            )
        elif signed_on is not None and concluded > signed_on:
            self.add_error(
                "inspection_concluded_on",
                _("The inspection conclusion cannot be dated after the decision that rests on it."),
            )
        return cleaned


class FakeReportForm(forms.Form):
    """A visitor's report of a suspected fake, from the certificate check."""

    number = forms.CharField(
        label=_("Certificate number on the product or paper (if any)"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "OCOP-01-2024-000123"}),
    )
    seen = forms.CharField(
        label=_("What did you see?"),
        help_text=_(
            "The product, its packaging, the certificate or QR code, and why it looks fake."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    place = forms.CharField(
        label=_("Where did you see it?"),
        help_text=_("A shop's name and address, a market, a website or page."),
        max_length=300,
    )
    contact = forms.CharField(
        label=_("Your phone or e-mail (optional)"),
        help_text=_("Only if you agree to be contacted by the office about this report."),
        required=False,
        max_length=200,
    )
    # Left empty by people (hidden from view and from screen readers); filled by robots
    # that fill every field. A filled one is thanked and dropped.
    website = forms.CharField(required=False, max_length=200)

    def clean_number(self):
        number = self.cleaned_data["number"]
        if verification.number_too_long(number):
            raise forms.ValidationError(_("A certificate number has at most 40 characters."))
        return verification.normalise_number(number)


class HandleReportForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
