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
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from evaluation import certificates, deadlines, workflow
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
