"""The catalogue's facets as one FilterSet: what each accepts and how it filters (drawn
by catalogue/facets.py from kept choice lists)."""

import copy
from functools import lru_cache

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from catalogue import facets
from core.widgets import FastSelect
from registry.models import AdministrativeUnit, Producer, Product, ProductGroup, ProductSet
from registry.querysets import SORTS

STAR_CHOICES = [(5, "★★★★★"), (4, "★★★★"), (3, "★★★")]
SORT_CHOICES = [("name", _("Name")), ("stars", _("Stars")), ("newest", _("Newest"))]
assert {key for key, _label in SORT_CHOICES} == set(SORTS)


class KeptModelChoiceField(django_filters.fields.ModelChoiceField):
    """A facet's choice, checked against the facet's kept option list (`kept_values`,
    set for each request's form by CatalogueFilter.form) instead of a query each: the
    list is the field's queryset as it stands at the current version of public lists
    (catalogue/facets.py), so a value is accepted exactly when `get()` would find it.
    The cleaned value is an instance carrying only its pk: filters and the count's key
    use nothing else."""

    kept_values: frozenset | None = None

    def to_python(self, value):
        if self.kept_values is None or value in self.empty_values:
            return super().to_python(value)
        self.validate_no_null_characters(value)
        model = self.queryset.model
        try:
            pk = model._meta.pk.to_python(value.pk if isinstance(value, model) else value)
        except ValidationError:
            pk = None
        if pk is None or str(pk) not in self.kept_values:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return model(pk=pk)


class KeptModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = KeptModelChoiceField


class CatalogueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(
            attrs={
                "placeholder": _("Product, producer or place — accents optional"),
                "type": "search",
            }
        ),
    )
    stars = django_filters.ChoiceFilter(
        label=_("Stars"),
        choices=STAR_CHOICES,
        empty_label=_("All stars"),
        widget=FastSelect,
    )
    group = KeptModelChoiceFilter(
        label=_("Product group"),
        field_name="product_set__group",
        queryset=ProductGroup.objects.all(),
        empty_label=_("All groups"),
        widget=FastSelect,
    )
    product_set = KeptModelChoiceFilter(
        label=_("Product set"),
        queryset=ProductSet.objects.all(),
        empty_label=_("All product sets"),
        widget=FastSelect,
    )
    province = KeptModelChoiceFilter(
        label=_("Province / city"),
        field_name="producer__commune__parent",
        method="filter_province",
        queryset=AdministrativeUnit.objects.provinces(),
        empty_label=_("All provinces"),
        widget=FastSelect,
    )
    district = KeptModelChoiceFilter(
        label=_("District (before 2025)"),
        field_name="producer__district",
        # The districts some producer names, not all 696 of before July 2025: a select of
        # that size on every catalogue page, most of them empty, would help no one.
        queryset=AdministrativeUnit.objects.districts()
        .filter(pk__in=Producer.objects.values("district"))
        .order_by("name"),
        empty_label=_("All districts"),
        widget=FastSelect,
    )
    commune = KeptModelChoiceFilter(
        label=_("Commune / ward"),
        field_name="producer__commune",
        queryset=AdministrativeUnit.objects.none(),
        empty_label=_("All communes"),
        widget=FastSelect,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=SORT_CHOICES,
        method="filter_nothing",
        empty_label=None,
        widget=FastSelect,
    )

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # django-filter's own __init__, but for one line: it deep-copies every filter
        # (and the querysets they hold) for each request, a sixth of a catalogue page's
        # time. A filter's own state is its attributes and its `extra` dict (where a
        # ModelChoiceFilter puts its queryset when it makes its field): copied here.
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            filter_.extra = dict(base.extra)
            filter_.__dict__.pop("_field", None)
            if getattr(base, "_method", None) is not None:
                # A `method=` filter calls its parent's method through a FilterMethod
                # bound to the filter: bound again, to this copy (and so to self).
                filter_.method = base._method
            filter_.model = queryset.model
            filter_.parent = self
            self.filters[name] = filter_
        # Communes are listed only inside the chosen province: 3,321 options would be
        # unusable on a phone, and the list stays one bounded query.
        province = (data or {}).get("province")
        # ASCII digits of a sane length only: "²" passes isdigit() and 5,000 digits
        # overflow the database's integer.
        province = str(province or "")
        # The province whose communes the commune select lists (None: no commune listed);
        # part of the key its kept choices go under (catalogue/facets.py).
        self.commune_province = None
        if province.isascii() and province.isdigit() and len(province) <= 18:
            self.commune_province = int(province)
            self.filters["commune"].queryset = (
                AdministrativeUnit.objects.communes()
                .filter(parent_id=self.commune_province)
                .order_by("name")
            )

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            if self.is_bound:
                # Each facet's choice is checked against its kept options (no query).
                lists = self.choice_lists()
                for name, field in form.fields.items():
                    if isinstance(field, KeptModelChoiceField):
                        field.kept_values = frozenset(value for value, _html in lists[name])
        return self._form

    def choice_lists(self) -> dict:
        """Each facet's options, kept per language, chosen province and version of the
        public lists (catalogue/facets.py); read once a request."""
        if not hasattr(self, "_choice_lists"):
            self._choice_lists = facets.choice_lists(self)
        return self._choice_lists

    def get_form_class(self):
        # The form's fields are the same for every request in a language (some of their
        # labels are made into text when the field is) but the communes listed (the
        # chosen province's): made once per province and language, each form then
        # copying them shallowly (_ShallowFields) rather than deeply.
        return _form_class(type(self), self.commune_province, get_language())

    def _make_form_class(self):
        form_class = super().get_form_class()
        form_class.base_fields = _ShallowFields(form_class.base_fields)
        return form_class

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def unsearched(self):
        """The list with every filter but the search (a valid form's): what a search's
        ranks are read from (registry.querysets.search_ranks)."""
        queryset = self.queryset
        for name, value in self.form.cleaned_data.items():
            if name != "q":
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_province(self, queryset, name, value):
        # A producer whose commune is to be completed (an imported old list gave only the
        # province) is in the province it was given.
        return queryset.filter(
            Q(producer__commune__parent=value)
            | Q(producer__commune__isnull=True, producer__province=value)
        )

    def filter_nothing(self, queryset, name, value):
        return queryset  # ordering is applied by the view, after ranking


class _ShallowFields(dict):
    """A form's base fields, copied into each form without their querysets and choice
    lists: a form deep-copies its fields so that one request's changes cannot reach the
    next. What a request may change is the field's attributes and its widget's attrs
    (crispy adds "is-invalid" to them): those are copied; the querysets, choices and
    validators are only read."""

    def __deepcopy__(self, memo):
        fields = {}
        for name, field in self.items():
            field = copy.copy(field)
            field.widget = copy.copy(field.widget)
            field.widget.attrs = dict(field.widget.attrs)
            field.error_messages = dict(field.error_messages)
            fields[name] = field
        return fields


@lru_cache(maxsize=64)  # a class a province asked for (and one without) and language
def _form_class(filterset_class, commune_province, language):
    data = QueryDict(mutable=True)
    if commune_province is not None:
        data["province"] = str(commune_province)
    return filterset_class(data, queryset=Product.objects.none())._make_form_class()
