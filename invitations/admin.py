"""The user admin, with "Invite a user" (superusers) and "Send the invitation again"."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.admin import AccountAdmin
from invitations import roles
from invitations.forms import InvitationForm
from mail.links import request_root

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class InvitingUserAdmin(AccountAdmin):
    actions = ["send_invitation_again"]

    def get_urls(self):
        invite = path("invite/", self.admin_site.admin_view(self.invite), name="auth_user_invite")
        return [invite, *super().get_urls()]

    def invite(self, request):
        """Make an account with a role and mail its user a link to set a password."""
        if not request.user.is_superuser:
            return redirect("admin:index")
        form = InvitationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            user = roles.invite(
                form.cleaned_data, invited_by=request.user, site=request_root(request)
            )
            queued = _(
                "Invitation queued for %(email)s: the account %(username)s sets its password "
                "through the mailed link."
            )
            messages.success(request, queued % {"email": user.email, "username": user.username})
            return redirect("admin:auth_user_change", user.pk)
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": _("Invite a user"),
            "opts": self.model._meta,
            "media": self.media + form.media,
            "days": settings.INVITATION_DAYS,
        }
        return render(request, "admin/auth/user/invite.html", context)

    @admin.action(description=gettext_lazy("Send the invitation again"), permissions=["change"])
    def send_invitation_again(self, request, queryset):
        """For accounts that have not set a password yet (a lost or expired invitation)."""
        waiting = [
            user
            for user in queryset.filter(is_active=True).exclude(email="")
            if not user.has_usable_password()
        ]
        for user in waiting:
            roles.send_again(user, invited_by=request.user, site=request_root(request))
        skipped = queryset.count() - len(waiting)
        messages.success(
            request,
            ngettext("%(count)d invitation queued.", "%(count)d invitations queued.", len(waiting))
            % {"count": len(waiting)},
        )
        if skipped:
            messages.warning(
                request,
                ngettext(
                    "%(count)d account skipped: it has a password already, no address, or is "
                    "inactive.",
                    "%(count)d accounts skipped: they have a password already, no address, or "
                    "are inactive.",
                    skipped,
                )
                % {"count": skipped},
            )
