from functools import cache

from notifications.models import Notification


def unread(request):
    """The menu's unread count: one indexed COUNT, run only when a page shows the menu of
    a signed-in user (templates call `unread_notifications` once, in base.html)."""

    @cache
    def count():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return Notification.objects.filter(recipient=user, read_at__isnull=True).count()

    return {"unread_notifications": count}
