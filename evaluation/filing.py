"""Filing a dossier: the producer sends it (draft → submitted), or sends it again after
it was returned (returned → submitted). Views call `file_dossier`, as they call
decisions.decide for decisions; both end in workflow.transition, which writes the history.

A first filing is where two time rules apply, both read from the rulebooks:

* The rules a dossier follows are those in force the day it is filed
  (`Rulebook.objects.governing(day)`): Decision 26/2026 Điều 12 khoản 2 lets the dossiers
  filed before it took effect finish under Decision 148, so a dossier filed since then
  belongs in a round under 26/2026, and a round under 148 refuses it.
* A re-evaluation is filed no earlier than 180 and no later than 120 days before the
  certificate expires (Điều 7 khoản 6 điểm a, the rulebook's window); outside it the
  filing is refused, in words, except where Điều 12 khoản 3 lets a product whose window
  could not be met file late (deadlines.reevaluation_filing): the certificate then stays
  in force until the result, at most 180 days after expiry.

Filing again after a return is the same dossier, started when it was first filed: none of
this is asked again.

Both filings need the papers every dossier needs (evaluation.checklist: the registration
form and the self-assessment report, Điều 6 khoản 1) and the self-assessment card
submitted; what is missing is said paper by paper.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from evaluation import certificates, checklist, deadlines, workflow
from evaluation.models import Certificate, Dossier, Rulebook
from evaluation.models.rulebooks import governing

S = Dossier.Status


def root(dossier: Dossier) -> Dossier:
    """The dossier the producer filed, for one forwarded up from a lower level."""
    while dossier.forwarded_from_id is not None:
        dossier = dossier.forwarded_from
    return dossier


def _day(value: date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _source(article: str, rulebook: Rulebook) -> str:
    return f"{article}, {rulebook.number}" if article else rulebook.number


@dataclass(frozen=True)
class Filed:
    dossier: Dossier
    certificate: Certificate | None = None  # the certificate a re-evaluation re-evaluates
    extended_until: date | None = None  # set when filed late under Điều 12 khoản 3


def rulebook_error(dossier: Dossier, day: date, rulebooks) -> str | None:
    """Why a dossier filed on `day` does not belong in its round's rulebook, or None."""
    own = dossier.round.rulebook
    rule = governing(rulebooks, day)
    if rule is None or rule.pk == own.pk:
        return None
    return _(
        "Dossiers filed on %(day)s come under Decision %(governing)s, but this round follows "
        "Decision %(own)s (Decision 26/2026, Điều 12 khoản 2: only dossiers filed before "
        "it took effect finish under the earlier decision). Ask the office to open your "
        "dossier in a round under %(governing)s."
    ) % {"day": _day(day), "governing": rule.number, "own": own.number}


def reevaluation_check(dossier: Dossier, certificate, day: date) -> deadlines.FilingCheck:
    rulebook = dossier.round.rulebook
    return deadlines.reevaluation_filing(
        day=day,
        expires_on=certificate.expires_on,
        opens_days=rulebook.renewal_opens_days,
        closes_days=rulebook.renewal_closes_days,
        rule_effective_from=rulebook.effective_from,
        extension=rulebook.timing.limit("late_reevaluation_extension"),
    )


def reevaluation_error(dossier, certificate, check: deadlines.FilingCheck) -> str | None:
    if certificate is None:
        return _(
            "This product holds no certificate to re-evaluate: file it as a first "
            "evaluation instead."
        )
    if check.allowed:
        return None
    rulebook = dossier.round.rulebook
    values = {
        "number": certificate.number,
        "expires": _day(certificate.expires_on),
        "opens": _day(check.opens),
        "closes": _day(check.closes),
        "from": rulebook.renewal_opens_days,
        "to": rulebook.renewal_closes_days,
        "source": _source(rulebook.timing.renewal_article, rulebook),
    }
    if check.verdict == deadlines.Filing.TOO_EARLY:
        return (
            _(
                "Too early: the re-evaluation of certificate %(number)s, which expires on "
                "%(expires)s, is filed no earlier than %(from)s and no later than %(to)s "
                "days before that day (%(source)s), that is from %(opens)s to %(closes)s."
            )
            % values
        )
    return (
        _(
            "Too late: the re-evaluation of certificate %(number)s, which expires on "
            "%(expires)s, had to be filed between %(opens)s and %(closes)s (%(from)s to "
            "%(to)s days before expiry, %(source)s). The product can be evaluated anew once "
            "the certificate has expired."
        )
        % values
    )


@transaction.atomic
def file_dossier(dossier: Dossier, actor, note: str = "", today: date | None = None) -> Filed:
    """Move `dossier` to submitted, or raise workflow.TransitionError saying why not."""
    today = today or timezone.localdate()
    locked = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("round__rulebook", "product")
        .get(pk=dossier.pk)
    )
    first = locked.status == S.DRAFT and locked.forwarded_from_id is None
    if locked.forwarded_from_id is None and locked.status in workflow.PRODUCER_EDITS:
        gaps = checklist.for_dossier(locked).missing
        if gaps:
            raise workflow.TransitionError(
                _("The dossier cannot be filed yet: %(gaps)s") % {"gaps": " ".join(gaps)}
            )
    certificate, check = None, None
    if first:
        error = rulebook_error(locked, today, list(Rulebook.objects.all()))
        if error:
            raise workflow.TransitionError(error)
        if locked.kind == Dossier.Kind.REEVALUATION:
            certificate = certificates.standing_certificate(locked.product)
            if certificate is not None:
                check = reevaluation_check(locked, certificate, today)
            error = reevaluation_error(locked, certificate, check)
            if error:
                raise workflow.TransitionError(error)
    filed = workflow.transition(locked, S.SUBMITTED, actor, note)
    dossier.status = filed.status
    if check is not None and check.extended_until is not None:
        certificates.extend_while_reevaluated(certificate, check.extended_until, actor)
        return Filed(filed, certificate, check.extended_until)
    return Filed(filed, certificate)


def time_refusal(dossier: Dossier, today: date | None = None) -> str | None:
    """Why filing this draft today would be refused on grounds of time (the rulebook of
    the day, the re-evaluation window), for the filing page to say before the click;
    None when time is no obstacle. file_dossier applies the same two functions."""
    if dossier.status != S.DRAFT or dossier.forwarded_from_id is not None:
        return None
    today = today or timezone.localdate()
    error = rulebook_error(dossier, today, list(Rulebook.objects.all()))
    if error or dossier.kind != Dossier.Kind.REEVALUATION:
        return error
    certificate = certificates.standing_certificate(dossier.product)
    check = reevaluation_check(dossier, certificate, today) if certificate else None
    return reevaluation_error(dossier, certificate, check)


# ---------------------------------------------------------------- starting a dossier
def entry_level(rulebook: Rulebook) -> str:
    """The level a producer's dossier starts at: the first of the rulebook's levels (the
    district under Decision 148, the commune's check under 26/2026)."""
    return rulebook.levels[0]["code"]


def units_above(commune) -> list:
    """The commune and every unit it lies in (its former district, its province)."""
    units, unit = [], commune
    while unit is not None:
        units.append(unit)
        unit = unit.parent
    return units


def open_entry_rounds(today: date | None = None) -> list:
    """Every round a producer's dossier may start in today: open (opens ≤ today ≤
    closes), under the rulebook governing today, at its entry level (one query, with the
    rulebooks')."""
    from evaluation.models import EvaluationRound

    today = today or timezone.localdate()
    rule = governing(list(Rulebook.objects.all()), today)
    if rule is None:
        return []
    return list(
        EvaluationRound.objects.filter(
            rulebook=rule, level=entry_level(rule), opens_on__lte=today, closes_on__gte=today
        ).select_related("rulebook", "council")
    )


def rounds_for(product, rounds) -> list:
    """Those of `rounds` whose unit the producer's commune lies in."""
    commune = product.producer.commune
    if commune is None:
        return []
    units = {unit.pk for unit in units_above(commune)}
    return [r for r in rounds if r.unit_id in units]


def entry_rounds(product, today: date | None = None) -> list:
    """The rounds `product` may start a dossier in today."""
    return rounds_for(product, open_entry_rounds(today))


def under_way(products) -> dict:
    """Each product's dossier still under way at some level (a product is evaluated in
    one dossier at a time), by product id: one query for all."""
    found = {}
    dossiers = (
        Dossier.objects.filter(product__in=products)
        .exclude(status__in=workflow.ENDED)
        .select_related("round")
        .order_by("created_at")
    )
    for dossier in dossiers:
        found[dossier.product_id] = dossier  # the newest wins: the level it is at now
    return found


def open_dossier(product):
    return under_way([product]).get(product.pk)


def suggested_kind(product, today: date | None = None) -> str:
    """First evaluation for a product without a certificate in force (its stored
    certified-until date); otherwise a re-evaluation (the producer may choose an
    upgrade instead, and filing checks the certificate itself)."""
    today = today or timezone.localdate()
    if product.certified_until is not None and product.certified_until >= today:
        return Dossier.Kind.REEVALUATION
    return Dossier.Kind.FIRST


class StartRefused(Exception):
    pass


def start_dossier(product, round_, kind: str, today: date | None = None) -> Dossier:
    """A draft dossier of `product` in `round_`, or StartRefused saying why not. Two
    clicks leave one dossier (the round × product constraint): the second gets the first."""
    from django.db import IntegrityError

    from evaluation.models import Sheet

    if round_.pk not in {r.pk for r in entry_rounds(product, today)}:
        raise StartRefused(_("This round is not open to your product."))
    current = open_dossier(product)
    if current is not None and current.round_id != round_.pk:
        raise StartRefused(
            _("This product already has a dossier under way, in %(round)s.")
            % {"round": current.round.name}
        )
    if product.product_set_id is None:
        raise StartRefused(
            _("The product's set is not known yet: ask the office to classify it first.")
        )
    if kind != Dossier.Kind.FIRST and certificates.standing_certificate(product) is None:
        raise StartRefused(
            _("This product holds no certificate in force: start a first evaluation.")
        )
    sheet = Sheet.objects.filter(rulebook=round_.rulebook, product_set=product.product_set_id)
    sheet = sheet.first()
    if sheet is None:
        raise StartRefused(_("This round's decision has no scoring sheet for the product's set."))
    try:
        with transaction.atomic():
            return Dossier.objects.create(round=round_, product=product, kind=kind, sheet=sheet)
    except IntegrityError:
        return Dossier.objects.get(round=round_, product=product)
