"""The kinds of notification, as data: what each says, to whom, and whether it is mailed
unless the recipient says otherwise.

A notification stores its kind's code and the values of its sentence (`params`), never the
sentence: the list shows it in the reader's language of the moment, the mail in the
recipient's (`accounts.language_of`). To add a kind: add an entry here (its code is stored,
so never rename one), add its function to `events.py` (who receives it, its event key) and
call that from a receiver (`receivers.py`) or the daily scan (`scan.py`); its msgids go
in both .po files. docs/architecture.md, "Notifications", says the same.
"""

from dataclasses import dataclass

from django.utils import formats
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from evaluation.models import CouncilMembership, Dossier, OfficialRole
from evaluation.presenters import CLOCK_LABELS

# Values of `params` that are dates (ISO strings in the row), shown in the reader's format.
DATE_PARAMS = {"date", "deadline", "expires", "due"}


@dataclass(frozen=True)
class Kind:
    code: str
    label: object  # lazy: the kind's name, in lists, the preference form and mail subjects
    text: object  # lazy, with %(name)s placeholders filled from the notification's params
    audience: object  # lazy: who receives it, for the preference form and the docs
    roles: frozenset = frozenset()  # who can receive it: producer, council, office
    email: bool = True  # mailed unless the recipient turned it off (Preference)
    mail_template: str = "notifications/mail/notice"

    def render(self, params: dict) -> str:
        """The sentence in the active language, from stored values."""
        values = {key: _shown(key, value, params) for key, value in params.items()}
        try:
            return str(self.text) % values
        except (KeyError, TypeError, ValueError):
            # A row written before a placeholder was added: the label says enough.
            return str(self.label)


def _shown(key, value, params=None):
    """A stored value as the reader sees it: dates in their format, codes in their words."""
    if key == "status":
        return Dossier.Status(value).label if value in Dossier.Status.values else value
    if key == "limit" and value in CLOCK_LABELS:
        due = parse_date(str((params or {}).get("due", "")))
        return str(CLOCK_LABELS[value]) % {
            "round": (params or {}).get("limit_round", ""),
            "year": due.year if due else "",
        }
    if key in DATE_PARAMS and isinstance(value, str):
        day = parse_date(value)
        if day is not None:
            return formats.date_format(day, "SHORT_DATE_FORMAT")
    return value


KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in [
        Kind(
            "filed",
            _("Dossier filed"),
            _("The dossier of “%(product)s” was filed in %(round)s."),
            _("the producer; the secretary of the council"),
            frozenset({"producer", "council"}),
        ),
        Kind(
            "returned",
            _("Dossier returned"),
            _("The dossier of “%(product)s” was returned to the producer: %(reason)s"),
            _("the producer"),
            frozenset({"producer"}),
        ),
        Kind(
            "checked",
            _("Dossier accepted for scoring"),
            _("The dossier of “%(product)s” was accepted as complete in %(round)s."),
            _("the producer"),
            frozenset({"producer"}),
        ),
        Kind(
            "scoring_opened",
            _("Scoring opened"),
            _("Scoring of “%(product)s” is open in %(round)s: your scorecard is waiting."),
            _("each scoring member of the council"),
            frozenset({"council"}),
        ),
        Kind(
            "card_due",
            _("Scorecard not yet submitted"),
            _(
                "Your scorecard for “%(product)s” is not submitted yet; %(round)s closes on "
                "%(deadline)s."
            ),
            _("a scoring member whose card is not submitted near the round's close"),
            frozenset({"council"}),
        ),
        Kind(
            "card_reminder",
            _("Reminder from the secretary"),
            _("%(sender)s reminds you to submit your scorecard for “%(product)s”."),
            _("a scoring member the secretary reminds"),
            frozenset({"council"}),
        ),
        Kind(
            "result_ready",
            _("Result ready for a decision"),
            _("The council's result for “%(product)s” (%(round)s) is ready for your decision."),
            _("the office that decides at the dossier's level"),
            frozenset({"office"}),
        ),
        Kind(
            "decided",
            _("Decision made"),
            _("A decision was made on the dossier of “%(product)s”: %(status)s."),
            _("the producer"),
            frozenset({"producer"}),
        ),
        Kind(
            "certificate_issued",
            _("Certificate issued"),
            _("Certificate %(number)s was issued to “%(product)s”: %(stars)s stars."),
            _("the producer"),
            frozenset({"producer"}),
        ),
        Kind(
            "renewal_window",
            _("Time to file the re-evaluation"),
            _(
                "Certificate %(number)s of “%(product)s” expires on %(expires)s: the "
                "re-evaluation may be filed from now until %(deadline)s."
            ),
            _("the producer, when the renewal window opens"),
            frozenset({"producer"}),
        ),
        Kind(
            "expiring",
            _("Certificate expiring"),
            _("Certificate %(number)s of “%(product)s” expires on %(expires)s."),
            _("the producer, shortly before expiry"),
            frozenset({"producer"}),
        ),
        Kind(
            "revoked",
            _("Certificate revoked"),
            _("Certificate %(number)s of “%(product)s” was revoked on %(date)s."),
            _("the producer"),
            frozenset({"producer"}),
        ),
        Kind(
            "fake_reported",
            _("Suspected fake reported"),
            _(
                "A visitor reports a suspected fake (certificate number given: %(number)s), "
                "seen at: %(place)s."
            ),
            _("the office that issued the certificate and the one that may revoke it"),
            frozenset({"office"}),
        ),
        Kind(
            "limit_due",
            _("Time limit about to pass"),
            _("“%(limit)s” for “%(product)s” ends on %(due)s."),
            _("the office or the secretary who must act"),
            frozenset({"council", "office"}),
        ),
    ]
}


def kind(code: str) -> Kind:
    return KINDS[code]


def kinds_for(user) -> list[str]:
    """The kinds that can reach this user, by their roles; all, for an administrator."""
    if user.is_superuser:
        return list(KINDS)
    roles = set()
    if user.producers.exists():
        roles.add("producer")
    if CouncilMembership.objects.filter(user=user, active=True).exists():
        roles.add("council")
    if OfficialRole.objects.filter(user=user, kind=OfficialRole.Kind.OFFICE).exists():
        roles.add("office")
    return [code for code, kind in KINDS.items() if kind.roles & roles]
