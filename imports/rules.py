"""What an import may record: the import cannot issue what its importer may not.

An import records certificates that offices issued before the system came into use. Each
rule below is a plain function that returns the sentence refusing a row, or None; the
levels and stars come from the rulebook governing the certificate's date of issue
(`rulebook.json`'s `levels` and `recognises`), the offices from imports.access, the day
the system came into use from settings.SYSTEM_START_DATE, and open dossiers from
evaluation.workflow.ENDED. imports.validation applies the certificate rules to every row
that would record a certificate (a row already in the registry records none) and the
producer rules to every row, at the preview and again, with the rows locked, at the
confirmation.

* level_refusal    – an office records certificates of its own level only
* stars_refusal    – with the stars the rulebook of that day gives that level
* unit_refusal     – issued by the office's own unit (or one inside it)
* date_refusal     – issued before the system came into use
* dossier_refusal  – never for a product whose evaluation is under way
* revoked_refusal  – never for a product whose certificate was revoked
* producer_refusal – never changes a producer outside the importer's area
* move_refusal     – nor moves one of its producers out of it

An administrator imports for every level and unit and may change any producer; the rules
on stars, dates, dossiers and a district's code hold for everyone.
"""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from imports.access import ImportScope, Office


def level_words() -> dict[str, str]:
    return {
        "commune": _("commune"),
        "district": _("district"),
        "province": _("province"),
        "central": _("central"),
    }


def _levels(codes) -> str:
    words = level_words()
    return ", ".join(dict.fromkeys(str(words.get(code, code)) for code in codes))


# ------------------------------------------------------------------ the certificate
def level_refusal(level: str, scope: ImportScope) -> str | None:
    """An office records the certificates of its own level: a district office district
    certificates, a province office province ones, the central office central ones."""
    if not level or scope.administrator or any(o.level == level for o in scope.offices):
        return None
    return _(
        "This is a certificate of the %(level)s level: your office imports only certificates "
        "of its own level (%(yours)s)."
    ) % {"level": _levels([level]), "yours": _levels(o.level for o in scope.offices)}


def stars_refusal(stars: int | None, level: str, issued_on: date | None, rulebook) -> str | None:
    """The stars are ones that level recognised under the rulebook governing the date of
    issue (Decision 148: district 3★, province 4★, central 5★)."""
    if not stars or not level or issued_on is None or rulebook is None:
        return None
    right = rulebook.recognising_level(stars)
    if right == level:
        return None
    values = {
        "rulebook": rulebook.number,
        "date": date_format(issued_on, "d/m/Y"),
        "level": _levels([level]),
        "stars": stars,
        "right": _levels([right]) if right else "",
    }
    if right is None:
        return (
            _(
                "Under Decision %(rulebook)s, which governed %(date)s, no level recognises "
                "%(stars)s-star products."
            )
            % values
        )
    return (
        _(
            "Under Decision %(rulebook)s, which governed %(date)s, the %(level)s level does not "
            "recognise %(stars)s-star products: the %(right)s level does."
        )
        % values
    )


def _issued_within(unit, office: Office) -> bool:
    if office.unit_id is None:  # the central level
        return True
    return unit is not None and office.unit_id in (unit.pk, unit.parent_id)


def unit_refusal(level: str, unit, scope: ImportScope) -> str | None:
    """Issued by the importer's own unit or one inside it: a district office imports its
    district's certificates, not a neighbour's. A district certificate names its district."""
    if level == "district" and unit is None:
        return _(
            "A district-level certificate needs the code of the district that issued it (the "
            "3-digit code from before July 2025)."
        )
    if scope.administrator or unit is None:
        return None  # without a commune, the row already says what is missing
    offices = [o for o in scope.offices if o.level == level]
    if not offices or any(_issued_within(unit, o) for o in offices):
        return None  # no office of that level: level_refusal says why
    return _(
        "This certificate was issued by %(unit)s; your office imports only certificates "
        "issued by %(yours)s."
    ) % {"unit": unit.name, "yours": ", ".join(o.unit_name for o in offices)}


def date_refusal(issued_on: date | None, start: date) -> str | None:
    """Issued before the system came into use; from that day on certificates come from
    evaluations in the system (evaluation.certificates.issue)."""
    if issued_on is None or issued_on < start:
        return None
    return _(
        "Issued on %(date)s, on or after %(start)s when this registry came into use: "
        "certificates from that day on come from evaluations in the system, not from an "
        "import."
    ) % {"date": date_format(issued_on, "d/m/Y"), "start": date_format(start, "d/m/Y")}


def dossier_refusal(product, name: str, open_products: set[int]) -> str | None:
    """Never for a product with a dossier that has not ended (any status but
    workflow.ENDED's): its certificate will come from that evaluation."""
    if product is None or product.pk not in open_products:
        return None
    return _(
        "The product “%(name)s” has an evaluation dossier that is not finished: its "
        "certificate will come from that evaluation, not from an import."
    ) % {"name": name}


def certificate_refusals(
    *, stars, level, unit, issued_on, product, product_name, scope, rulebook, start, open_products
) -> list[str]:
    """Every rule on the certificate a row would record, in the order an official reads
    them."""
    found = [
        level_refusal(level, scope),
        stars_refusal(stars, level, issued_on, rulebook),
        unit_refusal(level, unit, scope),
        date_refusal(issued_on, start),
        dossier_refusal(product, product_name, open_products),
    ]
    return [message for message in found if message]


# ------------------------------------------------------------------ the producer
def may_change_producer(producer, scope: ImportScope) -> bool:
    """A producer is in an office's area when it is registered in the office's unit: a
    district office's producers name its district (before July 2025), a province office's
    have their commune in the province, a commune office's are in the commune; the central
    office's are everywhere."""
    if scope.administrator:
        return True
    for office in scope.offices:
        if office.unit_id is None:
            return True
        if office.level == "district" and producer.district_id == office.unit_id:
            return True
        if office.level == "commune" and producer.commune_id == office.unit_id:
            return True
        # A producer whose commune is to be completed is in the province it was given.
        province_id = producer.commune.parent_id if producer.commune_id else producer.province_id
        if office.level == "province" and province_id == office.unit_id:
            return True
    return False


def producer_refusal(producer, number: str, scope: ImportScope) -> str | None:
    """Never rewrites a producer outside the importer's area. The sentence names only the
    number the importer typed: nothing the registry holds on that producer."""
    if producer is None or may_change_producer(producer, scope):
        return None
    return _(
        "The registration number %(number)s belongs to a producer outside the area you import "
        "for, which you cannot change; ask the office where it is registered to import this "
        "row."
    ) % {"number": number}


def move_refusal(producer, after, number: str, scope: ImportScope) -> str | None:
    """Nor moves one of its producers out of its area (a district office giving its
    producer another district): `after` is the producer's place as the row leaves it."""
    if (
        producer is None
        or not may_change_producer(producer, scope)
        or may_change_producer(after, scope)
    ):
        return None
    place = ", ".join(unit.name for unit in (after.commune, after.district) if unit is not None)
    return _(
        "This row would move the producer with registration number %(number)s to %(place)s, "
        "outside the area you import for."
    ) % {"number": number, "place": place}


def revoked_refusal(revoked) -> str | None:
    """Never a certificate for a product whose certificate was revoked (issue 14): an older
    one from a list, still within its term, would put the product back in the catalogue.
    `revoked` is the product's revoked certificate, or None."""
    if revoked is None:
        return None
    return _(
        "The certificate %(number)s of this product was revoked on %(date)s: an import cannot "
        "give it another; a new certificate comes from an evaluation."
    ) % {"number": revoked.number, "date": date_format(revoked.revoked_on, "d/m/Y")}
