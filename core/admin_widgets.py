"""The admin's widgets: autocompletes that survive a posted value that is no id, and a
file input for files that have no URL."""

from django.contrib.admin import widgets
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile


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


class PrivateFileInput(widgets.AdminFileWidget):
    """The admin's file input for a file in PrivateStorage.

    Django's widget links the stored file to its .url, and PrivateStorage.url raises
    (a ValueError, a 500 on every change page with such a file). This one links it to
    `link(instance)`, a download view that checks who is asking, or shows its name alone
    when there is no such view. Uploading, clearing and validation are Django's.
    """

    # In an app's templates, not the project's: forms render with Django's default form
    # renderer, which looks in installed apps only.
    template_name = "core/admin/private_file_input.html"

    # Set by PrivateFileInlineMixin where the rows are only viewed: the admin then lets the
    # widget draw the field (the hook contrib.auth's password hash uses), instead of
    # display_for_field, which asks for .url as well.
    read_only = False

    def __init__(self, attrs=None, link=None):
        super().__init__(attrs)
        self.link = link  # model instance → URL of its checked download

    def is_initial(self, value):
        # Django asks getattr(value, "url"), which is what raises: a stored file is a
        # FieldFile with a name.
        return isinstance(value, FieldFile) and bool(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        stored = self.is_initial(value) and value.instance.pk is not None
        context["widget"]["href"] = self.link(value.instance) if stored and self.link else None
        context["widget"]["read_only"] = self.read_only
        return context


class PrivateFileInlineMixin:
    """For an inline whose file fields use PrivateFileInput: rows the user may view but
    not change show their file through the widget too, as a link or a name.

    The widget is the formset's, so a user who may add rows but not change them (a rare
    grant) sees no file input on a new row either: refused as incomplete, not a 500.
    """

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and not self._rows_editable(request, obj):
            for field in formset.form.base_fields.values():
                if isinstance(field.widget, PrivateFileInput):
                    field.widget.read_only = True
        return formset

    def _rows_editable(self, request, obj):
        # As ModelAdmin.get_inline_formsets decides it: changing the rows of an inline
        # needs the change permission on the parent as well as on the rows.
        parent = self.admin_site.get_model_admin(self.parent_model)
        return parent.has_change_permission(request, obj) and self.has_change_permission(
            request, obj
        )
