"""Giving an invited account its role, and saying in words what roles an account has."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.mails import send_invitation
from accounts.models import language_of, set_language
from evaluation.models import CouncilMembership, OfficialRole

PRODUCER, OFFICE, INSPECTOR, COUNCIL, NONE = "producer", "office", "inspector", "council", "none"


def describe(user, language: str) -> str:
    """The account's roles in `language`, for the invitation mail."""
    with translation.override(language):
        parts = [
            _("the account of %(producer)s") % {"producer": producer.name}
            for producer in user.producers.all()
        ]
        for role in OfficialRole.objects.filter(user=user).select_related("unit"):
            where = role.unit.name if role.unit else _("central level")
            parts.append(f"{role.get_kind_display()} — {role.get_level_display()}, {where}")
        for membership in CouncilMembership.objects.filter(user=user, active=True).select_related(
            "council"
        ):
            parts.append(f"{membership.get_role_display()} — {membership.council.name}")
        return "; ".join(parts)


def inviter_name(user) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def invite(data: dict, *, invited_by, site: str):
    """Make the account of the cleaned InvitationForm `data`, give its role and queue the
    invitation mail, all or nothing. The account has no usable password until its user
    sets one through the link."""
    family, _sep, given = data["full_name"].strip().rpartition(" ")
    user = get_user_model().objects.create_user(
        data["username"], data["email"], None, first_name=family, last_name=given
    )
    set_language(user, data["language"])
    role = data["role"]
    if role == PRODUCER:
        data["producer"].users.add(user)
    elif role in (OFFICE, INSPECTOR):
        OfficialRole.objects.create(user=user, kind=role, level=data["level"], unit=data["unit"])
    elif role == COUNCIL:
        CouncilMembership.objects.create(
            council=data["council"], user=user, role=data["council_role"]
        )
    send_again(user, invited_by=invited_by, site=site)
    return user


def send_again(user, *, invited_by, site: str):
    """Queue the invitation mail (again): a fresh link, the roles as they are now."""
    send_invitation.enqueue(
        user.pk, site, describe(user, language_of(user)), inviter_name(invited_by)
    )
