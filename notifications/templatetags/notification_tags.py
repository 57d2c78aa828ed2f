"""The mail preferences on the account page: the accounts app sits below this one and
cannot import it, so its template loads this tag, and the form posts here."""

from django import template

from notifications.forms import PreferencesForm
from notifications.kinds import kinds_for
from notifications.models import Preference

register = template.Library()


@register.inclusion_tag("notifications/includes/preferences_form.html", takes_context=True)
def notification_preferences(context):
    user = context["request"].user
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "email"))
    return {
        "form": PreferencesForm(chosen=chosen, codes=kinds_for(user)),
        "csrf_token": context.get("csrf_token"),
        "has_email": bool(user.email),
        "back": "account",
    }
