"""What one request costs an app server, for docs/deploy.md's capacity estimate.

    DATABASE_URL=postgres://… CACHE_URL=redis://…/6 .venv/bin/python tools/request_costs.py

Starts gunicorn with ONE sync worker (deploy/gunicorn.conf.py) on PORT (8102) against the
database and cache of the environment (a demo database: `load_demo`, `load_evaluation_demo`),
sends each page REQUESTS times one after another, and prints per page the median and 95th
percentile time and the CPU the worker process spent per request (from /proc: user+system),
first with public pages kept (the page cache), then with PUBLIC_PAGE_SECONDS=0 (every page
made). One worker, one request at a time: CPU per request is what a core pays for it, so a
core serves about 1000 / cpu_ms requests a second of that page. Not a test; figures vary
with the machine's other load (say which machine in the guide).
"""

import http.client
import http.cookies
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PORT = 8102
REQUESTS = 200
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def fetch(path, cookies=None, method="GET", body=None):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    headers = {"Host": "localhost"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"http://localhost{path}"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    jar = {}
    for raw in response.headers.get_all("Set-Cookie") or []:
        jar.update({k: m.value for k, m in http.cookies.SimpleCookie(raw).items()})
    connection.close()
    return response.status, data, jar


def sign_in(username):
    _status, _body, cookies = fetch("/tai-khoan/dang-nhap/")
    form = {"username": username, "password": "ocop-demo-2026", **cookies}
    form["csrfmiddlewaretoken"] = cookies["csrftoken"]
    _status, _body, more = fetch("/tai-khoan/dang-nhap/", cookies, "POST", urlencode(form).encode())
    return {**cookies, **more}


def orm(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def measure(pages, env) -> list[tuple]:
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-c",
            "deploy/gunicorn.conf.py",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                fetch("/ping/")
                break
            except OSError:
                time.sleep(0.2)
        worker = worker_pid(server.pid)
        official = sign_in("vp.donganh")
        rows = []
        for label, path, signed in pages:
            cookies = official if signed else None
            for _ in range(5):  # warm: imports, the page cache, the connection
                fetch(path, cookies)
            times, before = [], cpu_seconds(worker)
            for _ in range(REQUESTS):
                started = time.perf_counter()
                status, _body, _jar = fetch(path, cookies)
                times.append((time.perf_counter() - started) * 1000)
                assert status == 200, (path, status)
            cpu = (cpu_seconds(worker) - before) * 1000 / REQUESTS
            times.sort()
            rows.append((label, path, statistics.median(times), times[int(0.95 * len(times))], cpu))
        return rows
    finally:
        server.terminate()
        server.wait(timeout=40)


def main():
    env = {**os.environ, "LOG_FORMAT": "text", "CONN_MAX_AGE": "60"}
    slug, number, dossier = orm(
        "from evaluation.models import Certificate, Dossier;"
        "from django.utils import timezone;"
        "c = Certificate.objects.current(timezone.localdate()).select_related('product')"
        ".first();"
        "d = Dossier.objects.filter(round__unit__code='017').exclude(status='draft')"
        ".latest('pk');"
        "print(c.product.slug, c.number, d.pk, sep='|')"
    ).split("|")
    pages = [
        ("bare Django view", "/ping/", False),
        ("readiness (db, Redis, S3/disk, queue)", "/health/", False),
        ("catalogue", "/", False),
        ("product page", f"/san-pham/{slug}/", False),
        ("certificate check", f"/xac-thuc/{number}/", False),
        ("official: dossier list", "/ho-so/", True),
        ("official: a dossier", f"/ho-so/{dossier}/", True),
    ]
    print(f"{REQUESTS} requests a page, one gunicorn sync worker, one at a time")
    print(
        f"cache: {os.environ.get('CACHE_URL') or 'file cache'}; database: "
        f"{os.environ.get('DATABASE_URL', 'sqlite').split('@')[-1]}"
    )
    for title, extra in (
        ("public pages kept", {}),
        ("every page made", {"PUBLIC_PAGE_SECONDS": "0"}),
    ):
        print(
            f"\n{title}\n| page | path | p50 ms | p95 ms | CPU ms/request |",
            "\n|---|---|---:|---:|---:|",
            sep="",
        )
        for label, path, p50, p95, cpu in measure(pages, {**env, **extra}):
            print(f"| {label} | `{path}` | {p50:.1f} | {p95:.1f} | {cpu:.1f} |")


if __name__ == "__main__":
    main()
