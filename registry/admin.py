from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from registry.admin_widgets import (
    PrivateFileInlineMixin,
    PrivateFileInput,
    SafeAutocompleteMixin,
)
from registry.models import (
    AdministrativeUnit,
    EvidenceDocument,
    ImportBatch,
    IntellectualPropertyTitle,
    Producer,
    Product,
    ProductGroup,
    ProductPhoto,
    ProductSet,
    QualityPaper,
    SalesPoint,
)


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


@admin.register(Producer)
class ProducerAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "registration_number", "commune", "district", "phone"]
    list_filter = ["kind", "representative_gender", "district"]
    search_fields = ["name", "registration_number", "representative_name", "phone", "email"]
    list_select_related = ["commune", "district"]
    autocomplete_fields = ["commune", "district", "users"]

    def get_queryset(self, request):
        # Staff who are not administrators see only producers in their scope: the
        # producer's evidence and contacts are not for another district's officials.
        from evaluation.access import products_visible_to

        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(pk__in=products_visible_to(request.user).values("producer_id"))

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


def _evidence_download(evidence):
    return reverse("registry:evidence", args=[evidence.pk])


class EvidenceInline(PrivateFileInlineMixin, admin.TabularInline):
    model = EvidenceDocument
    extra = 0
    readonly_fields = ["uploaded_by", "uploaded_at"]
    formfield_overrides = {models.FileField: {"widget": PrivateFileInput(link=_evidence_download)}}


@admin.register(Product)
class ProductAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "producer", "product_set", "stars", "is_published", "created_at"]
    list_filter = ["stars", "is_published", "product_set__group", "product_set"]
    search_fields = ["name", "slug", "producer__name", "producer__registration_number"]
    list_select_related = ["producer", "product_set"]
    autocomplete_fields = ["producer"]

    def get_queryset(self, request):
        # As for producers: outside the staff member's scope a product is a 404.
        from evaluation.access import products_visible_to

        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(pk__in=products_visible_to(request.user).values("pk"))

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


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Imports are recorded by the import itself; the admin only shows them."""

    list_display = [
        "file_name",
        "user",
        "row_count",
        "products_created",
        "certificates_created",
        "created_at",
    ]
    list_select_related = ["user"]
    search_fields = ["file_name", "sha256", "user__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
