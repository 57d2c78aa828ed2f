"""Which column of a file is which registry field: suggested from the headers (folded
aliases, imports.columns), confirmed or changed by the official on the page, remembered
per office for the next file whose header row reads the same.

A mapping is {column key: index of the file's column}. It only says where to read; every
value read is then checked by imports.validation like any other, so a mapping cannot get
past a rule.
"""

from django.utils.translation import gettext as _

from imports.access import ImportScope
from imports.columns import BY_KEY, COLUMNS, column_for
from imports.models import ColumnMapping
from imports.reading import header_shape

# Sample values shown under each header on the page.
SAMPLES = 3


def office_key(scope: ImportScope, user) -> str:
    """The offices the user imports as ("province:1", "district:274"), or the
    administrator's own key: whose remembered mappings apply."""
    if scope.administrator or not scope.offices:
        return f"user:{user.pk}"
    return ",".join(sorted(f"{o.level}:{o.unit_id or '-'}" for o in scope.offices))[:200]


def remembered(scope: ImportScope, user, headers: list[str]) -> dict[str, int] | None:
    found = ColumnMapping.objects.filter(
        office=office_key(scope, user), shape=header_shape(headers)
    ).first()
    return dict(found.mapping) if found else None


def remember(scope: ImportScope, user, headers: list[str], mapping: dict[str, int]):
    ColumnMapping.objects.update_or_create(
        office=office_key(scope, user),
        shape=header_shape(headers),
        defaults={"headers": headers, "mapping": mapping, "updated_by": user},
    )


def suggested(headers: list[str]) -> dict[str, int]:
    """The registry field each header names, the first column winning a field."""
    mapping = {}
    for index, header in enumerate(headers):
        key = column_for(header) if header else None
        if key and key not in mapping:
            mapping[key] = index
    return mapping


def from_form(data, headers: list[str]) -> tuple[dict[str, int], list[str]]:
    """The mapping an official chose (field "col-<index>" = column key, blank for "not
    imported"), and the sentences refusing it (a field chosen for two columns)."""
    mapping, errors = {}, []
    for index in range(len(headers)):
        key = data.get(f"col-{index}", "")
        if not key:
            continue
        if key not in BY_KEY:
            errors.append(_("Unknown field chosen for column %(n)s.") % {"n": index + 1})
        elif key in mapping:
            errors.append(
                _("“%(field)s” is chosen for two columns: %(first)s and %(second)s.")
                % {
                    "field": BY_KEY[key].label,
                    "first": headers[mapping[key]] or mapping[key] + 1,
                    "second": headers[index] or index + 1,
                }
            )
        else:
            mapping[key] = index
    return mapping, errors


def columns_view(headers: list[str], table: list[list], header_index: int, mapping):
    """What the page shows for each column of the file: its header, a few values and the
    field chosen."""
    chosen = {index: key for key, index in (mapping or {}).items()}
    body = [row for row in table[header_index + 1 :] if any(str(v).strip() for v in row)]
    return [
        {
            "index": index,
            "header": header,
            "samples": [
                str(row[index]).strip()
                for row in body[:SAMPLES]
                if index < len(row) and str(row[index]).strip()
            ],
            "key": chosen.get(index, ""),
        }
        for index, header in enumerate(headers)
    ]


def field_choices():
    return [(c.key, c.label, c.required) for c in COLUMNS]
