from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mail.models import SentMail


@admin.register(SentMail)
class SentMailAdmin(admin.ModelAdmin):
    """What left the site, read only: in development the whole mail, links included."""

    list_display = ["created_at", "recipients", "subject", "language", "transport", "outcome"]
    list_filter = ["outcome", "transport", "language"]
    search_fields = ["recipients", "subject"]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "sender",
        "recipients",
        "subject",
        "language",
        "transport",
        "outcome",
        "error",
        "text",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("text"))
    def text(self, obj):
        if not obj.body:
            return _("Not kept: mails sent through a mail server are not stored.")
        return format_html('<pre class="sent-mail">{}</pre>', obj.body)
