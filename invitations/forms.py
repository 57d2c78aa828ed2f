import re

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import AdminRadioSelect
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.admin_widgets import AutocompleteSelect
from evaluation.models import Council, CouncilMembership, OfficialRole
from evaluation.models.rulebooks import Level
from invitations import roles
from registry.models import AdministrativeUnit, Producer, Product

ROLE_CHOICES = [
    (roles.PRODUCER, _("A producer's account")),
    (roles.OFFICE, _("An office that takes decisions")),
    (roles.INSPECTOR, _("An inspector (reads only)")),
    (roles.COUNCIL, _("A council's chair, member or secretary")),
    (roles.NONE, _("None yet (given later in the admin)")),
]


def username_from(email: str) -> str:
    """A free username from the address's local part: "Nguyen.Hoa+ocop@x.vn" → "nguyen.hoa"."""
    User = get_user_model()
    base = re.sub(r"[^a-z0-9._-]", "", email.split("@")[0].split("+")[0].lower())[:140] or "user"
    candidate, n = base, 1
    while User._default_manager.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, help_text=_("Family name first: Nguyễn Thị Hoà.")
    )
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        required=False,
        help_text=_("Leave empty to make one from the e-mail address."),
    )
    language = forms.ChoiceField(
        label=_("Language of mails"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, widget=AdminRadioSelect)
    producer = forms.ModelChoiceField(
        label=_("Producer"),
        queryset=Producer.objects.all(),
        required=False,
        help_text=_("For a producer's account."),
        widget=AutocompleteSelect(Product._meta.get_field("producer"), admin.site),
    )
    level = forms.ChoiceField(
        label=_("Level"),
        choices=[("", "—"), *Level.choices],
        required=False,
        help_text=_("For an office or an inspector."),
    )
    unit = forms.ModelChoiceField(
        label=_("Administrative unit"),
        queryset=AdministrativeUnit.objects.all(),
        required=False,
        help_text=_("For an office or an inspector; empty for the central level."),
        widget=AutocompleteSelect(OfficialRole._meta.get_field("unit"), admin.site),
    )
    council = forms.ModelChoiceField(
        label=_("Council"),
        queryset=Council.objects.order_by("name"),
        required=False,
        help_text=_("For a council's chair, member or secretary."),
    )
    council_role = forms.ChoiceField(
        label=_("Role in the council"),
        choices=[("", "—"), *CouncilMembership.Role.choices],
        required=False,
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        taken = get_user_model()._default_manager.filter(email__iexact=email).first()
        if taken:
            raise forms.ValidationError(
                _("The account %(username)s already has this address."),
                params={"username": taken.get_username()},
            )
        return email

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not username:
            return ""
        field = get_user_model()._meta.get_field("username")
        for validator in field.validators:
            validator(username)
        if get_user_model()._default_manager.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username

    def clean(self):
        data = super().clean()
        if "email" in data and not data.get("username"):
            data["username"] = username_from(data["email"])
        role = data.get("role")
        needs = {
            roles.PRODUCER: ["producer"],
            roles.OFFICE: ["level"],
            roles.INSPECTOR: ["level"],
            roles.COUNCIL: ["council", "council_role"],
        }.get(role, [])
        for name in needs:
            if not data.get(name):
                self.add_error(name, _("Needed for this role."))
        if role in (roles.OFFICE, roles.INSPECTOR) and data.get("level"):
            unit, level = data.get("unit"), data["level"]
            if level == Level.CENTRAL and unit is not None:
                self.add_error("unit", _("The central level has no unit."))
            elif level != Level.CENTRAL and unit is None:
                self.add_error("unit", _("Needed for this level."))
            elif unit is not None and unit.level != level:
                self.add_error("unit", _("This unit is not of the level chosen."))
        return data
