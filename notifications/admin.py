from django.contrib import admin

from notifications.models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read only: what was told to whom, for an administrator answering "I was never told"."""

    list_display = ["created_at", "recipient", "kind", "event_key", "read_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "event_key"]
    raw_id_fields = ["recipient"]
    list_select_related = ["recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "email"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]
