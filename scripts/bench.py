"""`make bench`: throughput and latency of the public pages against a bare Django view.

Builds a 50,000-product database (SQLite, then PostgreSQL), serves it with gunicorn
(2 sync workers, production settings) on 127.0.0.1, and drives each page with wrk
from this machine. Results, and the machine they came from, go to docs/benchmarks.md.
A script, not a test: numbers on a shared 2-core machine are noisy, so it reports
ratios to the bare view measured in the same run.
"""

import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", "50000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
BASE = f"http://127.0.0.1:{PORT}"

PAGES = [
    ("bare Django view", "/ping/"),
    ("catalogue", "/"),
    ("filtered list", "/?stars=4&group=1"),
    ("accent-free search", "/?q=hoai+duc"),
    ("deep page", "/?page=1500"),
    ("product page", "/san-pham/tra-sen-tay-ho/"),
    ("statistics", "/thong-ke/"),
    ("certificate check", "/xac-thuc/OCOP-01-2025-D00003/"),
]


def run(*cmd, env=None, **kw):
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, **kw)


def environment(database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "False",
        "SECRET_KEY": "bench-only-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "False",
        "MEDIA_ROOT": str(ROOT / "var" / "bench-media"),
        "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
        "API_THROTTLE_ANON": "1000000/minute",
    }


def build(env: dict) -> None:
    print(f"  building {PRODUCTS:,} products …", flush=True)
    run(PY, "manage.py", "migrate", "--noinput", "-v0", env=env)
    run(
        PY,
        "manage.py",
        "load_demo",
        "--products",
        str(PRODUCTS),
        env=env,
        stdout=subprocess.DEVNULL,
    )
    run(PY, "manage.py", "load_evaluation_demo", env=env, stdout=subprocess.DEVNULL)
    run(PY, "manage.py", "collectstatic", "--noinput", "-v0", env=env)


def serve(env: dict) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "ocop_site.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(BASE + "/ping/", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def measure(path: str) -> dict:
    for _ in range(20):  # warm caches and connection pools
        urllib.request.urlopen(BASE + path, timeout=10).read()
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", BASE + path],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)

    def percentile(p):
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {
        "rps": rps,
        "p50": percentile(50),
        "p99": percentile(99),
        "errors": int(errors.group(1)) if errors else 0,
    }


def worker_memory(server: subprocess.Popen) -> int:
    out = subprocess.run(
        ["ps", "-o", "rss=", "--ppid", str(server.pid)], capture_output=True, text=True
    ).stdout
    return sum(int(x) for x in out.split()) // 1024


def bench(label: str, database_url: str) -> tuple[list, int]:
    print(f"\n== {label}", flush=True)
    env = environment(database_url)
    build(env)
    server = serve(env)
    try:
        rows = []
        for name, path in PAGES:
            result = measure(path)
            rows.append((name, path, result))
            print(
                f"  {name:<20} {result['rps']:>8.0f} req/s  p50 {result['p50']:6.1f} ms"
                f"  p99 {result['p99']:6.1f} ms",
                flush=True,
            )
        return rows, worker_memory(server)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)


def table(label, rows, memory) -> str:
    bare = rows[0][2]["rps"]
    lines = [
        f"### {label}",
        "",
        f"gunicorn, 2 sync workers; workers' memory after the run: {memory} MiB",
        "",
        "| page | path | req/s | ratio to bare view | p50 ms | p99 ms | errors |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, path, r in rows:
        lines.append(
            f"| {name} | `{path}` | {r['rps']:.0f} | {r['rps'] / bare:.2f} | "
            f"{r['p50']:.1f} | {r['p99']:.1f} | {r['errors']} |"
        )
    return "\n".join(lines)


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: sudo apt-get install wrk")
    var = ROOT / "var"
    var.mkdir(exist_ok=True)
    sqlite = var / "bench.sqlite3"
    sqlite.unlink(missing_ok=True)
    sections = []
    rows, memory = bench("SQLite", f"sqlite:///{sqlite}")
    sections.append(table("SQLite", rows, memory))
    postgres = subprocess.run(
        [str(ROOT / "scripts" / "postgres-ready.sh")], capture_output=True, text=True, check=True
    ).stdout.strip()
    bench_db = postgres.rsplit("/", 1)[0] + "/ocop_bench"
    subprocess.run(
        ["su", "postgres", "-c", "dropdb --if-exists ocop_bench && createdb -O ocop ocop_bench"],
        check=True,
    )
    rows, memory = bench("PostgreSQL", bench_db)
    sections.append(table("PostgreSQL", rows, memory))
    machine = (
        f"{platform.node()}: {os.cpu_count()} cores, "
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    report = "\n\n".join(
        [
            "# Benchmarks",
            "",
            f"Run {datetime.now():%Y-%m-%d %H:%M} on {machine}; {PRODUCTS:,} products; wrk, "
            f"{CONNECTIONS} connections, {SECONDS} s a page, from the same machine. "
            "Compare ratios, not absolute numbers: the machine is shared and noisy.",
            *sections,
        ]
    )
    (ROOT / "docs" / "benchmarks.md").write_text(report + "\n", encoding="utf-8")
    print("\nWritten to docs/benchmarks.md")


if __name__ == "__main__":
    sys.exit(main())
