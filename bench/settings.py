"""The site's settings plus the benchmark harness, for `make bench` only.

The harness creates users with a fixed password and forges sessions for them, so its
commands must never exist on a real server: ocop_site.settings does not install it.
"""

from ocop_site.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
