import pytest

from notifications.models import Notification


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """committed(f, *args) → f's result, with what waits for the commit (the receivers'
    notices) run as if the transaction had committed."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def told(kind, **filters) -> set[str]:
    """Usernames told of `kind`."""
    return set(
        Notification.objects.filter(kind=kind, **filters).values_list(
            "recipient__username", flat=True
        )
    )


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = "https://ocop.example.vn"
    return settings.SITE_URL
