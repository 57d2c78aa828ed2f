"""Password reset and change, the account page, and the invitation's first password.

Django's own views where they fit (the confirmation with its token in the session, the
password change that keeps the session), in the site's look and language."""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import mails
from accounts.forms import PasswordChangeForm, ProfileForm, ResetRequestForm, SetPasswordForm
from accounts.models import Profile
from accounts.tokens import invitation_token
from core import throttle
from core.client_address import client_ip
from mail.links import request_root

# The segment Django puts in place of the token once it is in the session, so that the
# token is not in the address the browser shows (nor in a Referer header).
SET_PASSWORD = "dat-mat-khau"


@require_http_methods(["GET", "POST"])
def password_reset(request):
    """Ask for a reset link. Every address gets the same answer (and the same work: the
    job looks the address up), so the form tells no one which addresses have accounts.
    PASSWORD_RESETS_PER_ADDRESS requests an hour from one network address, then 429."""
    form = ResetRequestForm(request.POST or None)
    if request.method == "POST":
        if not throttle.allow(
            f"password-reset-address:{client_ip(request)}",
            settings.PASSWORD_RESETS_PER_ADDRESS,
            3600,
        ):
            context = {"form": form, "paused": True}
            return render(request, "accounts/password_reset.html", context, status=429)
        if form.is_valid():
            mails.request_password_reset(form.cleaned_data["email"], request_root(request))
            return redirect("accounts:password_reset_done")
    return render(request, "accounts/password_reset.html", {"form": form})


def password_reset_done(request):
    return render(request, "accounts/password_reset_done.html")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    reset_url_token = SET_PASSWORD
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        # Proof of the mailbox lifts this account's sign-in pause from this address:
        # otherwise the new password would be refused for another quarter of an hour.
        AccessAttempt.objects.filter(
            username=self.user.get_username(), ip_address=client_ip(self.request)
        ).delete()
        return super().form_valid(form)


def password_reset_complete(request):
    return render(request, "accounts/password_reset_complete.html")


class InvitationView(PasswordResetConfirmView):
    """An invited user's first password, through the link of the invitation mail."""

    template_name = "accounts/invitation.html"
    token_generator = invitation_token
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            _("Your password is set. Sign in with your username, %(username)s.")
            % {"username": self.user.get_username()},
        )
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    """Who is signed in, the language of their mails, and the way to a new password."""
    profile = Profile.objects.filter(user=request.user).first() or Profile(user=request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("accounts:account")
    return render(request, "accounts/account.html", {"form": form})
