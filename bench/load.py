"""The load run of `make bench`: public traffic at a fixed rate while council members
tick their scorecards, then the database is checked for lost ticks.

A Python driver rather than wrk, for two reasons. wrk is closed-loop: each connection
waits for its answer before sending again, so a slow server slows the load down and the
time requests would have queued never shows in the latencies (coordinated omission);
wrk2, which keeps a fixed rate, is not in Debian. And the check needs to know, tick by
tick, which ones got a success answer, which wrk's per-thread Lua states cannot report
back cleanly. Here request i is due at start + i / rate whatever the answers, a pool of
threads sends it, and its latency runs from when it was due, so queueing counts. A few
dozen requests a second cost a thread pool next to nothing on the shared cores.

Ticks are never in flight twice for the same card and criterion, as one member's page
sends them, so the value last sent is well defined; two criteria of one card may be in
flight together, which exercises the card's row lock and its recounted total.
"""

import http.client
import json
import math
import random
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field

HOST = "127.0.0.1"  # the load run never leaves this machine
THREADS = 64
REQUEST_TIMEOUT = 30
TICK = "scorecard save"
# What anonymous visitors open, with weights: mostly products found by a search engine.
PUBLIC_MIX = [
    ("product page", 35),
    ("catalogue", 20),
    ("filtered list", 15),
    ("accent-free search", 15),
    ("certificate check", 15),
]
FILTERS = ["?stars=4", "?stars=5", "?stars=4&group=1", "?stars=3&group=2", "?group=1&sort=newest"]
SEARCHES = ["hoai duc", "tra sen", "gao", "mien dong", "mat ong", "gom bat trang", "bun"]


@dataclass
class Sample:
    kind: str
    latency_ms: float
    ok: bool  # a 2xx or 3xx answer; for a tick, a 200 with the card's new total
    error: str = ""  # the status or the exception, when not ok


@dataclass
class LoadResult:
    seconds: int
    public_rate: float
    tick_rate: float
    elapsed: float = 0.0
    samples: list[Sample] = field(default_factory=list)
    # (card, criterion) → the options the answer may hold after the run (see expected()).
    possible: dict[tuple[int, int], set] = field(default_factory=dict)
    ticked: set[tuple[int, int]] = field(default_factory=set)  # pairs sent a tick at least once
    ticks_sent: int = 0
    ticks_acknowledged: int = 0

    def expected(self) -> dict:
        """For `manage.py check_bench_ticks`: card → criterion → allowed options."""
        out: dict[str, dict[str, list]] = {}
        for (card, criterion), options in self.possible.items():
            out.setdefault(str(card), {})[str(criterion)] = sorted(options, key=str)
        return out

    @property
    def uncertain(self) -> int:
        """Pairs whose last tick failed without a clear answer: either value is right."""
        return sum(len(options) > 1 for options in self.possible.values())


class Members:
    """The members of the plan, each filling their cards criterion after criterion."""

    def __init__(self, members: list, sheets: dict, csrf_header: str):
        self.csrf_header = csrf_header
        self.lock = threading.Lock()
        self.in_flight: set[tuple[int, int]] = set()
        self.last: dict[tuple[int, int], int | None] = {}
        self.options: dict[tuple[int, int], list[int]] = {}
        self.queues = []
        for member in members:
            queue = []
            for card in member["cards"]:
                for criterion, options in sheets[str(card["sheet"])].items():
                    pair = (card["card"], int(criterion))
                    self.options[pair] = options
                    self.last[pair] = card["answers"].get(criterion)
                    queue.append((member, card, pair))
            if queue:
                self.queues.append(queue)
        self.turn = 0
        self.cursor = [0] * len(self.queues)

    def next_tick(self):
        """(path, headers, body, pair, option) of the next member's next criterion, or None
        when every candidate is in flight."""
        with self.lock:
            for _ in range(len(self.queues)):
                m = self.turn % len(self.queues)
                self.turn += 1
                queue = self.queues[m]
                for _ in range(len(queue)):
                    member, card, pair = queue[self.cursor[m] % len(queue)]
                    self.cursor[m] += 1
                    if pair in self.in_flight:
                        continue
                    options = self.options[pair]
                    last = self.last[pair]
                    # The option after the last one sent: every tick changes the answer.
                    option = (
                        options[(options.index(last) + 1) % len(options)]
                        if last in options
                        else options[-1]
                    )
                    self.last[pair] = option
                    self.in_flight.add(pair)
                    headers = {
                        "Cookie": member["cookie"],
                        self.csrf_header: member["csrf"],
                        "Content-Type": "application/x-www-form-urlencoded",
                    }
                    body = urllib.parse.urlencode({"criterion": pair[1], "option": option})
                    return card["url"], headers, body, pair, option
            return None

    def done(self, pair):
        with self.lock:
            self.in_flight.discard(pair)


def send(port: int, method: str, path: str, headers=None, body=None) -> tuple[int | None, str]:
    # A new connection each time: gunicorn's sync workers close it after every answer.
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        text = response.read()
        return response.status, text[:1000].decode("utf-8", "replace")
    except (OSError, http.client.HTTPException) as exc:
        return None, type(exc).__name__
    finally:
        connection.close()


def reason(status: int | None, text: str) -> str:
    """Why a tick failed, short: the status and the view's own message, if it gave one."""
    if status is None:
        return text  # the exception's name
    try:
        return f"{status} {json.loads(text)['error']}"
    except (ValueError, KeyError, TypeError):
        return str(status)


def public_path(kind: str, plan: dict, rng: random.Random) -> str:
    if kind == "product page":
        return rng.choice(plan["products"])
    if kind == "certificate check":
        return rng.choice(plan["certificates"])
    if kind == "filtered list":
        return "/" + rng.choice(FILTERS)
    if kind == "accent-free search":
        return "/?" + urllib.parse.urlencode({"q": rng.choice(SEARCHES)})
    # Most visitors stay on the first pages; some page far into the catalogue.
    page = 1 if rng.random() < 0.6 else rng.randint(1, plan["pages"])
    return "/" if page == 1 else f"/?page={page}"


def schedule(seconds: int, public_rate: float, tick_rate: float, rng: random.Random) -> list:
    """(due in seconds from the start, kind), at fixed intervals for each stream."""
    kinds = [k for k, _w in PUBLIC_MIX]
    weights = [w for _k, w in PUBLIC_MIX]
    public = [
        (i / public_rate, rng.choices(kinds, weights)[0])
        for i in range(math.floor(seconds * public_rate))
    ]
    ticks = (
        [(i / tick_rate, TICK) for i in range(math.floor(seconds * tick_rate))] if tick_rate else []
    )
    return sorted(public + ticks, key=lambda arrival: arrival[0])


def run(port: int, plan: dict, members: list, seconds: int, public_rate: float, tick_rate: float):
    """Send the schedule, wait for the last answers (bounded), and return what happened."""
    rng = random.Random(2026)
    writers = Members(members, plan["sheets"], plan["csrf_header"])
    if not writers.queues:
        tick_rate = 0
    arrivals = schedule(seconds, public_rate, tick_rate, rng)
    result = LoadResult(seconds, public_rate, tick_rate)
    # Before the run every pair holds its answer from the plan (None: not ticked yet).
    result.possible = {pair: {value} for pair, value in writers.last.items()}
    record = threading.Lock()
    closed = threading.Event()  # set once the run's results are final

    def public(kind, path, due):
        status, _text = send(port, "GET", path)
        ok = status is not None and 200 <= status < 400
        sample = Sample(kind, (time.monotonic() - due) * 1000, ok, "" if ok else str(status))
        with record:
            if not closed.is_set():
                result.samples.append(sample)

    def tick(path, headers, body, pair, option, due):
        status, text = send(port, "POST", path, headers, body)
        # A tick is saved when the view answers with the card's new total.
        saved = status == 200 and '"saved_at"' in text
        error = "" if saved else reason(status, text)
        with record:
            if closed.is_set():
                return
            result.samples.append(Sample(TICK, (time.monotonic() - due) * 1000, saved, error))
            if saved:
                result.ticks_acknowledged += 1
                result.possible[pair] = {option}
            else:  # it may have been saved before the failure: either value is right
                result.possible[pair].add(option)
        writers.done(pair)

    start = time.monotonic()
    futures = {}
    with ThreadPoolExecutor(THREADS) as pool:
        for offset, kind in arrivals:
            due = start + offset
            time.sleep(max(0.0, due - time.monotonic()))
            if kind == TICK:
                chosen = writers.next_tick()
                if chosen is None:  # every criterion of every member in flight
                    result.samples.append(Sample(TICK, 0.0, False, "no free card"))
                    continue
                result.ticks_sent += 1
                result.ticked.add(chosen[3])
                futures[pool.submit(tick, *chosen, due)] = (kind, chosen)
            else:
                path = public_path(kind, plan["public"], rng)
                futures[pool.submit(public, kind, path, due)] = (kind, None)
        # Bounded: whatever has no answer REQUEST_TIMEOUT after the last send is an error.
        _done, late = wait(futures, timeout=REQUEST_TIMEOUT + 5)
        with record:
            for future in late:
                future.cancel()
                kind, chosen = futures[future]
                result.samples.append(Sample(kind, 0.0, False, "no answer in time"))
                if chosen:  # a tick still on its way may yet be saved
                    _path, _headers, _body, pair, option = chosen
                    result.possible[pair].add(option)
            closed.set()
        result.elapsed = time.monotonic() - start
    return result


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(result: LoadResult) -> list[tuple[str, int, int, float, float]]:
    """(kind, requests, errors, p50 ms, p99 ms) for each kind and for all together."""
    kinds = [k for k, _w in PUBLIC_MIX] + [TICK]
    rows = []
    for kind in [*kinds, "all"]:
        samples = [s for s in result.samples if kind in (s.kind, "all")]
        if not samples:
            continue
        latencies = [s.latency_ms for s in samples if s.ok]
        rows.append(
            (
                kind,
                len(samples),
                sum(not s.ok for s in samples),
                percentile(latencies, 50),
                percentile(latencies, 99),
            )
        )
    return rows


def error_kinds(result: LoadResult) -> Counter:
    return Counter(f"{s.kind}: {s.error}" for s in result.samples if not s.ok)
