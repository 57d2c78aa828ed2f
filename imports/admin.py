from django.contrib import admin

from imports.models import ImportBatch


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
