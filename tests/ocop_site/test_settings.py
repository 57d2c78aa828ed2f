"""Production settings guard and `check --deploy`, in a fresh interpreter each time."""

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from ocop_site.env import env_bool, env_date

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k9$Qv!2pLr7#xZ0wTn4&bYh8@dF6jMs1^cE5uGa3*oI-Ke0Wq_Rz+Vy"


def run_manage(*args, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_the_development_secret_key():
    result = run_manage("check", DEBUG="False")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_a_typo_in_debug_stops_the_start():
    result = run_manage("check", DEBUG="Flase")
    assert result.returncode != 0
    assert "DEBUG must be True or False" in result.stderr


SHOW_DEBUG = "from django.conf import settings; print('DEBUG is', settings.DEBUG)"


# The README's Settings table: DEBUG is `True` or `False`; unset or empty is the default.
@pytest.mark.parametrize(
    ("value", "expected"), [("True", True), ("False", False), ("", True), (None, True)]
)
def test_debug_takes_each_documented_value(value, expected):
    env = {"SECRET_KEY": STRONG_KEY}
    if value is not None:
        env["DEBUG"] = value
    result = run_manage("shell", "-c", SHOW_DEBUG, **env)
    assert result.returncode == 0, result.stderr
    assert f"DEBUG is {expected}" in result.stdout


# Anything else stops the start, including spellings other projects accept.
@pytest.mark.parametrize("value", ["yes", "Flase", "true", "1", "0"])
def test_debug_refuses_an_undocumented_value(value):
    result = run_manage("shell", "-c", SHOW_DEBUG, DEBUG=value, SECRET_KEY=STRONG_KEY)
    assert result.returncode != 0
    assert f"DEBUG must be True or False, not {value!r}" in result.stderr
    assert "DEBUG is" not in result.stdout


@pytest.mark.parametrize(
    "value", ["true", "false", "TRUE", "1", "0", "yes", "no", "on", "off", " True", "False "]
)
def test_env_bool_accepts_only_true_and_false(monkeypatch, value):
    monkeypatch.setenv("SECURE_SSL_REDIRECT", value)
    with pytest.raises(ImproperlyConfigured, match="SECURE_SSL_REDIRECT must be True or False"):
        env_bool("SECURE_SSL_REDIRECT", True)


@pytest.mark.parametrize(
    ("value", "default", "expected"),
    [("True", False, True), ("False", True, False), ("", True, True), ("", False, False)],
)
def test_env_bool_documented_values(monkeypatch, value, default, expected):
    monkeypatch.setenv("SECURE_SSL_REDIRECT", value)
    assert env_bool("SECURE_SSL_REDIRECT", default) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2025-07-01", date(2025, 7, 1)), ("", date(2024, 1, 1)), (None, date(2024, 1, 1))],
)
def test_env_date_reads_an_iso_date_or_takes_the_default(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("SYSTEM_START_DATE", raising=False)
    else:
        monkeypatch.setenv("SYSTEM_START_DATE", value)
    assert env_date("SYSTEM_START_DATE", "2024-01-01") == expected


@pytest.mark.parametrize("value", ["01/07/2025", "2025-13-01", "2025-7-1", "hôm nay"])
def test_env_date_refuses_anything_but_yyyy_mm_dd(monkeypatch, value):
    monkeypatch.setenv("SYSTEM_START_DATE", value)
    with pytest.raises(ImproperlyConfigured, match="SYSTEM_START_DATE must be a date"):
        env_date("SYSTEM_START_DATE", "2024-01-01")


def test_a_start_date_that_cannot_be_read_stops_the_start():
    result = run_manage("check", SYSTEM_START_DATE="1/7/2025")
    assert result.returncode != 0
    assert "SYSTEM_START_DATE must be a date written YYYY-MM-DD" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="False",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="ocop.example.vn",
        # Production sends mail (else mail.W001) with links to its public address (W002).
        EMAIL_HOST="smtp.example.vn",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="True",
        SITE_URL="https://ocop.example.vn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_names_a_production_site_that_sends_no_mail():
    result = run_manage(
        "check", "--deploy", DEBUG="False", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="ocop.example.vn"
    )
    assert "mail.W001" in result.stderr + result.stdout
    assert "mail.W002" in result.stderr + result.stdout


def test_mail_over_starttls_and_ssl_at_once_stops_the_start():
    result = run_manage("check", EMAIL_USE_TLS="True", EMAIL_USE_SSL="True")
    assert result.returncode != 0
    assert "cannot both be True" in result.stderr


# ---------------------------------------------------------------------------------------
# The README's Settings tables name every environment variable the code reads, and only
# those: settings (ocop_site/env.py readers), any Python os.environ read, the scripts'
# ${NAME:-default}, and the Makefile's NAME ?= default or $(NAME) it never assigns.
# ---------------------------------------------------------------------------------------

SKIP_DIRS = {".venv", ".git", "node_modules", "migrations", "__pycache__"}
PY_READS = [
    re.compile(r'\benv_(?:str|bool|int|list|date)\(\s*"([A-Z][A-Z0-9_]*)"'),
    re.compile(r'\bos\.environ(?:\.get\(|\[)\s*"([A-Z][A-Z0-9_]*)"'),
    re.compile(r'\bos\.getenv\(\s*"([A-Z][A-Z0-9_]*)"'),
]
SHELL_READ = re.compile(r"\$\{([A-Z][A-Z0-9_]*):?[-=]")
MAKE_BUILTINS = {"MAKE", "MAKEFILE_LIST", "SHELL", "CURDIR", "MAKEFLAGS"}
# Read by Django or the test runner itself, not by this project's code.
NOT_OURS = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def variables_the_code_reads() -> set[str]:
    names = set()
    for path in ROOT.rglob("*.py"):
        if SKIP_DIRS.isdisjoint(path.relative_to(ROOT).parts):
            text = path.read_text(encoding="utf-8")
            names.update(n for pattern in PY_READS for n in pattern.findall(text))
    for path in [*ROOT.glob("scripts/*.sh"), ROOT / ".ci" / "run"]:
        names.update(SHELL_READ.findall(path.read_text(encoding="utf-8")))
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assigned = set(re.findall(r"^([A-Z][A-Z0-9_]*)\s*:?=", makefile, re.MULTILINE))
    used = set(re.findall(r"\$\(([A-Z][A-Z0-9_]*)\)", makefile))
    names |= set(re.findall(r"^([A-Z][A-Z0-9_]*)\s*\?=", makefile, re.MULTILINE))
    names |= used - assigned - MAKE_BUILTINS
    return names - NOT_OURS


def variables_the_readme_documents() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    first_cells = re.findall(r"^\| ([^|]+) \|", section, re.MULTILINE)
    return {n for cell in first_cells for n in re.findall(r"`([A-Z][A-Z0-9_]*)`", cell)}


def test_the_readme_documents_every_variable_the_code_reads():
    read = variables_the_code_reads()
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "HOST", "PORT", "FILE"} <= read
    assert read - variables_the_readme_documents() == set(), "read but not in the README"


def test_the_readme_documents_no_variable_the_code_ignores():
    assert variables_the_readme_documents() - variables_the_code_reads() == set()


def test_a_tile_server_address_that_cannot_be_used_stops_the_start():
    result = run_manage("check", MAP_TILE_URL="https://tiles.example.vn/{x}/{y}.png")
    assert result.returncode != 0
    assert "MAP_TILE_URL must contain {z}, {x} and {y}" in result.stderr


@pytest.mark.django_db
def test_postgresql_connections_do_not_compile_queries():
    """JIT off for each PostgreSQL connection: a misjudged short query spent a second
    compiling itself (docs/benchmarks.md). SQLite has no JIT."""
    from django.db import connection

    if connection.vendor != "postgresql":
        assert "options" not in connection.settings_dict.get("OPTIONS", {})
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
