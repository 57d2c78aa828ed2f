"""Form widgets drawn in Python where Django's template-per-option rendering is too slow."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A <select> without optgroups, its options joined in Python.

    Django draws every <option> through its own template: the catalogue's six facet
    lists (provinces, districts, product sets, …) made ~130 template renders and two
    thirds of an uncached catalogue page's time. The HTML is the same as Select's.
    """

    def render(self, name, value, attrs=None, renderer=None):
        values = {str(v) for v in self.format_value(value)}
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}
        selected_one = False
        options = []
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            selected = not selected_one and option_value in values
            selected_one |= selected
            options.append((option_value, mark_safe(" selected") if selected else "", label))
        body = format_html_join("", '<option value="{}"{}>{}</option>', options)
        return format_html("<select{}>{}</select>", flatatt(final), body)
