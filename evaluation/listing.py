"""The officials' lists (dossiers, certificates): their filters, sorts and exports as data
and plain functions, without HTTP.

Filters are GET parameters, so a filtered list is an address to share. A value that is not
one of the list's own (a status that does not exist, a unit outside the list, a page that
is not a number) is never an error page: it is dropped, and the page says which and why
(`Filters.problems`). Sorting is a whitelist of column keys; anything else keeps the
default order. Every query starts from the scope functions (access.py) in the views.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry import search

#: Rows per page on the lists; the exports carry the whole filtered list.
PER_PAGE = 50
#: Longest search text kept (anything longer is cut, and the page says so).
MAX_SEARCH = 100
#: ?xuat=: the export formats.
EXPORTS = ("csv", "xlsx")

LATE = "qua-han"
SOON = "sap-den-han"


@dataclass
class Filters:
    """The cleaned GET parameters of a list, and what was dropped, in words."""

    values: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def get(self, key, default=None):
        return self.values.get(key, default)

    @property
    def form(self) -> dict:
        """The values under names a template can read ("trang-thai" → "trang_thai")."""
        return {key.replace("-", "_"): str(value) for key, value in self.values.items()}

    def query(self, *, without=()) -> str:
        """The kept filters as a query string (for paging and export links)."""
        from urllib.parse import urlencode

        kept = [(k, v) for k, v in self.values.items() if k not in without and v not in ("", None)]
        return urlencode(kept)


def _drop(filters: Filters, what, value):
    filters.problems.append(
        _("“%(value)s” is not a %(what)s this list knows: that filter is left out.")
        % {"value": str(value)[:40], "what": what}
    )


def parse(params, *, choices: dict, sorts: dict, default_sort: str) -> Filters:
    """Clean `params` (request.GET): `choices` maps each filter's parameter to
    (what it is called, the allowed values as strings); `q` is a search text, `sap-xep`
    one of `sorts` (optionally "-" first for the reverse order), `page` a page number."""
    filters = Filters()
    text = params.get("q", "")
    if not isinstance(text, str):
        text = ""
    text = " ".join(text.split())
    if len(text) > MAX_SEARCH:
        filters.problems.append(
            _("The search text is cut to its first %(n)s characters.") % {"n": MAX_SEARCH}
        )
        text = text[:MAX_SEARCH]
    filters.values["q"] = text
    for key, (what, allowed) in choices.items():
        value = params.get(key, "")
        if value == "":
            continue
        if value in allowed:
            filters.values[key] = value
        else:
            _drop(filters, what, value)
    sort = params.get("sap-xep", "")
    if sort:
        if sort.removeprefix("-") in sorts:
            filters.values["sap-xep"] = sort
        else:
            _drop(filters, _("sort order"), sort)
    filters.values.setdefault("sap-xep", default_sort)
    page = params.get("page", "")
    if page:
        # ASCII digits only ("²".isdigit() is true) and short: int() of 5,000 digits raises.
        if len(page) <= 9 and page.isascii() and page.isdigit() and int(page) > 0:
            filters.values["page"] = int(page)
        else:
            _drop(filters, _("page number"), page)
    export = params.get("xuat", "")
    if export:
        if export in EXPORTS:
            filters.values["xuat"] = export
        else:
            _drop(filters, _("file format"), export)
    return filters


def order_by(filters: Filters, sorts: dict) -> list[str]:
    """The ORDER BY of the chosen sort (whitelisted), with the id last for a stable order."""
    key = filters.get("sap-xep", "")
    reverse = key.startswith("-")
    fields = sorts[key.removeprefix("-")]
    if reverse:
        fields = [f[1:] if f.startswith("-") else f"-{f}" for f in fields]
    tie = "-pk" if reverse else "pk"
    return [*fields, tie]


def product_search_q(text: str, prefix: str = "product__") -> Q:
    """Products (and producers, whose names are in the product's search text) matching every
    word of `text`, accents or not (registry.search)."""
    found = Q()
    for word in search.terms(text):
        found &= Q(**{f"{prefix}search_text__contains": f" {word}"})
    return found


# ------------------------------------------------------------------ the certificate list
CERTIFICATE_SORTS = {
    "cap": ["-issued_on"],
    "het-han": ["expires_on"],
    "so": ["number"],
    "san-pham": ["product__name"],
    "sao": ["-stars"],
}
CERTIFICATE_SORT_LABELS = {
    "cap": gettext_lazy("Newest first"),
    "het-han": gettext_lazy("Expiring first"),
    "so": gettext_lazy("Number"),
    "san-pham": gettext_lazy("Product"),
    "sao": gettext_lazy("Most stars first"),
}

# ------------------------------------------------------------------ the dossier list
DOSSIER_SORTS = {
    "dot": ["round__name", "product__name"],
    "san-pham": ["product__name"],
    "trang-thai": ["status", "product__name"],
    "moi": ["-created_at"],
}
DOSSIER_SORT_LABELS = {
    "dot": gettext_lazy("Round"),
    "san-pham": gettext_lazy("Product"),
    "trang-thai": gettext_lazy("Status"),
    "moi": gettext_lazy("Newest first"),
    "han": gettext_lazy("Nearest time limit first"),
}
