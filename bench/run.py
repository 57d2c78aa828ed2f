"""`make bench`: throughput and latency of the public pages against a bare Django view.

Builds a 50,000-product database with 20,000 scorecards (SQLite, then PostgreSQL),
serves it with gunicorn (2 sync workers, production settings) on 127.0.0.1, and drives
each page, and council members' autosaved ticks, with wrk from this machine. Then a
load run (bench/load.py) sends mixed public traffic at a fixed rate while
members tick, and checks the database for lost ticks. Results, and the machine they came
from, go to docs/benchmarks.md. A script, not a test: numbers on a shared 2-core machine
are noisy, so it reports ratios to the bare view measured in the same run.
"""

import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from datetime import datetime
from pathlib import Path

from bench import load as bench_load

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", "50000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
CARDS = int(os.environ.get("BENCH_CARDS", "20000"))
LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
# The load run's fixed rates: anonymous page views and members' ticks per second. Well
# under what 2 workers serve at 50,000 products, so queueing shows as latency, not as
# a backlog that grows for the whole minute.
LOAD_RATE = float(os.environ.get("BENCH_LOAD_RATE", "10"))
LOAD_TICKS = float(os.environ.get("BENCH_LOAD_TICKS", "5"))
# The database (PostgreSQL) and file (SQLite) the bench rebuilds: another name keeps a
# second run on the same machine from dropping this one's.
DB_NAME = os.environ.get("BENCH_DB", "ocop_bench")
# BENCH_REUSE=1 keeps the databases an earlier run built (their demo data is not loaded
# again; the members' cards and sessions are): building 50,000 products takes longer
# than measuring them. BENCH_DATABASES picks the databases (sqlite, postgresql or both).
REUSE = os.environ.get("BENCH_REUSE", "") not in ("", "0")
DATABASES = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").lower().split(",")
BASE = f"http://127.0.0.1:{PORT}"
VAR = ROOT / "var"
AUTOSAVE_LUA = ROOT / "bench" / "autosave.lua"
UNCACHED_LUA = ROOT / "bench" / "uncached.lua"
SIGNED_IN_LUA = ROOT / "bench" / "signed_in.lua"
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))
# A worker's memory after the run must stay under this (issue 17): what each worker keeps
# for itself (functools caches, the page cache's own index if any) must be bounded.
WORKER_MIB_LIMIT = 150
MAX_WRK_TICKS = 20000  # lines in wrk's ticks file: more than a run sends, a few MB

PAGES = [
    ("bare Django view", "/ping/"),
    ("catalogue", "/"),
    ("filtered list", "/?stars=4&group=1"),
    ("accent-free search", "/?q=hoai+duc"),
    # An old bookmark (no cursor): the first visitor of a version of the list skips the
    # rows before it, later ones seek from where that ended (core/pagination.py).
    ("deep page", "/?page=1500"),
    ("product page", "/san-pham/tra-sen-tay-ho/"),
    ("statistics", "/thong-ke/"),
    ("certificate check", "/xac-thuc/OCOP-01-2025-D00003/"),
]
# Page 1,500 as a visitor reaches it, by the "next" link of page 1,499: the link carries
# a cursor and the page is read from the sort's index like page 1 (core/pagination.py).
DEEP_LINK = "deep page, by its link"
# The ceiling of any page rendered per request: base.html and the middleware around a
# small body (the scoring help, never kept), measured in the same run as the pages so
# that each page can be read against it, not only against the bare view.
FRAME = ("the frame alone (scoring help)", "/huong-dan/cham-diem/")
# The same pages rendered for every request (a new query parameter each time, see
# bench/uncached.lua): the rows above are mostly served from the page cache.
UNCACHED = [
    "catalogue",
    "filtered list",
    "accent-free search",
    "deep page",
    DEEP_LINK,
    "product page",
    "certificate check",
]


def run(*cmd, env=None, **kw):
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, **kw)


def scratch(label: str, name: str) -> Path:
    """A working file of this run for one database, under var/."""
    return VAR / f"{DB_NAME}-{label.lower()}-{name}"


def environment(label: str, database_url: str) -> dict:
    cache = scratch(label, "cache")
    # A cache of its own, emptied: pages kept from an earlier run, or from the other
    # database's, must not be served from this one (settings read CACHE_DIR, if set).
    shutil.rmtree(cache, ignore_errors=True)
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
        "CACHE_DIR": str(cache),
        # Notifications the demo makes are mailed with links to this address (else every
        # one of them says so on the console).
        "SITE_URL": BASE,
        # The harness's own commands (load_bench_scorecards, check_bench_ticks) exist only
        # under these settings: production never installs the bench app.
        "DJANGO_SETTINGS_MODULE": "bench.settings",
    }


def build(label: str, env: dict, fresh: bool = True) -> dict:
    """The database, and the plan of the members who tick (sessions, cards, criteria).
    Not `fresh`: the demo data of an earlier run is kept, only its cards are made again."""
    run(PY, "manage.py", "migrate", "--noinput", "-v0", env=env)
    if fresh:
        print(f"  building {PRODUCTS:,} products and {CARDS:,} scorecards …", flush=True)
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
    else:
        print("  reusing the database of an earlier run (BENCH_REUSE)", flush=True)
    plan = scratch(label, "plan.json")
    run(
        PY,
        "manage.py",
        "load_bench_scorecards",
        "--cards",
        str(CARDS),
        "--plan",
        str(plan),
        env=env,
        stdout=subprocess.DEVNULL,
    )
    run(PY, "manage.py", "collectstatic", "--noinput", "-v0", env=env)
    # The planner's statistics, and on PostgreSQL the visibility map without which the
    # covering indexes cannot answer from the index alone (a deep page by OFFSET: 67 ms
    # before, 14 after): what autovacuum gives a database in service, given at once.
    statement = "VACUUM ANALYZE" if env["DATABASE_URL"].startswith("postgres") else "ANALYZE"
    code = f"from django.db import connection; connection.cursor().execute({statement!r})"
    run(PY, "manage.py", "shell", "-v0", "-c", code, env=env)
    return json.loads(plan.read_text(encoding="utf-8"))


def split_members(plan: dict) -> tuple[list, list]:
    """Half the members tick under wrk, the other half in the load run: the load run
    starts from the answers in the plan, which wrk's ticks would have changed."""
    members = plan["members"]
    if len(members) < 2:
        return members, members
    return members[0::2], members[1::2]


def write_ticks(label: str, plan: dict, members: list) -> Path:
    """wrk's ticks file (see bench/autosave.lua): every criterion of every card
    once with an option other than its answer in the plan, then once more with another,
    so each tick is a real write (the same option again is a no-op); consecutive lines
    tick different cards."""
    cards = [(m, c) for m in members for c in m["cards"]]
    criteria = {
        card["card"]: list(plan["sheets"][str(card["sheet"])].items()) for _m, card in cards
    }
    longest = max(map(len, criteria.values()), default=0)
    pairs = [
        (member, card, *criteria[card["card"]][k])
        for k in range(longest)
        for member, card in cards
        if k < len(criteria[card["card"]])
    ][: MAX_WRK_TICKS // 2]
    first, second = [], []
    for member, card, criterion, options in pairs:
        answer = card["answers"].get(criterion)
        option = next(o for o in reversed(options) if o != answer)
        again = answer if answer is not None else next(o for o in options if o != option)
        for lines, chosen in ((first, option), (second, again)):
            body = f"criterion={criterion}&option={chosen}"
            fields = [card["url"], member["cookie"], plan["csrf_header"], member["csrf"], body]
            lines.append("\t".join(fields))
    path = scratch(label, "ticks.tsv")
    path.write_text("\n".join(first + second) + "\n", encoding="utf-8")
    return path


def serve(env: dict, log: Path) -> subprocess.Popen:
    """gunicorn, its log (and Django's tracebacks) in `log`: a failing page would
    otherwise bury the results under hundreds of tracebacks."""
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
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(BASE + "/ping/", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def measure(
    path: str, ticks: Path | None = None, uncached: bool = False, cookie: str | None = None
) -> dict:
    """wrk on one page; with `ticks`, autosave POSTs from that file instead of GETs;
    `uncached`, a query parameter never sent before on each request; `cookie`, as the
    signed-in user of that session (officials' pages, never kept: each is rendered)."""
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", BASE + path]
    if uncached:
        command += ["-s", str(UNCACHED_LUA)]
    if cookie:
        command += ["-s", str(SIGNED_IN_LUA), "--", cookie]
    if ticks:
        # No warm-up GETs: the autosave view answers only POSTs, and the pages measured
        # before it have warmed the workers.
        command += ["-s", str(AUTOSAVE_LUA), "--", str(ticks), "2"]
    else:
        for _ in range(20):  # warm caches and connection pools
            request = urllib.request.Request(BASE + path, headers={"Cookie": cookie or ""})
            with urllib.request.urlopen(request, timeout=30) as answer:
                answer.read()
                if answer.url != BASE + path:  # sent to the sign-in page: not the page
                    raise SystemExit(f"{path} redirected to {answer.url}")
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    # Refused, reset or timed-out connections are errors too, though wrk lists them apart.
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )

    def percentile(p):
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {
        "rps": rps,
        "p50": percentile(50),
        "p99": percentile(99),
        "errors": (int(errors.group(1)) if errors else 0)
        + (sum(int(n) for n in sockets.groups()) if sockets else 0),
    }


def worker_memory(server: subprocess.Popen) -> list[int]:
    """Each worker's resident memory (RSS), MiB."""
    out = subprocess.run(
        ["ps", "-o", "rss=", "--ppid", str(server.pid)], capture_output=True, text=True
    ).stdout
    return [int(x) // 1024 for x in out.split()]


def memory_note(memory: list[int]) -> str:
    worst = max(memory, default=0)
    verdict = "under" if worst < WORKER_MIB_LIMIT else "**over**"
    return f"{' + '.join(map(str, memory))} MiB ({verdict} {WORKER_MIB_LIMIT} MiB a worker)"


def count_queries(label: str, env: dict, pages: list[dict], ticks: Path | None) -> dict:
    """Queries of each page, kept and rendered, and the tick's statements and time by the
    fast and by the full path (bench_queries, in a process of its own, before gunicorn)."""
    path = scratch(label, "pages.json")
    path.write_text(json.dumps(pages), encoding="utf-8")
    command = [PY, "manage.py", "bench_queries", str(path)]
    if ticks:
        command += ["--ticks", str(ticks)]
    out = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode:
        print(f"  ! bench_queries failed: {out.stderr.strip()[-500:]}")
        return {}
    return json.loads(out.stdout)


def time_import(env: dict) -> dict:
    """The import of IMPORT_ROWS rows, preview then confirm, rolled back afterwards."""
    out = subprocess.run(
        [PY, "manage.py", "bench_import", "--rows", str(IMPORT_ROWS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        print(f"  ! bench_import failed: {out.stderr.strip()[-500:]}")
        return {}
    result = json.loads(out.stdout)
    print(
        f"  import of {result['rows']:,} rows: preview {result['preview_seconds']} s "
        f"({result['preview_queries']} queries), kept {result.get('keep_seconds')} s, a page "
        f"{result.get('page_seconds')} s ({result.get('page_queries')} queries), "
        f"confirm {result.get('confirm_seconds')} s "
        f"({result.get('confirm_queries')} queries)",
        flush=True,
    )
    return result


def print_row(name: str, result: dict) -> None:
    print(
        f"  {name:<20} {result['rps']:>8.0f} req/s  p50 {result['p50']:6.1f} ms"
        f"  p99 {result['p99']:6.1f} ms  errors {result['errors']}",
        flush=True,
    )


def server_errors(log: Path, since: int = 0) -> tuple[Counter, int]:
    """What failed in the server's log after byte `since` (the last exception of each
    traceback Django logged, and gunicorn's worker timeouts), and where the log ends."""
    text = log.read_text(encoding="utf-8", errors="replace")
    found = Counter()
    for record in re.split(r"^(?=Internal Server Error: )", text[since:], flags=re.MULTILINE)[1:]:
        exceptions = re.findall(r"^([\w.]+(?:Error|Exception)\b.*)$", record, re.MULTILINE)
        found[exceptions[-1] if exceptions else record.splitlines()[0]] += 1
    found.update(re.findall(r"WORKER TIMEOUT", text[since:]))
    return found, len(text)


def load_run(label: str, env: dict, plan: dict, members: list) -> dict:
    """The fixed-rate run, then the database checked against every acknowledged tick."""
    print(
        f"  load run: {LOAD_SECONDS} s, {LOAD_RATE:g} page views/s and {LOAD_TICKS:g} ticks/s …",
        flush=True,
    )
    result = bench_load.run(PORT, plan, members, LOAD_SECONDS, LOAD_RATE, LOAD_TICKS)
    expected = scratch(label, "expected-ticks.json")
    expected.write_text(json.dumps(result.expected()), encoding="utf-8")
    checked = subprocess.run(
        [PY, "manage.py", "check_bench_ticks", str(expected)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if not checked.stdout.strip():
        raise SystemExit(f"check_bench_ticks failed:\n{checked.stderr}")
    check = json.loads(checked.stdout)
    rows = bench_load.summary(result)
    for kind, requests, errors, p50, p99 in rows:
        print(
            f"  {kind:<20} {requests:>6} requests  {errors} errors"
            f"  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms"
        )
    for error, count in bench_load.error_kinds(result).most_common(5):
        print(f"  ! {count} × {error}")
    print(
        f"  ticks: {result.ticks_sent} sent, {result.ticks_acknowledged} saved, to "
        f"{len(result.ticked)} answers; {check['pairs']} answers checked, "
        f"{len(check['lost'])} lost, "
        f"{len(check['wrong_totals'])} wrong totals",
        flush=True,
    )
    return {"result": result, "rows": rows, "check": check}


def next_link(env: dict, path: str) -> str:
    """The catalogue's own "next" link on `path`, as the page prints it."""
    code = (
        "import re; from django.test import Client; "
        f"html = Client(HTTP_HOST='localhost').get({path!r}).content.decode(); "
        'found = re.search(r\'href="(\\?[^"]*)" rel="next"\', html); '
        "print('/' + found.group(1).replace('&amp;', '&') if found else '')"
    )
    out = (
        subprocess.run(
            [PY, "manage.py", "shell", "-v0", "-c", code],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()
    )
    return out[-1] if out and out[-1].startswith("/?") else "/?page=1500"


def bench(label: str, database_url: str, fresh: bool = True) -> dict:
    print(f"\n== {label}", flush=True)
    env = environment(label, database_url)
    plan = build(label, env, fresh)
    wrk_members, load_members = split_members(plan)
    if not wrk_members:
        print("  no open scorecard: no scorecard save row, no ticks in the load run")
    ticks = write_ticks(label, plan, wrk_members)
    officials = plan.get("officials", [])
    public = [*PAGES, (DEEP_LINK, next_link(env, "/?page=1499"))]
    pages = [{"name": n, "path": p, "kept": p != "/ping/"} for n, p in public]
    pages += [{"name": FRAME[0], "path": FRAME[1], "kept": False}, *officials]
    queries = count_queries(label, env, pages, ticks if wrk_members else None)
    log = scratch(label, "gunicorn.log")
    server = serve(env, log)
    try:
        rows = []  # (page, view, path, result): view is bare, kept, rendered or tick
        for name, path in public:
            result = measure(path)
            rows.append((name, "bare" if path == "/ping/" else "kept", path, result))
            print_row(name, result)
        name, path = FRAME
        result = measure(path, uncached=True)
        rows.append((name, "rendered", path, result))
        print_row(name, result)
        for name, path in public:
            if name in UNCACHED:
                result = measure(path, uncached=True)
                rows.append((name, "rendered", path, result))
                print_row(f"{name}, rendered", result)
        for page in officials:
            result = measure(page["path"], cookie=page["cookie"])
            rows.append((page["name"], "rendered", page["path"], result))
            print_row(page["name"], result)
        if wrk_members:
            # The path is only what the table shows: the requests come from the ticks file.
            autosave = wrk_members[0]["cards"][0]["url"]
            result = measure(autosave, ticks)
            rows.append(("scorecard save", "tick", f"POST {autosave}", result))
            print_row("scorecard save", result)
        memory = worker_memory(server)
        errors, end = server_errors(log)
        load = load_run(label, env, plan, load_members)
        load["server_errors"], _end = server_errors(log, end)
        for when, found in (("pages", errors), ("load run", load["server_errors"])):
            for error, count in found.most_common(5):
                print(f"  ! {log.name}, {when}: {count} × {error}")
        load["memory"] = worker_memory(server)
        print(f"  workers' memory after the run: {memory_note(load['memory'])}", flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    imported = time_import(env)
    return {
        "rows": rows,
        "memory": memory,
        "server_errors": errors,
        "load": load,
        "queries": queries,
        "import": imported,
    }


def server_note(errors: Counter) -> list[str]:
    if not errors:
        return []
    return ["", "Server log: " + "; ".join(f"{n} × `{e}`" for e, n in errors.most_common(5)) + "."]


def table(label: str, measured: dict) -> str:
    rows, memory, queries = measured["rows"], measured["memory"], measured.get("queries", {})
    bare = rows[0][3]["rps"]
    lines = [
        f"### {label}",
        "",
        f"gunicorn, 2 sync workers; workers' memory after the pages: {memory_note(memory)}",
        "",
        "Each page kept (a second visitor's copy from the page cache) and rendered (a new "
        "address each request; officials' pages are never kept). Queries counted in one "
        "request by `bench_queries`.",
        "",
        "| page | view | path | req/s | ratio to bare view | p50 ms | p99 ms | queries | errors |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    order = list(dict.fromkeys(name for name, *_rest in rows))
    for name in order:
        for page, view, path, r in rows:
            if page != name:
                continue
            counted = queries.get(name, {})
            if view == "tick":
                count = counted.get("fast", {}).get("statements", "")
            else:
                count = counted.get("kept" if view == "kept" else "rendered", "")
            lines.append(
                f"| {name} | {view} | `{path}` | {r['rps']:.0f} | {r['rps'] / bare:.2f} | "
                f"{r['p50']:.1f} | {r['p99']:.1f} | {count} | {r['errors']} |"
            )
    lines += server_note(measured["server_errors"])
    tick = queries.get("scorecard save")
    if tick:
        fast, full = tick["fast"], tick["full"]
        lines += [
            "",
            f"The tick in one process, {fast['ticks']} ticks each way on the same cards: "
            f"fast path {fast['ms_p50']} ms (p50), {fast['statements']} statements, "
            f"{fast['write_locks']} transaction; full path {full['ms_p50']} ms, "
            f"{full['statements']} statements, {full['write_locks']} transactions.",
        ]
    imported = measured.get("import")
    if imported:
        lines += [
            "",
            f"Import of {imported['rows']:,} rows ({imported['bytes'] // 1024} KiB CSV) as an "
            f"administrator: preview {imported['preview_seconds']} s in "
            f"{imported['preview_queries']} queries (the preview job's check), its rows kept "
            f"in {imported.get('keep_seconds')} s, a page of it read in "
            f"{imported.get('page_seconds')} s ({imported.get('page_queries')} queries); "
            f"confirm {imported.get('confirm_seconds')} s "
            f"in {imported.get('confirm_queries')} queries "
            f"({imported.get('products_created')} products; rolled back afterwards).",
        ]
    return "\n".join(lines)


def load_table(label: str, measured: dict) -> str:
    load = measured["load"]
    result, check, memory = load["result"], load["check"], load["memory"]
    requests = len(result.samples)
    lines = [
        f"### {label}: {result.seconds}-second load run",
        "",
        f"{result.public_rate:g} page views/s (products, catalogue pages, filters, searches, "
        f"certificate checks) and {result.tick_rate:g} autosaved ticks/s from "
        f"{len({card for card, _criterion in result.possible})} open cards, "
        f"each stream on a fixed schedule: {requests} requests in {result.elapsed:.0f} s. "
        "Latency runs from when a request was due, so time spent queueing counts. "
        f"Workers' memory after the run: {memory_note(memory)}.",
        "",
        "| traffic | requests | errors | p50 ms | p99 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, count, errors, p50, p99 in load["rows"]:
        name = f"**{kind}**" if kind == "all" else kind
        lines.append(f"| {name} | {count} | {errors} | {p50:.1f} | {p99:.1f} |")
    lost = len(check["lost"])
    lines += [
        "",
        f"Ticks: {result.ticks_sent} sent, {result.ticks_acknowledged} saved (answered with "
        f"the card's new total), to {len(result.ticked)} answers. Afterwards the database "
        f"was checked for every answer of the {check['cards']} cards ({check['pairs']}, "
        f"ticked or not): **{lost} lost**, "
        f"{len(check['wrong_totals'])} cards whose total disagrees with their answers.",
    ]
    if result.uncertain:
        lines[-1] += f" {result.uncertain} answers had a failed last tick and accept either value."
    errors = bench_load.error_kinds(result)
    if errors:
        lines += ["", "Errors: " + "; ".join(f"{n} × {e}" for e, n in errors.most_common(8)) + "."]
    if lost:
        lines += [
            "",
            "Lost ticks (card, criterion, expected, found): "
            + "; ".join(str(tuple(x)) for x in check["lost"][:10])
            + ".",
        ]
    return "\n".join(lines)


def notes(path: Path) -> str:
    """The hand-written part of the file (from its first `## ` heading on), kept: the
    tables are regenerated, the reading of them is not."""
    if not path.exists():
        return ""
    text = path.read_text(encoding="utf-8")
    match = re.search(r"^## ", text, re.MULTILINE)
    return text[match.start() :].rstrip() if match else ""


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: sudo apt-get install wrk")
    VAR.mkdir(exist_ok=True)
    sections = []
    if "sqlite" in DATABASES:
        sqlite = VAR / f"{DB_NAME}.sqlite3"
        fresh = not (REUSE and sqlite.exists())
        if fresh:
            sqlite.unlink(missing_ok=True)
        measured = bench("SQLite", f"sqlite:///{sqlite}", fresh)
        sections += [table("SQLite", measured), load_table("SQLite", measured)]
    if "postgresql" in DATABASES:
        postgres = subprocess.run(
            [str(ROOT / "scripts" / "postgres-ready.sh")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        bench_db = postgres.rsplit("/", 1)[0] + f"/{DB_NAME}"
        exists = subprocess.run(
            [
                "su",
                "postgres",
                "-c",
                f"psql -tAc \"select 1 from pg_database where datname='{DB_NAME}'\"",
            ],
            capture_output=True,
            text=True,
        ).stdout.strip()
        fresh = not (REUSE and exists == "1")
        if fresh:
            subprocess.run(
                [
                    "su",
                    "postgres",
                    "-c",
                    f"dropdb --if-exists {DB_NAME} && createdb -O ocop {DB_NAME}",
                ],
                check=True,
            )
        measured = bench("PostgreSQL", bench_db, fresh)
        sections += [table("PostgreSQL", measured), load_table("PostgreSQL", measured)]
    machine = (
        f"{platform.node()}: {os.cpu_count()} cores, "
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    docs = ROOT / "docs" / "benchmarks.md"
    report = "\n\n".join(
        [
            "# Benchmarks",
            f"Run {datetime.now():%Y-%m-%d %H:%M} on {machine}; {PRODUCTS:,} products, "
            f"{CARDS:,} scorecards; wrk, {CONNECTIONS} connections, {SECONDS} s a page, from "
            "the same machine. Compare ratios, not absolute numbers: the machine is shared "
            "and noisy.",
            *sections,
            *filter(None, [notes(docs)]),
        ]
    )
    docs.write_text(report + "\n", encoding="utf-8")
    print("\nWritten to docs/benchmarks.md")


if __name__ == "__main__":
    sys.exit(main())
