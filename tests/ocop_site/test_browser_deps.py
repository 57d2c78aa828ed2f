"""`make browsers` (scripts/browser-deps.sh): Chromium, and axe-core from npm for the
browser tests' accessibility check, pinned by its lock file."""

import json
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE_DIR = Path("tests/system/browser/axe")


def test_axe_core_is_pinned_to_one_version_by_the_lock_file():
    package = json.loads((ROOT / AXE_DIR / "package.json").read_text())
    lock = json.loads((ROOT / AXE_DIR / "package-lock.json").read_text())
    wanted = package["devDependencies"]["axe-core"]
    assert wanted[0].isdigit(), "an exact version, not a range"
    assert lock["packages"]["node_modules/axe-core"]["version"] == wanted
    assert "node_modules/" in (ROOT / ".gitignore").read_text().split()


def run_script(tmp_path, *, installed):
    """The script in a copy of the project whose PATH has no npm (nor apt-get)."""
    (tmp_path / AXE_DIR).mkdir(parents=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy(ROOT / AXE_DIR / name, tmp_path / AXE_DIR / name)
    if installed:
        modules = tmp_path / AXE_DIR / "node_modules"
        (modules / "axe-core").mkdir(parents=True)
        (modules / "axe-core" / "axe.min.js").write_text("/* axe */")
        (modules / ".package-lock.json").write_text("{}")
        stamp = (tmp_path / AXE_DIR / "package-lock.json").stat().st_mtime
        os.utime(modules / ".package-lock.json", (stamp + 10, stamp + 10))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "id").symlink_to(shutil.which("id"))
    return subprocess.run(
        ["/bin/bash", str(ROOT / "scripts" / "browser-deps.sh")],
        cwd=tmp_path,
        env={"PATH": str(bin_dir), "CHROMIUM_PATH": shutil.which("true")},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_without_npm_it_says_what_to_install(tmp_path):
    done = run_script(tmp_path, installed=False)
    assert done.returncode == 1
    assert "need npm" in done.stderr and "apt-get install npm" in done.stderr


def test_an_installed_axe_core_needs_no_npm(tmp_path):
    done = run_script(tmp_path, installed=True)
    assert done.returncode == 0, done.stderr
