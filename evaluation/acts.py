"""Recording the legal act behind a decision: its number, date, signer and authority.

`record()` writes a models.Decision once per number, authority and year: it is called
inside the transaction of the decision it records (evaluation.decisions.decide_many,
evaluation.certificates.revoke), so the act, the status moves and the certificates are
written together or not at all. The rules about an act's fields are plain functions here.
"""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from evaluation.models import Decision
from evaluation.models.decisions import number_key


class ActError(Exception):
    """The act cannot be recorded as given (a number already used, a date in the future)."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Act:
    """What the authority's document says, as the official types it from the paper."""

    number: str
    signed_on: date
    signer_name: str
    signer_title: str
    authority: str


def authority_name(level: str, unit) -> str:
    """The authority printed at the head of a decision of this level and unit, as a first
    guess the official may correct: "UBND thành phố Hà Nội", "UBND huyện Đông Anh",
    "UBND xã Hoài Đức"; the ministry for the central level (Decision 26/2026, Điều 4
    khoản 1 điểm b: Bộ Nông nghiệp và Môi trường)."""
    if level == "central" or unit is None:
        return "Bộ Nông nghiệp và Môi trường"
    name = unit.name
    return f"UBND {name[:1].lower()}{name[1:]}"


def signer_title_guess(level: str) -> str:
    """Who signs by the decision's text: the chair of the people's committee (26/2026,
    Điều 7 khoản 3 điểm e; Điều 8 khoản 2 điểm a), the minister (khoản 4 điểm e)."""
    return "Bộ trưởng" if level == "central" else "Chủ tịch"


def act_error(act: Act, *, today: date, earliest: date | None = None) -> ActError | None:
    """What is wrong with the act as typed, or None (pure)."""
    for field, value in [
        ("number", act.number),
        ("authority", act.authority),
        ("signer_name", act.signer_name),
        ("signer_title", act.signer_title),
    ]:
        if not (value or "").strip():
            return ActError(_("This field is required."), field)
    if act.signed_on > today:
        return ActError(
            _("A decision cannot be dated after today: record it once it is signed."), "signed_on"
        )
    if earliest is not None and act.signed_on < earliest:
        return ActError(
            _("The decision cannot be dated before %(date)s, when the round opened.")
            % {"date": earliest.strftime("%d/%m/%Y")},
            "signed_on",
        )
    return None


def same_number(act: Act, level: str, unit) -> Decision | None:
    """The decision already recorded under this number by this authority this year."""
    return (
        Decision.objects.filter(
            level=level,
            unit=unit,
            year=act.signed_on.year,
            number_key=number_key(act.number),
        )
        .order_by("pk")
        .first()
    )


def duplicate_message(existing: Decision) -> str:
    return _(
        "Number %(number)s of %(year)s is already recorded for %(authority)s (%(kind)s of "
        "%(date)s). A decision is recorded once, with every product it covers: check the "
        "number on the paper."
    ) % {
        "number": existing.number,
        "year": existing.year,
        "authority": existing.authority,
        "kind": existing.get_kind_display().lower(),
        "date": existing.signed_on.strftime("%d/%m/%Y"),
    }


def record(
    act: Act,
    *,
    kind: str,
    level: str,
    unit,
    rulebook,
    actor,
    note: str = "",
    ground: str = "",
    inspection_reference: str = "",
) -> Decision:
    """Write the act, or raise ActError when its number is taken. Call it inside the
    transaction that applies the decision: a concurrent recording of the same number meets
    the unique constraint and is refused here, its transaction then rolled back whole."""
    existing = same_number(act, level, unit)
    if existing is not None:
        raise ActError(duplicate_message(existing), "number")
    decision = Decision(
        kind=kind,
        number=act.number,
        signed_on=act.signed_on,
        authority=" ".join(act.authority.split()),
        signer_name=" ".join(act.signer_name.split()),
        signer_title=" ".join(act.signer_title.split()),
        level=level,
        unit=unit,
        rulebook=rulebook,
        note=note,
        ground=ground,
        inspection_reference=inspection_reference,
        created_by=actor,
    )
    decision._history_user = actor
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction survives to say why
            decision.save()
    except IntegrityError as exc:
        existing = same_number(act, level, unit)
        if existing is None:
            raise
        raise ActError(duplicate_message(existing), "number") from exc
    return decision
