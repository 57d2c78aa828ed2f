"""CSV for spreadsheets: one row per item, nested objects flattened to dotted columns."""

import csv
import io

from rest_framework import renderers, serializers

from core.spreadsheets import safe_text

# Excel reads a BOM-less CSV as the local ANSI code page and mangles Vietnamese.
BOM = "\ufeff"


def columns(serializer, prefix="") -> list[str]:
    """Dotted column names in the serializer's field order: `place.province.code`."""
    names = []
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.Serializer):
            names += columns(field, f"{prefix}{name}.")
        else:
            names.append(f"{prefix}{name}")
    return names


def flatten(data, prefix="", into=None) -> dict:
    into = {} if into is None else into
    for key, value in (data or {}).items():
        if isinstance(value, dict):
            flatten(value, f"{prefix}{key}.", into)
        else:
            into[f"{prefix}{key}"] = value
    return into


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "; ".join(cell(v) for v in value)
    return str(safe_text(value))


class CSVRenderer(renderers.BaseRenderer):
    """Renders a list view's items; an error (400, 404, 429) becomes `field,message` rows."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        context = renderer_context or {}
        response, view = context.get("response"), context.get("view")
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        if response is not None and response.exception:
            writer.writerow(["field", "message"])
            for key, value in flatten(data if isinstance(data, dict) else {"detail": data}).items():
                writer.writerow([key, cell(value)])
        else:
            rows = data.get("results", []) if isinstance(data, dict) else data or []
            header = columns(view.get_serializer()) if view is not None else []
            if not header and rows:
                header = list(flatten(rows[0]))
            writer.writerow(header)
            for row in rows:
                flat = flatten(row)
                writer.writerow([cell(flat.get(name)) for name in header])
        return (BOM + buffer.getvalue()).encode(self.charset)
