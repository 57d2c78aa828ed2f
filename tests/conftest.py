"""Shared fixtures: the reference data every test database starts with."""

import pytest

from registry.reference_data import (
    current_units,
    former_hanoi_districts,
    load_product_sets,
    load_units,
)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load product sets, administrative units and rulebooks once per test run.

    They are reference data that every page needs; loading 3,385 units for each
    test would cost a second apiece.
    """
    from evaluation.loading import load_all

    with django_db_blocker.unblock():
        load_product_sets()
        load_units(current_units() + former_hanoi_districts())
        load_all()


@pytest.fixture(scope="session", autouse=True)
def own_cache_dir(tmp_path_factory):
    """The file cache of this test run alone: not the dev server's, nor another run's."""
    from django.conf import settings
    from django.test import override_settings

    caches = {"default": {**settings.CACHES["default"]}}
    caches["default"]["LOCATION"] = str(tmp_path_factory.mktemp("cache"))
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached counts and figures must not carry from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """PBKDF2 costs ~0.4 s a user by design; tests create dozens of users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_dirs(settings, tmp_path):
    """Real files, written to a throw-away folder per test (public and private)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return tmp_path


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in Vietnamese: the test client leaves the last request's
    language active in the thread, which would make `reverse()` return /en/ URLs."""
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.deactivate()


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, headless, without the background traffic a closed network refuses."""
    import os

    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Remember how each phase ended, so `snap` knows whether the test failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def snap(request, page):
    """Screenshot each step of a browser journey into test-results/journeys/<test>/.

    A passing run deletes them; a failing run keeps them beside pytest-playwright's
    own failure screenshot, so the steps that led there can be looked at.
    """
    import re
    import shutil
    from pathlib import Path

    folder = Path("test-results") / "journeys" / re.sub(r"[^\w.-]+", "-", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    steps = []

    def take(step: str):
        steps.append(step)
        page.screenshot(path=folder / f"{len(steps):02d}-{step}.png", full_page=True)

    yield take
    report = getattr(request.node, "report_call", None)
    if report is not None and report.passed:
        shutil.rmtree(folder, ignore_errors=True)
