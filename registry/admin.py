from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin_widgets import PrivateFileInlineMixin, PrivateFileInput, SafeAutocompleteMixin
from registry.models import (
    AdministrativeUnit,
    EvidenceDocument,
    IntellectualPropertyTitle,
    ProductGroup,
    ProductPhoto,
    ProductSet,
    QualityPaper,
    SalesPoint,
)


class StaffScopedAdmin(admin.ModelAdmin):
    """Administrators see every row; other staff only what `staff_scope` lets through,
    which is nothing here. Who is in whose scope is decided by dossiers and certificates
    (evaluation.access), so evaluation.admin registers subclasses that say it."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else self.staff_scope(request.user, qs)

    def staff_scope(self, user, qs):
        return qs.none()


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "code", "level", "division_type", "parent", "abolished_on"]
    list_filter = ["level", "division_type"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


class ProductSetInline(admin.TabularInline):
    model = ProductSet
    extra = 0


@admin.register(ProductGroup)
class ProductGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en"]
    inlines = [ProductSetInline]


@admin.register(ProductSet)
class ProductSetAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "group"]
    list_filter = ["group"]
    search_fields = ["name", "name_en"]
    list_select_related = ["group"]


class ProducerAdmin(SafeAutocompleteMixin, StaffScopedAdmin):
    """Registered by evaluation.admin, which narrows it to the staff member's scope: who may
    see a producer depends on dossiers and certificates, which this app knows nothing of."""

    list_display = ["name", "kind", "registration_number", "commune", "district", "phone"]
    list_filter = ["kind", "representative_gender", "district"]
    search_fields = ["name", "registration_number", "representative_name", "phone", "email"]
    list_select_related = ["commune", "district"]
    autocomplete_fields = ["commune", "district", "users"]

    fieldsets = [
        (None, {"fields": ["name", "kind", "registration_number", "registration_date"]}),
        (
            _("Address and contact"),
            {
                "fields": [
                    "address",
                    "commune",
                    "district",
                    "phone",
                    "email",
                    "website",
                    "contact_public",
                ]
            },
        ),
        (
            _("Legal representative"),
            {
                "fields": [
                    "representative_name",
                    "representative_position",
                    "representative_gender",
                    "representative_ethnicity",
                    "representative_disabled",
                ]
            },
        ),
        (_("History"), {"fields": ["founded_on", "history"]}),
        (_("Accounts"), {"fields": ["users"]}),
    ]


class PhotoInline(admin.TabularInline):
    model = ProductPhoto
    extra = 0
    fields = ["preview", "image", "caption", "position"]
    readonly_fields = ["preview"]

    @admin.display(description=_("preview"))
    def preview(self, photo):
        if not photo.thumbnail:
            return "—"
        return format_html('<img src="{}" alt="" style="height:60px">', photo.thumbnail.url)


# The papers below live in PrivateStorage, which has no URL to link them to.
# Intellectual-property titles and quality papers have no download view yet: their
# file is shown by name.
class IPTitleInline(PrivateFileInlineMixin, admin.TabularInline):
    model = IntellectualPropertyTitle
    extra = 0
    formfield_overrides = {models.FileField: {"widget": PrivateFileInput}}


class QualityPaperInline(PrivateFileInlineMixin, admin.TabularInline):
    model = QualityPaper
    extra = 0
    formfield_overrides = {models.FileField: {"widget": PrivateFileInput}}


class EvidenceInline(PrivateFileInlineMixin, admin.TabularInline):
    model = EvidenceDocument
    extra = 0
    readonly_fields = ["uploaded_by", "uploaded_at"]
    # Named only: the checked download asks evaluation.access, whose admin links it.
    formfield_overrides = {models.FileField: {"widget": PrivateFileInput}}


class ProductAdmin(SafeAutocompleteMixin, StaffScopedAdmin):
    """Registered by evaluation.admin with the staff member's scope, as ProducerAdmin."""

    list_display = ["name", "producer", "product_set", "stars", "is_published", "created_at"]
    list_filter = ["stars", "is_published", "product_set__group", "product_set"]
    search_fields = ["name", "slug", "producer__name", "producer__registration_number"]
    list_select_related = ["producer", "product_set"]
    autocomplete_fields = ["producer"]

    prepopulated_fields = {"slug": ["name"]}
    inlines = [PhotoInline, IPTitleInline, QualityPaperInline, EvidenceInline]
    list_per_page = 50
    show_full_result_count = False

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in instances:
            if isinstance(obj, EvidenceDocument) and obj.uploaded_by_id is None:
                obj.uploaded_by = request.user
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(SalesPoint)
class SalesPointAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "commune", "opening_hours", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "address"]
    list_select_related = ["commune"]
    autocomplete_fields = ["commune", "products"]
    fieldsets = [
        (None, {"fields": ["name", "address", "commune", "opening_hours", "phone", "is_active"]}),
        (
            _("Place on the public map"),
            {
                "fields": ["latitude", "longitude"],
                "description": _(
                    "Degrees as a map application shows them (right-click the place, copy "
                    "the two numbers). Without them the point is listed but has no pin."
                ),
            },
        ),
        (None, {"fields": ["products"]}),
    ]
