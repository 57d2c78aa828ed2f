"""What every test shares: the reference data, the settings of a test run, and the cast.

tests/README.md is the map. In short:

* reference data (product sets, administrative units, both rulebooks with their 27
  sheets) is loaded once per session; `qd148`, `qd26`, `rulebooks` and `hanoi` hand
  out those rows, they never read a file;
* `people` is everyone the tests act as, `cast` is `people` plus a Hoài Đức producer
  whose product is being scored (see their docstrings); tests/factories.py makes
  anything else;
* `as_user` signs the test client in, `english` switches the test to English.
"""

import pytest

from registry.reference_data import (
    current_units,
    former_hanoi_districts,
    load_product_sets,
    load_units,
    units_before_2025,
)


# ---------------------------------------------------------------- reference data
def load_reference_data(rulebooks=None, before_2025=True):
    """Product sets, units and rulebooks, as `manage.py migrate` + the load commands leave
    them (idempotent: ~0.2 s when present); `rulebooks` narrows the rulebooks to those codes.
    `before_2025=False` leaves out the 10,731 districts and communes of before July 2025
    (all but Hanoi's districts): browser journeys reload the data before each test and
    need none of them."""
    from evaluation import loading

    load_product_sets()
    old = units_before_2025() if before_2025 else former_hanoi_districts()
    load_units(current_units() + old)
    if rulebooks is None:
        loading.load_all()
    else:
        for code in rulebooks:
            loading.load_rulebook_dir(loading.RULEBOOKS_DIR / code)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load product sets, administrative units and rulebooks once per test run.

    They are reference data that every page needs; loading 3,385 units for each
    test would cost a second apiece, and the 27 sheet files a second more.
    """
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture
def reference_data(transactional_db):
    """For transactional tests (browser journeys): the test before may have emptied every
    table on its way out, so load the reference data again before this one."""
    load_reference_data(before_2025=False)


def _database_use(item) -> str | None:
    """ "transactional" when pytest-django runs `item` outside a transaction (and empties
    every table after it), "db" when inside one, None when it needs no database."""
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return "transactional"
    if "transactional_db" in names or "live_server" in names:
        return "transactional"
    return "db" if marker or "db" in names else None


_tables_emptied = False


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Once transactional tests have emptied the tables, put the reference data back
    before the next test that expects it. pytest-django already runs them after the
    other database tests; this keeps any selection and order of tests right all the same."""
    global _tables_emptied
    result = yield
    setup = getattr(item, "report_setup", None)
    if _database_use(item) == "transactional" and setup is not None and not setup.skipped:
        _tables_emptied = True
    if _tables_emptied and nextitem is not None and _database_use(nextitem) == "db":
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            load_reference_data()
        _tables_emptied = False
    return result


@pytest.fixture
def qd148(db):
    """Decision 148/QĐ-TTg (2023): three levels, one sheet (set 1, fresh produce)."""
    from evaluation.models import Rulebook

    return Rulebook.objects.get(code="qd148-2023")


@pytest.fixture
def qd26(db):
    """Decision 26/2026/QĐ-TTg: commune pre-check, province, centre; 26 sheets."""
    from evaluation.models import Rulebook

    return Rulebook.objects.get(code="qd26-2026")


@pytest.fixture
def rulebooks(db):
    """Both rulebooks by code, as loaded for the session."""
    from evaluation.models import Rulebook

    return {rulebook.code: rulebook for rulebook in Rulebook.objects.all()}


@pytest.fixture
def hanoi(db):
    """The province of Hà Nội (code 01)."""
    from tests.factories import province

    return province("01")


# ---------------------------------------------------------------- the cast
@pytest.fixture
def people(db):
    """Everyone the tests act as, by username (each key is the user's username).

    The council of Hoài Đức district (Hanoi's district 274, Decision 148):
      chair, member1, member2, member3 score; secretary runs the session and does not
      (quorum: three of the four scorers, the chair among them).
    outsider      a member of the Mỹ Đức district council (282): another council's member
    district_office   the office that decides for Hoài Đức district
    city_office       the office of Hà Nội (province 01)
    central_office    the ministry's office (central level, no unit)
    far_office        the office of Hưng Yên (province 33): another province
    inspector         Hà Nội's inspector (reads the city and its districts, changes nothing)
    far_inspector     Hưng Yên's inspector
    citizen           an account with no role
    admin             a superuser

    Users only (with their councils and roles): no producer, product or certificate, so
    a test may count those. The producers' accounts come with their producers in `cast`.
    No one has a password: sign in with `as_user` (force_login).
    """
    from evaluation.models import CouncilMembership
    from tests.factories import (
        district,
        inspector_of,
        make_council,
        make_user,
        office_of,
        province,
    )

    hoai_duc, hanoi, hung_yen = district("274"), province("01"), province("33")
    _council, council = make_council()
    _other, outside = make_council(
        "Hội đồng OCOP huyện Mỹ Đức",
        unit=district("282"),
        roles={"outsider": CouncilMembership.Role.MEMBER},
    )
    return {
        **council,
        **outside,
        "district_office": office_of("district_office", "district", hoai_duc),
        "city_office": office_of("city_office", "province", hanoi),
        "central_office": office_of("central_office", "central", None),
        "far_office": office_of("far_office", "province", hung_yen),
        "inspector": inspector_of("inspector", "province", hanoi),
        "far_inspector": inspector_of("far_inspector", "province", hung_yen),
        "citizen": make_user("citizen"),
        "admin": make_user("admin", superuser=True),
    }


@pytest.fixture
def cast(people, qd148):
    """`people`, and what they act on: a dict, so `cast[role]` reads in a parametrised test.

    owner     the account of `producer`, a cooperative in Xã Hoài Đức
    stranger  the account of `other_producer`, elsewhere in Hoài Đức
    council   Hoài Đức's (people's chair … secretary); `round` its Decision 148 round
    product   `producer`'s set-1 product (fresh produce), no star nor certificate yet
    dossier   that product's dossier in the round, being scored (status "scoring")
    sheet     the dossier's sheet (Decision 148, set 1: 32 criteria, 108 options)
    document  a PDF the producer attached to the dossier
    criterion the sheet's first criterion; `option` its best option
    """
    from evaluation.models import Council, Criterion, Dossier, DossierDocument
    from tests.factories import (
        ProducerFactory,
        ProductFactory,
        make_dossier,
        make_round,
        make_user,
        pdf_upload,
    )

    council = Council.objects.get(memberships__user=people["chair"])
    round_ = make_round(council, qd148, name="Hoài Đức 2024 đợt 1")
    producer = ProducerFactory(name="Hợp tác xã Nông sản sạch Hoài Đức")
    owner = make_user("owner")
    producer.users.add(owner)
    other_producer = ProducerFactory(name="Hợp tác xã Chè Hoài Đức")
    stranger = make_user("stranger")
    other_producer.users.add(stranger)
    product = ProductFactory(
        producer=producer, name="Rau cải an toàn Hoài Đức", stars=None, certified=False
    )
    dossier = make_dossier(round_, Dossier.Status.SCORING, product=product)
    document = DossierDocument.objects.create(
        dossier=dossier, title="Giấy chứng nhận ATTP", file=pdf_upload("attp.pdf")
    )
    criterion = Criterion.objects.filter(sheet=dossier.sheet).order_by("position").first()
    return {
        **people,
        "owner": owner,
        "stranger": stranger,
        "council": council,
        "round": round_,
        "producer": producer,
        "other_producer": other_producer,
        "product": product,
        "dossier": dossier,
        "sheet": dossier.sheet,
        "document": document,
        "criterion": criterion,
        "option": criterion.options.order_by("-points").first(),
    }


@pytest.fixture
def as_user(client):
    """as_user(user) → the test client, signed in as `user`."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def english(default_language):
    """The test in English: pages, messages and reverse() (/en/ addresses). For tests that
    assert messages in their English msgids."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def run_jobs(db, monkeypatch):
    """run_jobs() → how many job runs it made: every job ready now, run by the real
    worker's code (jobs/worker.py) in this process, inside this test's transaction, until
    none is ready (a retry without backoff runs again at once). No heartbeat thread and no
    daily schedule: a second thread's connection would not see this transaction's rows."""
    from jobs.worker import JobWorker

    # Between jobs the worker closes connections a request would: in a test's transaction
    # that would end it.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run():
        worker = JobWorker(
            queue_names=["*"],
            excluded_queue_names=[],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            heartbeat=False,
            schedule_daily=False,
        )
        worker.run()
        return worker._run_tasks

    return run


# ---------------------------------------------------------------- mail
@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free local port, in a thread: `.port`, and
    `.messages`, each received mail parsed (email.message.EmailMessage) with its envelope
    (`.envelope_to`) and its bytes as they came over the wire (`.raw`)."""
    import email
    import email.policy
    import socket

    from aiosmtpd.controller import Controller

    class Handler:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            message.envelope_to = list(envelope.rcpt_tos)
            message.raw = envelope.content
            self.messages.append(message)
            return "250 Message accepted for delivery"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    yield handler
    controller.stop()


@pytest.fixture
def send_by_smtp(settings, smtp_server):
    """Mail leaves as in production: the site's backend, SMTP to `smtp_server`."""
    settings.EMAIL_BACKEND = "mail.backends.RecordingBackend"
    settings.MAIL_TRANSPORT = "django.core.mail.backends.smtp.EmailBackend"
    settings.MAIL_KEEP_BODIES = False
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    return smtp_server


# ---------------------------------------------------------------- the settings of a test run
@pytest.fixture(scope="session", autouse=True)
def own_cache():
    """The cache of this test run alone: not the dev server's, nor another run's.

    In memory: production keeps a file cache so that its worker processes share one, but
    a test run is one process (the live server and the racing threads included), and
    writing a file for each of the ~10,000 changes that drop the kept pages cost a fifth
    of the quick tier. Same options (MAX_ENTRIES), same pickling of what is stored."""
    from django.conf import settings
    from django.test import override_settings

    caches = {"default": {**settings.CACHES["default"]}}
    caches["default"]["BACKEND"] = "django.core.cache.backends.locmem.LocMemCache"
    caches["default"]["LOCATION"] = "ocop-tests"
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached counts, figures and throttle counts must not carry from one test into the next."""
    from django.core.cache import cache

    from core import caching, version_watch

    cache.clear()
    caching.forget_local()
    version_watch.reset()
    yield
    cache.clear()
    caching.forget_local()
    version_watch.reset()


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """PBKDF2 costs ~0.4 s a user by design; tests create dozens of users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_dirs(request, settings, tmp_path):
    """Real files, written to a throw-away folder per test (public and private); in a
    module that uses `module_db`, the module's folder, where its shared rows' files are."""
    folder = tmp_path
    if "module_db" in request.fixturenames:
        folder = request.getfixturevalue("module_db")
    settings.MEDIA_ROOT = folder / "media"
    settings.PRIVATE_MEDIA_ROOT = folder / "private"
    return folder


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker, tmp_path_factory):
    """Rows that are costly to build and that every test of a module only reads, built
    once: a module-scoped fixture that asks for `module_db` may write to the database.

    The whole module runs in one transaction, rolled back after its last test; each test
    still runs in a savepoint of its own, so what a test writes is undone as usual. Keep
    such modules to the tests that share the rows: every test of the module runs inside
    that transaction. Files written meanwhile go to one folder for the module."""
    from django.db import transaction
    from django.test import override_settings

    folder = tmp_path_factory.mktemp("module")
    files = override_settings(MEDIA_ROOT=folder / "media", PRIVATE_MEDIA_ROOT=folder / "private")
    with files, django_db_blocker.unblock(), transaction.atomic():
        yield folder
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in Vietnamese: the test client leaves the last request's
    language active in the thread, which would make `reverse()` return /en/ URLs."""
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.deactivate()


# ---------------------------------------------------------------- browser journeys
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
    # Remember how each phase ended, so `snap` knows whether the test failed (and the
    # teardown hook above whether a transactional test ran at all).
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
