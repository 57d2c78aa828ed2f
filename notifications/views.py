"""The list of one's notifications, marking them read, the mail preferences, and the
secretary's reminder to members who have not submitted their card."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from evaluation.access import dossier_access
from evaluation.models import Dossier, Scorecard
from notifications import events
from notifications.delivery import target_path
from notifications.forms import PreferencesForm
from notifications.kinds import kinds_for
from notifications.models import Notification, Preference

PER_PAGE = 20


@login_required
def notification_list(request):
    """Newest first, a page at a time; each sentence in the reader's language now."""
    mine = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-id")
    page = Paginator(mine, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
def notification_open(request, pk):
    """Mark it read and go to what it is about. That page checks access anew: a recipient
    who has since lost it (moved off the council, no longer the producer's account) gets
    its 404, as anyone else would."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk, read_at__isnull=True).update(read_at=timezone.now())
    return redirect(
        target_path(notification.target_type, notification.target_id, notification.params)
    )


@login_required
@require_POST
def mark_read(request, pk):
    get_object_or_404(Notification, pk=pk, recipient=request.user)
    Notification.objects.filter(pk=pk, read_at__isnull=True).update(read_at=timezone.now())
    return redirect(_back(request))


@login_required
@require_POST
def mark_all_read(request):
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


def _back(request):
    page = request.POST.get("page", "")
    target = reverse("notifications:list")
    return f"{target}?page={page}" if page.isdigit() else target


# ------------------------------------------------------------------ preferences
@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """Which notifications also come by e-mail; in the site, every one shows."""
    chosen = dict(Preference.objects.filter(user=request.user).values_list("kind", "email"))
    codes = kinds_for(request.user)
    form = PreferencesForm(request.POST or None, chosen=chosen, codes=codes)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for code in codes:
                Preference.objects.update_or_create(
                    user=request.user, kind=code, defaults={"email": form.cleaned_data[code]}
                )
        messages.success(request, _("Saved."))
        back = "accounts:account" if request.POST.get("back") == "account" else None
        return redirect(back or "notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "has_email": bool(request.user.email)},
    )


# ------------------------------------------------------------------ the secretary's reminder
def _waiting_members(dossier):
    """Scoring members (conflicts excluded) whose card on `dossier` is not submitted."""
    submitted = set(
        Scorecard.objects.filter(
            dossier=dossier, kind=Scorecard.Kind.MEMBER, status=Scorecard.Status.SUBMITTED
        ).values_list("author_id", flat=True)
    )
    return [m for m in events.scoring_members(dossier).order_by("last_name", "username")
            if m.pk not in submitted]  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def remind(request, pk):
    """Remind the members who have not submitted their card: a confirmation page, then
    one notice (and mail) per member. Once per member and day, however often it is asked:
    the notice's event key holds the day (events.card_reminder).

    Who: whoever runs the council's work on the dossier (its secretary, the level's
    office, an administrator); when: while the council scores. Anyone else who may see
    the dossier gets 403; anyone who may not, its 404."""
    access = dossier_access(request.user, pk)
    access.require(access.manages)
    dossier = access.dossier
    if dossier.status != Dossier.Status.SCORING:
        messages.error(request, _("Members are reminded only while the council is scoring."))
        return redirect("evaluation:dossier", pk=dossier.pk)
    waiting = _waiting_members(dossier)
    if request.method == "POST":
        today = timezone.localdate()
        sent = events.card_reminder(dossier, waiting, request.user, today)
        if sent:
            messages.success(
                request,
                _("Reminded: %(names)s.")
                % {
                    "names": ", ".join(
                        n.recipient.get_full_name() or n.recipient.username for n in sent
                    )
                },  # fmt: skip
            )
        else:
            messages.info(
                request,
                _("Nobody was reminded: each member still to submit was reminded today already."),
            )
        return redirect("evaluation:dossier", pk=dossier.pk)
    if not waiting:
        messages.info(request, _("Every member has submitted their card."))
        return redirect("evaluation:dossier", pk=dossier.pk)
    return render(
        request, "notifications/remind_confirm.html", {"dossier": dossier, "waiting": waiting}
    )
