"""How a person is named on a page: by their full name, never by a login when a name is
on record. In Vietnamese order the family and middle names are `first_name` ("Phạm Thu")
and the given name `last_name` ("Hà"), so Django's get_full_name() reads right."""

from django.utils.translation import gettext as _


def display_name(who) -> str:
    """A user's full name (their login only if no name was ever recorded); anything
    else that stands for a person (a council standing for its members) as it names
    itself; nobody — a change made by the system itself — as "the system"."""
    if who is None:
        return _("the system")
    if hasattr(who, "get_full_name"):
        return who.get_full_name() or who.get_username()
    return str(who)
