from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import spreadsheets
from core.downloads import private_file_response
from evaluation import (
    audit,
    certificates,
    checklist,
    decisions,
    filing,
    listing,
    papers,
    presenters,
    scoring,
    workflow,
)
from evaluation.access import dossier_access, dossiers_visible_to, has_conflict, is_official
from evaluation.forms import ConflictForm, DocumentForm, TransitionForm
from evaluation.models import (
    CouncilMembership,
    Dossier,
    DossierDocument,
    EvaluationRound,
    Rulebook,
    Scorecard,
)
from evaluation.models.rulebooks import governing as governing_rule
from evaluation.views import certificates as certificate_views
from evaluation.views import decisions as decision_views

S = Dossier.Status


#: ?han= on the dossier list: every dossier, those past a time limit, those near one.
DEADLINE_FILTERS = {listing.LATE: "late", listing.SOON: "soon"}


def _dossier_filters(request, visible):
    """The list's filters, with the rounds and units offered taken from the list itself."""
    rounds = list(
        EvaluationRound.objects.filter(pk__in=visible.values("round"))
        .select_related("unit")
        .order_by("-opens_on", "name")
    )
    units = sorted({r.unit for r in rounds if r.unit is not None}, key=lambda u: u.name)
    # Drafts are offered only to whom they may be shown: their producers.
    drafts = request.user.is_authenticated and request.user.producers.exists()
    statuses = [(value, label) for value, label in S.choices if value != S.DRAFT or drafts]
    choices = {
        "trang-thai": (_("status"), [value for value, _label in S.choices]),
        "dot": (_("round"), [str(r.pk) for r in rounds]),
        "don-vi": (_("unit"), [str(u.pk) for u in units]),
        "sao": (_("number of stars"), ["1", "2", "3", "4", "5"]),
        "han": (_("time limit"), list(DEADLINE_FILTERS)),
    }
    sorts = {**listing.DOSSIER_SORTS, "han": listing.DOSSIER_SORTS["dot"]}
    filters = listing.parse(request.GET, choices=choices, sorts=sorts, default_sort="dot")
    return filters, rounds, units, statuses, sorts


def filtered_dossiers(user, filters, sorts):
    """The dossiers `user` may open (dossiers_visible_to: never another producer's draft),
    narrowed by `filters`, with their clocks' fields and the user's own card."""
    # One card per member per dossier (a constraint): no order needed, and the model's
    # default one would join the dossier and the author into each row's subquery.
    my_card = Scorecard.objects.filter(
        dossier=OuterRef("pk"), author=user, kind=Scorecard.Kind.MEMBER
    ).order_by()
    qs = dossiers_visible_to(user)
    if filters.get("q"):
        qs = qs.filter(listing.product_search_q(filters.get("q")))
    if filters.get("trang-thai"):
        qs = qs.filter(status=filters.get("trang-thai"))
    if filters.get("dot"):
        qs = qs.filter(round=int(filters.get("dot")))
    if filters.get("don-vi"):
        qs = qs.filter(round__unit=int(filters.get("don-vi")))
    if filters.get("sao"):
        qs = qs.filter(result__stars=int(filters.get("sao")))
    return (
        presenters.with_clock_fields(qs)
        .select_related(
            "product__producer", "round__council", "round__unit", "sheet__product_set", "result"
        )
        .annotate(
            my_status=Subquery(my_card.values("status")[:1]),
            my_total=Subquery(my_card.values("total")[:1]),
        )
        .order_by(*listing.order_by(filters, sorts))
    )


def _nearest_first(row):
    clock = row.next
    return (not row.late, clock.deadline.due if clock else date.max)


def _dossier_export(rows, kind, today):
    header = [
        _("Product"),
        _("Producer"),
        _("Round"),
        _("Level"),
        _("Kind"),
        _("Status"),
        _("Filed on"),
        _("Time limit"),
        _("Late"),
        _("Stars"),
    ]

    def lines():
        for row in rows:
            dossier, clock = row.dossier, row.next
            result = getattr(dossier, "result", None)
            received = presenters.received_on(dossier)
            yield [
                dossier.product.name,
                dossier.product.producer.name,
                dossier.round.name,
                dossier.round.get_level_display(),
                dossier.get_kind_display(),
                dossier.get_status_display(),
                received.strftime("%d/%m/%Y") if received else "",
                clock.deadline.due.strftime("%d/%m/%Y") if clock else "",
                _("yes") if row.late else "",
                result.stars if result is not None and result.stars else "",
            ]

    name = f"ho-so-{today.isoformat()}"
    if kind == "csv":
        return spreadsheets.csv_response(f"{name}.csv", header, lines())
    return spreadsheets.xlsx_response(f"{name}.xlsx", str(_("Dossiers")), header, lines())


@login_required
def dossier_list(request):
    """Every dossier the user may open, filtered (GET: q, trang-thai, dot, don-vi, sao,
    han), sorted (sap-xep, whitelisted; han = late and nearest first), paged (page) or
    exported whole (xuat=csv|xlsx). A fixed number of queries per page: the time limits
    of every row are worked out in Python from one narrow query (presenters.clock_rows),
    for the counts and the time-limit filter and sort, and only the page's dossiers are
    loaded whole, in a second."""
    today = timezone.localdate()
    visible = dossiers_visible_to(request.user)
    filters, rounds, units, statuses, sorts = _dossier_filters(request, visible)
    dossiers = filtered_dossiers(request.user, filters, sorts)
    rulebooks = {rulebook.pk: rulebook for rulebook in Rulebook.objects.all()}
    exporting = filters.get("xuat")
    if exporting and filters.problems:
        return certificate_views._bad_filters(filters)
    # An export carries every row whole; the page needs every row's clocks only.
    if exporting:
        rows = presenters.dossier_rows(dossiers, rulebooks, today)
    else:
        rows = presenters.clock_rows(dossiers, rulebooks, today)
    counts = {
        "all": len(rows),
        "late": sum(row.late for row in rows),
        "soon": sum(row.soon for row in rows),
    }
    wanted = DEADLINE_FILTERS.get(filters.get("han", ""))
    if wanted:
        rows = [row for row in rows if getattr(row, wanted)]
    if filters.get("sap-xep", "").removeprefix("-") == "han":
        rows.sort(key=_nearest_first, reverse=filters.get("sap-xep").startswith("-"))
    if exporting:
        return _dossier_export(rows, exporting, today)
    for problem in filters.problems:
        messages.warning(request, problem)
    page = Paginator(rows, listing.PER_PAGE).get_page(filters.get("page", 1))
    shown = {dossier.pk: dossier for dossier in dossiers.filter(pk__in=[r.pk for r in page])}
    page.object_list = [presenters.DossierRow(shown[r.pk], r.clocks) for r in page.object_list]
    governing = governing_rule(list(rulebooks.values()), today)
    context = {
        "rows": page.object_list,
        "page": page,
        "dossiers": [row.dossier for row in page.object_list],
        "counts": counts,
        "wanted": wanted,
        "filters": filters,
        "params": filters.query(without=("page", "xuat")),
        "han_params": filters.query(without=("page", "xuat", "han")),
        "rounds_offered": rounds,
        "units": units,
        "statuses": statuses,
        "sorts": listing.DOSSIER_SORT_LABELS,
        "rounds": presenters.next_rounds(governing, today),
        "today": today,
        "starts_dossiers": request.user.producers.exists(),
    }
    return render(request, "evaluation/dossier_list.html", context)


def _time_limits(dossier, history, today):
    """What the dossier page says about time: the limits running and the next round, and
    on a draft, whether and when it can be filed."""
    rulebooks = list(Rulebook.objects.all())
    by_pk = {rulebook.pk: rulebook for rulebook in rulebooks}
    rulebook = by_pk[dossier.round.rulebook_id]
    root = filing.root(dossier)
    clocks = presenters.dossier_clocks(
        dossier,
        by_pk,
        received=presenters.received_on(dossier, history),
        root_kind=root.kind,
        today=today,
    )
    found = {
        "root": root,
        "clocks": clocks,
        "next_round": None,
        "filing_refused": None,
        "window": None,
    }
    # A re-evaluation has its own limit (Điều 7 khoản 6 điểm g), not the yearly rounds; a
    # dossier the council already has shows its round among the clocks.
    timed_by_round = any(clock.deadline.code == "round" for clock in clocks)
    if (
        dossier.status not in workflow.DECISIONS
        and root.kind != Dossier.Kind.REEVALUATION
        and not timed_by_round
    ):
        found["next_round"] = presenters.next_round_for(dossier, rulebook, today)
    if dossier.status == S.DRAFT and dossier.forwarded_from_id is None:
        found["filing_refused"] = filing.rulebook_error(dossier, today, rulebooks)
        if dossier.kind == Dossier.Kind.REEVALUATION:
            certificate = certificates.standing_certificate(dossier.product)
            if certificate is not None:
                found["window"] = {
                    "certificate": certificate,
                    "check": filing.reevaluation_check(dossier, certificate, today),
                    "article": rulebook.timing.renewal_article,
                }
    return found


def _progress(dossier):
    """Each scoring member with the state of their card, for the secretary."""
    cards = {c.author_id: c for c in dossier.scorecards.filter(kind=Scorecard.Kind.MEMBER)}
    members, _chair = scoring.scoring_members(dossier)
    rows = []
    for membership in (
        CouncilMembership.objects.filter(
            council=dossier.round.council, active=True, role__in=CouncilMembership.SCORING_ROLES
        )
        .select_related("user")
        .order_by("role", "user__last_name", "user__username")
    ):
        rows.append(
            {
                "membership": membership,
                "card": cards.get(membership.user_id),
                "excluded": membership.user_id not in members,
            }
        )
    return rows


@dataclass
class Action:
    """A button of the dossier page: a move asked for at once (checking, returning,
    opening scoring) or a decision, which opens its confirmation page."""

    target: str
    verb: str
    decision: bool
    href: str = ""
    style: str = "btn-outline-primary"


def _actions(access):
    """The moves this user may ask for now, as verbs; decisions only where the rulebook
    allows them on this result (the others, with the reason, in `unavailable`)."""
    dossier = access.dossier
    rulebook = dossier.round.rulebook
    level = rulebook.level(dossier.round.level) or {}
    moves, unavailable = [], []
    order = [S.RECOGNISED, S.FORWARDED, S.NOT_RECOGNISED]
    offered = workflow.moves_now(dossier.status, access.moves)
    # The other moves as workflow.moves_offered leaves them (no scoring at a level that
    # does not score); decisions are weighed below, with the reason when refused.
    plain = set(workflow.moves_offered(dossier, access.moves - workflow.DECISION_MOVES))
    for target in sorted(offered, key=lambda t: order.index(t) if t in order else -1):
        if target not in workflow.DECISION_MOVES and target not in plain:
            continue
        if target not in workflow.DECISION_MOVES:
            style = "btn-outline-warning" if target == S.RETURNED else "btn-outline-primary"
            words = workflow.verb(target, current=dossier.status)
            moves.append(Action(target, words, False, style=style))
            continue
        error, stars, _result = decisions.proposal(dossier, target)
        words = workflow.verb(
            target, level=level, stars=stars, forwarded=dossier.status == S.FORWARDED
        )
        if error:
            # Explained where the decision is this level's to take: on the council's result,
            # and under 26/2026 on a dossier sent up, which the province may recognise on
            # the ministry's result. A dossier sent up under Decision 148 is the upper
            # level's for good, and before a result (a checked dossier at a level that
            # scores) there is nothing to decide: those are not offered at all
            # (workflow.moves_offered).
            if dossier.status == S.RESULT or (
                dossier.status == S.FORWARDED and level.get("recognises_after_upper_below")
            ):
                unavailable.append((workflow.verb(target, level=level), error))
            continue
        href = reverse(
            "evaluation:decide", kwargs={"pk": dossier.pk, "action": decision_views.SLUGS[target]}
        )
        style = {
            S.RECOGNISED: "btn-success",
            S.FORWARDED: "btn-primary",
            S.NOT_RECOGNISED: "btn-outline-danger",
        }[target]
        moves.append(Action(target, words, True, href, style))
    return moves, unavailable


@login_required
def dossier_detail(request, pk):
    access = dossier_access(request.user, pk)
    dossier = access.dossier
    own_card = access.own_card
    history = list(dossier.history.select_related("actor"))
    documents = list(dossier.documents.all())
    actions, unavailable = _actions(access)
    time = _time_limits(dossier, history, timezone.localdate())
    window = time["window"]
    if time["filing_refused"] or (window and not window["check"].allowed):
        # Filing would be refused today (evaluation.filing): the page says why, and does
        # not offer the button (the POST is refused in words all the same).
        actions = [a for a in actions if a.target != S.SUBMITTED]
    context = {
        "access": access,
        "dossier": dossier,
        "history": audit.status_history(dossier, access, history),
        "time": time,
        "documents": documents,
        "own_card": own_card,
        "conflict": access.is_scoring_member and has_conflict(request.user, dossier),
        "moves": [a for a in actions if not a.decision],
        "returnable": any(a.target == S.RETURNED for a in actions),
        "decisions": [a for a in actions if a.decision],
        "unavailable": unavailable,
        "acts": papers.dossier_acts(dossier),
        "opens_acts": is_official(request.user),
        "document_form": DocumentForm(dossier=dossier) if access.may_upload else None,
        "checklist": (
            checklist.for_dossier(dossier, documents) if dossier.forwarded_from_id is None else None
        ),
        "result": getattr(dossier, "result", None) if access.may_see_result else None,
        "certificate": getattr(dossier, "certificate", None),
        "forwarded_to": dossier.forwarded_to.select_related("round").first(),
    }
    if access.manages or access.decides or access.is_inspector or access.membership:
        context["audit"] = audit.by_day(audit.timeline(dossier, access))
    if access.sees_council_work:
        context["progress"] = _progress(dossier)
    return render(request, "evaluation/dossier_detail.html", context)


@login_required
@require_POST
def dossier_transition(request, pk):
    access = dossier_access(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the dossier."))
        return redirect("evaluation:dossier", pk=pk)
    target = form.cleaned_data["target"]
    # The role decides what may be asked (403 otherwise); the status decides whether it
    # can happen now, so a second click gets the workflow's sentence, not an error page.
    access.require(target in access.moves)
    note = form.cleaned_data["note"]
    if target in workflow.DECISION_MOVES:
        # A decision is a legal act: never one click. Its confirmation page asks for the
        # act's number, date, signer and authority first.
        return redirect(
            "evaluation:decide", pk=pk, action=decision_views.SLUGS[target], permanent=False
        )
    filed = None
    try:
        if target == S.SUBMITTED:
            filed = filing.file_dossier(access.dossier, request.user, note)
        else:
            workflow.transition(access.dossier, target, request.user, note)
    except workflow.TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The dossier is now “%s”.") % S(target).label)
        if filed is not None and filed.extended_until is not None:
            messages.info(
                request,
                _(
                    "Certificate %(number)s stays in force while this re-evaluation is "
                    "pending, until %(until)s at the latest (Decision 26/2026, Điều 12 "
                    "khoản 3)."
                )
                % {
                    "number": filed.certificate.number,
                    "until": formats.date_format(filed.extended_until, "SHORT_DATE_FORMAT"),
                },
            )
    return redirect("evaluation:dossier", pk=pk)


@login_required
@require_POST
def declare_conflict(request, pk):
    access = dossier_access(request.user, pk)
    access.require(access.is_scoring_member)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please say briefly what ties you to the producer."))
        return redirect("evaluation:dossier", pk=pk)
    try:
        scoring.declare_conflict(request.user, access.dossier, form.cleaned_data["reason"])
    except scoring.ScoringError as exc:
        # A dossier not (or no longer) being scored: the service says why; uncaught, it
        # was a 500 for a form the page may still have shown in another tab.
        messages.error(request, str(exc))
        return redirect("evaluation:dossier", pk=pk)
    scoring.recompute_result(access.dossier, request.user)
    messages.success(
        request, _("Your conflict of interest is recorded; you will not score this dossier.")
    )
    return redirect("evaluation:dossier", pk=pk)


@login_required
@require_POST
def upload_document(request, pk):
    access = dossier_access(request.user, pk)
    access.require(access.is_producer)
    if not access.may_upload:
        # Filed: the papers are the council's to read as they were sent (a 409 in words,
        # not a silent change under the members' eyes).
        return HttpResponse(
            _(
                "The dossier is filed: documents can be added again only if the council "
                "returns it to you."
            ),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    # The dossier is known before the form is checked: its quota is part of the check.
    document = DossierDocument(dossier=access.dossier, uploaded_by=request.user)
    form = DocumentForm(request.POST, request.FILES, instance=document)
    if form.is_valid():
        form.save()
        messages.success(request, _("The document is attached."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("evaluation:dossier", pk=pk)


@never_cache
@login_required
def document_download(request, pk, document_pk):
    access = dossier_access(request.user, pk)
    document = get_object_or_404(access.dossier.documents, pk=document_pk)
    return private_file_response(document.file, document.title)
