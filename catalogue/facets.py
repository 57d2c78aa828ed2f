"""The catalogue's facet selects, drawn from cached choice lists without crispy.

crispy drew each of the seven selects through a dozen templates, and the choice lists
(groups, product sets, provinces, the districts producers name, a province's communes)
were read from the database on every request: about 5 ms of a catalogue page. The
lists change only when public lists do, so they are kept under the version of the
LISTS tag (core/page_cache.py: a producer, a place, a group or set saved moves it), per
language and chosen province, as ready-escaped <option> strings; a request marks the
chosen one and html() draws the seven selects as one string. The markup is crispy's
(bootstrap5 field: label, select, errors), pinned by tests/catalogue/test_cards_and_facets.py.
"""

from dataclasses import dataclass
from html import escape as _escape

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core import caching, page_cache

_OPTION = '<option value="{}">{}</option>'


@dataclass(frozen=True, slots=True)
class Facet:
    name: str
    label: str
    options: str  # the <option>s, escaped, the chosen one marked
    errors: list


def _choice_lists(form, names) -> dict[str, list[tuple[str, str]]]:
    """Each facet's options as (value, escaped <option>) pairs: the queries are here."""
    lists = {}
    for name in names:
        options = []
        for value, label in form.fields[name].choices:
            value = "" if value is None else str(value)
            options.append((value, format_html(_OPTION, value, label)))
        lists[name] = options
    return lists


def _mark(options, chosen: str) -> str:
    # As Select did: the first option whose value is the chosen one is selected.
    parts = [html for _value, html in options]
    for n, (value, html) in enumerate(options):
        if value == chosen:
            parts[n] = html.replace('">', '" selected>', 1)
            break
    return mark_safe("".join(parts))  # noqa: S308 — each part built by format_html


def _names(form) -> list[str]:
    return [name for name in form.fields if name != "q"]


def choice_lists(filterset) -> dict[str, list[tuple[str, str]]]:
    """The facets' options (value, escaped <option>), kept per language, chosen province
    and version of the public lists. The form is made unbound for this: its fields'
    choices are the same, and no value is validated before the lists exist."""
    province = "" if filterset.commune_province is None else filterset.commune_province
    key = f"catalogue-facets:{get_language()}:{province}:{page_cache.version(page_cache.LISTS)}"

    def make():
        form = filterset.get_form_class()(prefix=filterset.form_prefix)
        return _choice_lists(form, _names(form))

    return caching.get_or_make_fixed(key, make, settings.PUBLIC_PAGE_SECONDS or 300)


def facets(filterset) -> list[Facet]:
    """The facet form's selects (every field but the search box), in the form's order."""
    form = filterset.form
    names = _names(form)
    lists = filterset.choice_lists()
    errors = form.errors if filterset.is_bound else {}
    result = []
    for name in names:
        value = form[name].value()
        chosen = "" if value is None else str(value)
        result.append(
            Facet(
                name=name,
                label=form.fields[name].label,
                options=_mark(lists[name], chosen),
                errors=list(errors.get(name, [])),
            )
        )
    return result


_FACET = """
      <div id="div_id_{name}" class="mb-3">
        <label for="id_{name}" class="form-label">{label}</label>
        <select{invalid_aria} class="fastselect form-select{invalid}" id="id_{name}" \
name="{name}">{options}</select>
        {errors}
      </div>"""
_ERRORS = '<div id="id_{name}_error" class="invalid-feedback">{errors}</div>'
_ERROR = '<p id="error_{n}_id_{name}"><strong>{error}</strong></p>'


def html(facets_: list[Facet]) -> SafeString:
    """The facets' markup (crispy's bootstrap5 field), one string: through the template
    engine the seven facets' variables and conditions were ~0.5 ms a catalogue page."""
    parts = []
    for facet in facets_:
        name = _escape_text(facet.name)
        errors = ""
        if facet.errors:
            errors = _ERRORS.format(
                name=name,
                errors="".join(
                    _ERROR.format(n=n, name=name, error=_escape_text(error))
                    for n, error in enumerate(facet.errors, start=1)
                ),
            )
        parts.append(
            _FACET.format(
                name=name,
                label=_escape_text(facet.label),
                invalid_aria=(
                    f' aria-describedby="id_{name}_error" aria-invalid="true"'
                    if facet.errors
                    else ""
                ),
                invalid=" is-invalid" if facet.errors else "",
                options=facet.options,  # escaped when the lists were made
                errors=errors,
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 — every field escaped above


def _escape_text(value) -> str:
    # What django.utils.html.escape returns (it is html.escape of str()), without its
    # lazy-argument wrapper and SafeString: ~150 fields a page, the whole marked safe once.
    return _escape(str(value), quote=True)
