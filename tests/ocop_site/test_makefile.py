"""The Makefile and the README agree: every target has a help line, and `make help`
prints it; every `make …` the README names is a target; `make run` and the logins it
prints use HOST and PORT. Plain file reading and dry runs: no database."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")

# "name: prerequisites ## help", but not "NAME := value" nor "$(STAMP): …" (a file).
RULE = re.compile(r"^([a-z][a-z0-9-]*)\s*:(?![:=])([^#\n]*)(?:##\s*(.*))?$", re.MULTILINE)
RULES = {m.group(1): (m.group(3) or "").strip() for m in RULE.finditer(MAKEFILE)}
needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="GNU make not installed")


def run_make(*args, **env):
    base = {k: v for k, v in os.environ.items() if k not in {"HOST", "PORT", "MAKEFLAGS"}}
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout


def test_the_makefile_has_its_targets():
    assert {"help", "run", "test", "ci"} <= set(RULES)


@pytest.mark.parametrize("target", sorted(RULES))
def test_every_target_has_a_help_line(target):
    assert RULES[target], f"`{target}:` has no '## what it does' after its prerequisites"


def test_phony_lists_exactly_the_targets():
    phony = set(re.search(r"^\.PHONY:(.*)$", MAKEFILE, re.MULTILINE).group(1).split())
    assert phony - set(RULES) == set(), "in .PHONY without a rule"
    assert set(RULES) - phony == set(), "a rule missing from .PHONY"


@needs_make
def test_make_help_lists_every_target_with_its_line():
    out = run_make("help")
    listed = dict(re.findall(r"^  make (\S+)\s+(.*)$", out, re.MULTILINE))
    assert listed == RULES


def readme_make_targets() -> set[str]:
    """`make X` inside the README's code spans and code blocks (prose words are not targets)."""
    code = re.findall(r"```.*?```", README, re.DOTALL) + re.findall(r"`[^`\n]+`", README)
    return {t for chunk in code for t in re.findall(r"(?:^|[\s`])make ([a-z][a-z0-9-]*)", chunk)}


def test_every_target_the_readme_names_exists():
    named = readme_make_targets()
    assert {"run", "test", "ci", "bench", "backup", "restore"} <= named
    assert named - set(RULES) == set()


def test_the_readme_names_every_target():
    assert set(RULES) - readme_make_targets() == set()


@needs_make
def test_make_run_serves_and_prints_on_host_and_port():
    out = run_make("-n", "run", HOST="10.9.8.7", PORT="9123")
    assert "manage.py runserver 10.9.8.7:9123" in out
    assert 'HOST="10.9.8.7" PORT="9123" scripts/print-logins.sh' in out


@needs_make
def test_make_run_starts_a_worker_that_stops_with_the_server():
    out = run_make("-n", "run")
    worker = out.index("manage.py worker &")
    assert worker < out.index("manage.py runserver"), "the worker starts first, in the background"
    assert "trap 'kill -TERM -- -$worker" in out


@needs_make
def test_make_run_defaults_to_127_0_0_1_port_8000():
    assert "manage.py runserver 127.0.0.1:8000" in run_make("-n", "run")


def print_logins(**env) -> str:
    base = {k: v for k, v in os.environ.items() if k not in {"HOST", "PORT"}}
    return subprocess.run(
        [str(ROOT / "scripts" / "print-logins.sh")],
        env={**base, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_printed_logins_use_host_and_port():
    out = print_logins(HOST="10.9.8.7", PORT="9123")
    assert "http://10.9.8.7:9123/admin/" in out
    assert "http://10.9.8.7:9123/tai-khoan/dang-nhap/" in out
    assert "8000" not in out and "127.0.0.1" not in out


def test_printed_logins_default_and_wildcard_address():
    assert "http://127.0.0.1:8000/admin/" in print_logins()
    # Listening on every interface: a browser on this machine uses 127.0.0.1.
    assert "http://127.0.0.1:8080/admin/" in print_logins(HOST="0.0.0.0", PORT="8080")
