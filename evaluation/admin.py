from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin_widgets import PrivateFileInlineMixin, PrivateFileInput, SafeAutocompleteMixin
from evaluation import scoring
from evaluation.access import (
    certificates_visible_to,
    decisions_visible_to,
    dossiers_visible_to,
    products_visible_to,
    results_visible_to,
    scorecards_visible_to,
)
from evaluation.loading import LoadError, load_sheet_upload
from evaluation.models import (
    Certificate,
    ConflictDeclaration,
    Council,
    CouncilMembership,
    CouncilResult,
    Decision,
    Dossier,
    DossierDocument,
    DossierStatusChange,
    EvaluationRound,
    OfficialRole,
    Rulebook,
    Scorecard,
    ScorecardEvent,
    Sheet,
    Target,
)
from registry.admin import EvidenceInline, ProducerAdmin, ProductAdmin
from registry.models import Producer, Product


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by the rules' own functions: visible, never edited by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DossierScopedAdmin(admin.ModelAdmin):
    """Staff who are not superusers see only what they see in the application."""

    dossier_path = "dossier"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        visible = dossiers_visible_to(request.user)
        return (
            qs.filter(**{f"{self.dossier_path}__in": visible})
            if self.dossier_path
            else qs.filter(pk__in=visible)
        )


@admin.register(Producer)
class ScopedProducerAdmin(ProducerAdmin):
    """Registry's producer admin, narrowed for staff who are not administrators to the
    producers of the products in their scope: a producer's evidence and contacts are not
    for another district's officials."""

    def staff_scope(self, user, qs):
        return qs.filter(pk__in=products_visible_to(user).values("producer_id"))


def _evidence_download(evidence):
    return reverse("evaluation:evidence", args=[evidence.pk])


class LinkedEvidenceInline(EvidenceInline):
    """Registry's evidence inline, each paper linked to its checked download (which asks
    evaluation.access, so the link is added here and not in the registry)."""

    formfield_overrides = {models.FileField: {"widget": PrivateFileInput(link=_evidence_download)}}


@admin.register(Product)
class ScopedProductAdmin(ProductAdmin):
    """As for producers: outside the staff member's scope a product is a 404."""

    inlines = [
        LinkedEvidenceInline if inline is EvidenceInline else inline
        for inline in ProductAdmin.inlines
    ]

    def staff_scope(self, user, qs):
        return qs.filter(pk__in=products_visible_to(user).values("pk"))


class SheetUploadForm(forms.Form):
    rulebook = forms.ModelChoiceField(label=_("Rulebook"), queryset=Rulebook.objects.all())
    file = forms.FileField(label=_("Sheet file (JSON)"))


class SheetInline(admin.TabularInline):
    model = Sheet
    fields = ["product_set", "title", "secondary_source"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Rulebook)
class RulebookAdmin(admin.ModelAdmin):
    list_display = ["number", "effective_from", "effective_to", "certificate_validity_months"]
    readonly_fields = [
        "code",
        "number",
        "title",
        "signed_on",
        "effective_from",
        "effective_to",
        "source",
        "tier_bands",
        "levels",
        "certified_min_stars",
        "certificate_validity_months",
        "renewal_opens_days",
        "renewal_closes_days",
        "renewal_source",
        "time_limits",
        "round_schedule",
        "transition",
    ]
    inlines = [SheetInline]

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        extra = [
            path(
                "load-sheet/",
                self.admin_site.admin_view(self.load_sheet),
                name="evaluation_rulebook_load_sheet",
            ),
        ]
        return extra + super().get_urls()

    def load_sheet(self, request):
        """Load a further sheet file, with the same validation as the command."""
        if not request.user.is_superuser:
            return redirect("admin:index")
        form = SheetUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                sheet = load_sheet_upload(form.cleaned_data["rulebook"], upload.read(), upload.name)
            except LoadError as exc:
                for message in exc.messages:
                    form.add_error("file", message)
            else:
                messages.success(request, _("Loaded %s.") % sheet)
                return redirect("admin:evaluation_sheet_change", sheet.pk)
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": _("Load a scoring-sheet file"),
            "opts": self.model._meta,
        }
        return render(request, "admin/evaluation/load_sheet.html", context)


@admin.register(Sheet)
class SheetAdmin(ReadOnlyAdmin):
    list_display = ["title", "rulebook", "product_set", "secondary_source", "loaded_at"]
    list_filter = ["rulebook", "secondary_source"]
    list_select_related = ["rulebook", "product_set"]
    search_fields = ["title"]
    readonly_fields = [
        "rulebook",
        "product_set",
        "title",
        "source",
        "secondary_source",
        "rejection_clauses",
        "known_discrepancies",
        "loaded_at",
    ]
    exclude = ["content_hash"]


class MembershipInline(SafeAutocompleteMixin, admin.TabularInline):
    model = CouncilMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Council)
class CouncilAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "level", "unit", "quorum_ratio", "spread_limit", "minimum_rule"]
    list_filter = ["level", "minimum_rule", "chair_rule", "spread_rule"]
    search_fields = ["name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "level", "unit"]}),
        (
            _("Operating rules"),
            {
                "description": _(
                    "What the decision leaves to each council. They are printed on every "
                    "result; results not yet decided on are recomputed when they change."
                ),
                "fields": [
                    "quorum_ratio",
                    "chair_rule",
                    "minimum_rule",
                    "spread_limit",
                    "spread_rule",
                ],
            },
        ),
    ]
    # Radio buttons: every choice is read in full (a select cut the long ones off).
    radio_fields = {
        "chair_rule": admin.VERTICAL,
        "minimum_rule": admin.VERTICAL,
        "spread_rule": admin.VERTICAL,
    }
    RULE_FIELDS = {"quorum_ratio", "chair_rule", "minimum_rule", "spread_limit", "spread_rule"}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and self.RULE_FIELDS & set(form.changed_data):
            count = scoring.recompute_council(obj, request.user)
            if count:
                messages.info(
                    request,
                    _("%(count)s results not yet decided on were recomputed under the new rules.")
                    % {"count": count},
                )


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "rulebook", "level", "unit", "council", "opens_on", "closes_on"]
    list_filter = ["rulebook", "level"]
    search_fields = ["name"]
    list_select_related = ["rulebook", "unit", "council"]
    autocomplete_fields = ["unit", "council"]


class HistoryInline(admin.TabularInline):
    model = DossierStatusChange
    extra = 0
    can_delete = False
    fields = ["from_status", "to_status", "actor", "note", "at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def _document_download(document):
    return reverse("evaluation:document", args=[document.dossier_id, document.pk])


class DocumentInline(PrivateFileInlineMixin, admin.TabularInline):
    model = DossierDocument
    extra = 0
    readonly_fields = ["uploaded_by", "uploaded_at"]
    # Documents live in PrivateStorage, which has no URL: linked to the checked download.
    formfield_overrides = {models.FileField: {"widget": PrivateFileInput(link=_document_download)}}


@admin.register(Dossier)
class DossierAdmin(SafeAutocompleteMixin, DossierScopedAdmin):
    dossier_path = None
    list_display = ["product", "round", "kind", "status", "created_at"]
    list_filter = ["status", "kind", "round__rulebook", "round"]
    search_fields = ["product__name", "product__producer__name"]
    list_select_related = ["product", "round"]
    autocomplete_fields = ["product"]
    readonly_fields = ["status", "return_reasons"]
    inlines = [DocumentInline, HistoryInline]


class EventInline(admin.TabularInline):
    model = ScorecardEvent
    extra = 0
    can_delete = False
    fields = ["at", "actor", "action", "criterion", "before", "after", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "author", "kind", "status", "total", "submitted_at"]

    def get_queryset(self, request):
        # As in the application: a member still scoring sees no other member's card.
        visible = scorecards_visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(pk__in=visible)

    list_filter = ["status", "kind"]
    search_fields = ["dossier__product__name", "author__username"]
    list_select_related = ["dossier__product", "dossier__round", "author"]
    inlines = [EventInline]


@admin.register(CouncilResult)
class CouncilResultAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "outcome", "mean", "stars", "cards", "computed_at"]

    def get_queryset(self, request):
        visible = results_visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(pk__in=visible)

    list_filter = ["outcome", "stars"]
    list_select_related = ["dossier__product", "dossier__round"]
    search_fields = ["dossier__product__name"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["user", "producer", "reason", "declared_at"]
    list_select_related = ["user", "producer"]
    search_fields = ["user__username", "producer__name"]
    autocomplete_fields = ["user", "producer"]


class ScopedHistoryAdmin(SimpleHistoryAdmin):
    """A model with django-simple-history whose rows staff see only within their scope
    (`scope(user, qs)`), on its history pages too."""

    def scope(self, user, qs):
        raise NotImplementedError

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else self.scope(request.user, qs)

    # django-simple-history's two history pages read the history rows directly, not
    # through get_queryset, so staff with the view permission would see every field of a
    # row outside their scope there. Outside the scope is a 404, as in the views.
    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_in_scope(request, object_id)
        _require_an_id(self.model.history.model._meta.pk, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _require_in_scope(self, request, object_id):
        # Without the model's permission at all, the admin's usual 403 comes first.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        _require_an_id(self.model._meta.pk, object_id)
        # Superusers keep simple_history's fallback to the history of a deleted row.
        if not request.user.is_superuser and self.get_object(request, unquote(object_id)) is None:
            raise Http404


@admin.register(Certificate)
class CertificateAdmin(ScopedHistoryAdmin):
    """Certificates change only through issue and revoke (evaluation.certificates), which
    keep the product in step; the admin shows them with their history."""

    list_display = [
        "number",
        "product",
        "stars",
        "level",
        "unit",
        "issued_on",
        "expires_on",
        "revoked_on",
    ]
    list_filter = ["stars", "level", "revocation_ground"]
    search_fields = ["number", "product__name", "product__producer__name"]
    list_select_related = ["product", "unit"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def scope(self, user, qs):
        return qs.filter(pk__in=certificates_visible_to(user))


@admin.register(Decision)
class DecisionAdmin(ScopedHistoryAdmin):
    """Recorded acts are written by the decisions they record (evaluation.acts.record).
    An administrator may correct what was mistyped from the paper (its number, date,
    authority, signer, reasons); every change is kept with who made it and shown in words
    on the act's page and the dossier's audit trail. What it decided is not editable."""

    list_display = ["number", "signed_on", "kind", "authority", "signer_name", "level", "unit"]
    list_filter = ["kind", "level", "year"]
    search_fields = ["number", "authority", "signer_name"]
    list_select_related = ["unit"]
    fields = [
        "kind",
        "number",
        "signed_on",
        "authority",
        "signer_name",
        "signer_title",
        "level",
        "unit",
        "rulebook",
        "ground",
        "inspection_reference",
        "note",
        "created_by",
        "created_at",
    ]
    readonly_fields = ["kind", "level", "unit", "rulebook", "ground", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False

    def scope(self, user, qs):
        return qs.filter(pk__in=decisions_visible_to(user))


def _require_an_id(field, value):
    """404 for a URL id the key cannot hold ("1.5", 20 digits): simple_history looks it up
    unchecked, and the ValueError (or SQLite's OverflowError) was a 500."""
    try:
        field.run_validators(field.to_python(unquote(value)))
    except ValidationError as exc:
        raise Http404 from exc


@admin.register(OfficialRole)
class OfficialRoleAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["user", "kind", "level", "unit"]
    list_filter = ["kind", "level"]
    search_fields = ["user__username", "user__last_name"]
    list_select_related = ["user", "unit"]
    autocomplete_fields = ["user", "unit"]


@admin.register(Target)
class TargetAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "metric", "unit", "value", "deadline"]
    list_filter = ["metric"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
