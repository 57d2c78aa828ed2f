from django.contrib import admin

from imports.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Imports are recorded by the import itself; the admin only shows them."""

    list_display = [
        "file_name",
        "user",
        "status",
        "row_count",
        "held_count",
        "products_created",
        "certificates_created",
        "created_at",
    ]
    list_select_related = ["user"]
    list_filter = ["status", "partial"]
    search_fields = ["file_name", "sha256", "user__username"]
    # The rows a queued batch carries are the job's, not a page's (10,000 rows of JSON).
    exclude = ["source_rows"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            queryset = queryset.defer("summary", "held_rows", "created_ids", "source_rows")
        return queryset

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
