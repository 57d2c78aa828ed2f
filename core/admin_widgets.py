"""The admin's autocomplete widgets, made to survive a posted value that is no id."""

from django.contrib.admin import widgets
from django.core.exceptions import ValidationError


def _fits(field, value) -> bool:
    try:
        field.run_validators(field.to_python(value))
    except ValidationError:
        return False
    return True


class _ValidValuesOnly:
    """Django's autocomplete widgets show a refused form's choice again by looking the
    posted value up in the database, unchecked: "abc" or "1.5" for an id raised ValueError
    there, a 500 instead of the form's own "Select a valid choice" (Django 5.2). Values the
    key cannot hold are left out of that lookup; the form still says they are wrong."""

    def optgroups(self, name, value, attr=None):
        opts = self.field.remote_field.model._meta
        key = opts.get_field(getattr(self.field.remote_field, "field_name", opts.pk.attname))
        return super().optgroups(name, [v for v in value if _fits(key, v)], attr)


class AutocompleteSelect(_ValidValuesOnly, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(_ValidValuesOnly, widgets.AutocompleteSelectMultiple):
    pass


class SafeAutocompleteMixin:
    """For a ModelAdmin or inline with autocomplete_fields: the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
