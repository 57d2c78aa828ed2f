"""Two sign-in limits with a limit each, on top of django-axes' database handler.

Axes locks when any lockout group reaches one AXES_FAILURE_LIMIT. We lock on two groups:

* [username, address]: AXES_FAILURE_LIMIT wrong passwords for one account from one address
  (someone guessing one official's password);
* address alone: AXES_ADDRESS_FAILURE_LIMIT wrong passwords from one address, whatever the
  usernames (password spraying: a few common passwords tried against many accounts).

There is never a lock on a username alone: that would let anyone pause a named official
from outside with a handful of requests.

``get_failures`` reports the group nearest its own limit on AXES_FAILURE_LIMIT's scale
(count + AXES_FAILURE_LIMIT - own limit), so axes' own test "failures >= AXES_FAILURE_LIMIT"
is true exactly when some group has reached its own limit.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum

ADDRESS_ONLY = ("ip_address", ["ip_address"], ("ip_address",))


def own_limit(parameter) -> int:
    if parameter in ADDRESS_ONLY:
        return settings.AXES_ADDRESS_FAILURE_LIMIT
    return settings.AXES_FAILURE_LIMIT


class PairAndAddressHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        scale = settings.AXES_FAILURE_LIMIT
        parameters = get_lockout_parameters(request, credentials)
        attempts_list = self.get_user_attempts(request, credentials)
        nearest = 0
        for parameter, attempts in zip(parameters, attempts_list, strict=True):
            count = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            nearest = max(nearest, count + scale - own_limit(parameter))
        return nearest

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A good sign-in forgives that account's own failures from that address, not the
        # address's failures against other usernames: otherwise a sprayer holding one real
        # account could sign in with it now and then and never be paused.
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count
