"""Scorecards in bulk for `make bench`, and what its load tools need to act as members.

evaluation/demo.py fills its few cards through scoring.tick, so their history is real;
20,000 cards that way would take hours (each tick locks the card, recounts it and writes
an event). Here councils, rounds, dossiers, cards and answers are written with
bulk_create: the tables hold as many rows as a province after a few years, but the
bulk cards have no ScorecardEvent trail and the decided dossiers no CouncilResult.

Layout, fixed by the number of cards asked for: five scoring members (a chair and four
members) fill a card on each dossier; a round holds `dossiers_per_round` dossiers of
one council. One dossier in OPEN_EVERY is still being scored: its cards are drafts,
about half ticked, and are what the load run's members tick. The others are recognised,
every card submitted. Idempotent: councils, rounds and members are found by name,
dossiers by round and product, cards by dossier and member; a second run with the
same number creates nothing, a larger one adds the difference.
"""

import math
import random
import string
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string

from core import maintenance
from evaluation.models import (
    Answer,
    Certificate,
    Council,
    CouncilMembership,
    Criterion,
    Dossier,
    EvaluationRound,
    Option,
    Rulebook,
    Scorecard,
    Sheet,
)
from registry.models import AdministrativeUnit, Product

MEMBERS = 5
ROLES = ["chair", "member", "member", "member", "member"]
DOSSIERS_PER_ROUND = 100
OPEN_EVERY = 10
CHUNK = 1000  # cards per transaction: ~30,000 answers, a bounded amount of memory
ROUND_PREFIX = "Đo tải"  # "load test": every bench round's name starts with it
PASSWORD = "ocop-bench-2026"  # bench databases only


@dataclass
class BenchResult:
    councils_created: int = 0
    dossiers_created: int = 0
    cards_created: int = 0
    answers_created: int = 0


def username(council: int, seat: int) -> str:
    return f"bench.hd{council + 1:03d}.{'chutich' if seat == 0 else f'uv{seat}'}"


def _rulebook() -> Rulebook:
    """The rulebook in force last: new dossiers are scored under it."""
    return Rulebook.objects.order_by("-effective_from").first()


def sheet_criteria(sheet_ids) -> dict[int, list[tuple[int, int, list[tuple[int, int]]]]]:
    """{sheet: [(criterion, max points, [(option, points) from lowest to highest])]}."""
    options: dict[int, list[tuple[int, int]]] = {}
    for option_id, criterion_id, points in (
        Option.objects.filter(criterion__sheet_id__in=sheet_ids)
        .order_by("points", "position")
        .values_list("id", "criterion_id", "points")
    ):
        options.setdefault(criterion_id, []).append((option_id, points))
    sheets: dict[int, list] = {sheet_id: [] for sheet_id in sheet_ids}
    for criterion_id, sheet_id, max_points in (
        Criterion.objects.filter(sheet_id__in=sheet_ids)
        .order_by("position")
        .values_list("id", "sheet_id", "max_points")
    ):
        sheets[sheet_id].append((criterion_id, max_points, options.get(criterion_id, [])))
    return sheets


def _members(rounds: int, result: BenchResult) -> list[list[int]]:
    """The scoring members' user ids of each bench council, councils created if missing."""
    User = get_user_model()
    wanted = [username(c, s) for c in range(rounds) for s in range(MEMBERS)]
    found = dict(User.objects.filter(username__in=wanted).values_list("username", "id"))
    password = make_password(PASSWORD)  # hashed once: ~0.4 s a user otherwise
    User.objects.bulk_create(
        [User(username=name, password=password) for name in wanted if name not in found]
    )
    found = dict(User.objects.filter(username__in=wanted).values_list("username", "id"))
    districts = list(
        AdministrativeUnit.objects.districts().filter(parent__code="01").order_by("code")
    ) or [AdministrativeUnit.objects.get(level="province", code="01")]
    members = []
    for c in range(rounds):
        unit = districts[c % len(districts)]
        council, created = Council.objects.get_or_create(
            name=f"Hội đồng OCOP {ROUND_PREFIX.lower()} {c + 1:03d} — {unit.name}",
            defaults={"level": unit.level, "unit": unit},
        )
        result.councils_created += created
        seats = [found[username(c, s)] for s in range(MEMBERS)]
        for user_id, role in zip(seats, ROLES, strict=True):
            CouncilMembership.objects.get_or_create(
                council=council, user_id=user_id, defaults={"role": role}
            )
        EvaluationRound.objects.get_or_create(
            name=f"{ROUND_PREFIX} {c + 1:03d} — 2026",
            council=council,
            defaults={
                "rulebook": _rulebook(),
                "level": council.level,
                "unit": council.unit,
                "opens_on": timezone.localdate().replace(month=1, day=1),
                "closes_on": timezone.localdate().replace(month=12, day=31),
            },
        )
        members.append(seats)
    return members


def bench_rounds():
    return EvaluationRound.objects.filter(name__startswith=f"{ROUND_PREFIX} ")


def _dossiers(count: int, per_round: int, rounds, sheets, result: BenchResult) -> list[Dossier]:
    """Dossier i of the layout: round i // per_round, the i-th certified product, open
    for scoring when i % OPEN_EVERY == 0. Returned in layout order."""
    products = list(
        Product.objects.filter(stars__isnull=False, product_set_id__in=sheets)
        .order_by("id")
        .values_list("id", "product_set_id")
    )
    if len(products) < per_round:
        raise ValueError(
            f"{per_round} certified products are needed for one round, "
            f"{len(products)} found: run load_demo first"
        )
    layout = []
    for i in range(count):
        product_id, set_id = products[i % len(products)]
        open_ = i % OPEN_EVERY == 0
        layout.append((rounds[i // per_round], product_id, set_id, open_))
    existing = {
        (d.round_id, d.product_id): d
        for d in Dossier.objects.filter(round__in={r for r, *_ in layout})
    }
    new = [
        Dossier(
            round=round_,
            product_id=product_id,
            sheet=sheets[set_id],
            status=Dossier.Status.SCORING if open_ else Dossier.Status.RECOGNISED,
        )
        for round_, product_id, set_id, open_ in layout
        if (round_.pk, product_id) not in existing
    ]
    Dossier.objects.bulk_create(new, batch_size=CHUNK)
    result.dossiers_created += len(new)
    existing = {
        (d.round_id, d.product_id): d
        for d in Dossier.objects.filter(round__in={r for r, *_ in layout})
    }
    return [existing[(r.pk, product_id)] for r, product_id, *_ in layout]


def _answers(card: Scorecard, criteria, rng: random.Random) -> list[Answer]:
    """A plausible card: mostly the best or second-best option; a draft has ticked
    about half of its criteria."""
    answers = []
    for criterion_id, max_points, options in criteria:
        if not options or (card.status == Scorecard.Status.DRAFT and rng.random() < 0.5):
            continue
        option_id, points = options[-1] if rng.random() < 0.7 else options[-2 % len(options)]
        answers.append(Answer(scorecard=card, criterion_id=criterion_id, option_id=option_id))
        card.total += min(points, max_points)
    return answers


def build_scorecards(
    cards: int, *, dossiers_per_round: int = DOSSIERS_PER_ROUND, progress=None
) -> BenchResult:
    """At least `cards` member cards in the bench rounds (exactly, unless they held more)."""
    result = BenchResult()
    rulebook = _rulebook()
    sheets = {s.product_set_id: s for s in Sheet.objects.filter(rulebook=rulebook)}
    criteria = sheet_criteria([s.pk for s in sheets.values()])
    dossier_count = math.ceil(cards / MEMBERS)
    round_count = math.ceil(dossier_count / dossiers_per_round)
    with transaction.atomic():
        members = _members(round_count, result)
        rounds = {r.name: r for r in bench_rounds().select_related("council")}
        rounds = [rounds[f"{ROUND_PREFIX} {c + 1:03d} — 2026"] for c in range(round_count)]
        dossiers = _dossiers(dossier_count, dossiers_per_round, rounds, sheets, result)
    existing = set(
        Scorecard.objects.filter(dossier__round__in=rounds, kind=Scorecard.Kind.MEMBER).values_list(
            "dossier_id", "author_id"
        )
    )
    now = timezone.now()
    for start in range(0, cards, CHUNK):
        with transaction.atomic():
            new, answers = [], []
            for j in range(start, min(start + CHUNK, cards)):
                dossier = dossiers[j // MEMBERS]
                author = members[j // MEMBERS // dossiers_per_round][j % MEMBERS]
                if (dossier.pk, author) in existing:
                    continue
                submitted = dossier.status == Dossier.Status.RECOGNISED
                new.append(
                    Scorecard(
                        dossier=dossier,
                        author_id=author,
                        kind=Scorecard.Kind.MEMBER,
                        status=Scorecard.Status.SUBMITTED if submitted else Scorecard.Status.DRAFT,
                        submitted_at=now if submitted else None,
                    )
                )
            for card in new:  # the random tick choices depend only on the card's place
                rng = random.Random(card.dossier_id * 10 + card.author_id)
                answers += [(card, a) for a in _answers(card, criteria[card.dossier.sheet_id], rng)]
            Scorecard.objects.bulk_create(new, batch_size=CHUNK)
            # Not every backend returns the new keys from a bulk insert: look them up.
            keys = {
                (dossier_id, author_id): pk
                for dossier_id, author_id, pk in Scorecard.objects.filter(
                    dossier_id__in={c.dossier_id for c in new}, kind=Scorecard.Kind.MEMBER
                ).values_list("dossier_id", "author_id", "id")
            }
            for card, answer in answers:
                answer.scorecard_id = keys[(card.dossier_id, card.author_id)]
            Answer.objects.bulk_create([a for _card, a in answers], batch_size=5000)
            result.cards_created += len(new)
            result.answers_created += len(answers)
        if progress:
            progress(min(start + CHUNK, cards), cards)
    if result.cards_created or result.dossiers_created:
        maintenance.analyze()
    return result


# ------------------------------------------------------------------ for the load tools
def open_session(user) -> str:
    """A signed-in session, as the sign-in page would leave it, without its password hash
    (hundreds of PBKDF2 sign-ins would be the benchmark's slowest part)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def _csrf_header() -> str:
    return settings.CSRF_HEADER_NAME.removeprefix("HTTP_").replace("_", "-")


def member_plan() -> dict:
    """The draft cards of the open bench dossiers, grouped by member, each member with a
    fresh session and CSRF token: enough for a load tool to tick as them over HTTP.

    Criteria with a single option are left out: a tick on them can change nothing.
    """
    cards = list(
        Scorecard.objects.filter(
            dossier__round__in=bench_rounds(),
            dossier__status=Dossier.Status.SCORING,
            kind=Scorecard.Kind.MEMBER,
            status=Scorecard.Status.DRAFT,
        )
        .order_by("author_id", "id")
        .values_list("id", "dossier_id", "author_id", "dossier__sheet_id")
    )
    answers: dict[int, dict[int, int]] = {}
    for card_id, criterion_id, option_id in Answer.objects.filter(
        scorecard_id__in=[c[0] for c in cards]
    ).values_list("scorecard_id", "criterion_id", "option_id"):
        answers.setdefault(card_id, {})[criterion_id] = option_id
    sheets = {
        sheet_id: {c: [o for o, _points in options] for c, _max, options in criteria}
        for sheet_id, criteria in sheet_criteria({c[3] for c in cards}).items()
    }
    sheets = {s: {c: o for c, o in crit.items() if len(o) > 1} for s, crit in sheets.items()}
    users = get_user_model().objects.in_bulk({c[2] for c in cards})
    members: dict[int, dict] = {}
    for card_id, dossier_id, author_id, sheet_id in cards:
        if author_id not in members:
            token = get_random_string(32, string.ascii_letters + string.digits)
            session = open_session(users[author_id])
            members[author_id] = {
                "user": author_id,
                "cookie": f"{settings.SESSION_COOKIE_NAME}={session}; "
                f"{settings.CSRF_COOKIE_NAME}={token}",
                "csrf": token,
                "cards": [],
            }
        members[author_id]["cards"].append(
            {
                "card": card_id,
                "url": reverse("evaluation:autosave", args=[dossier_id]),
                "sheet": sheet_id,
                "answers": answers.get(card_id, {}),
            }
        )
    return {"csrf_header": _csrf_header(), "sheets": sheets, "members": list(members.values())}


def public_plan(samples: int = 200) -> dict:
    """Addresses of public products and of their certificates, spread over the catalogue,
    and how many catalogue pages there are: for the load run's anonymous visitors."""
    public = Product.objects.public().order_by("id")
    count = public.count()
    step = max(1, count // samples)
    rows = list(public.values_list("pk", "slug")[::step][:samples])
    numbers = dict(
        Certificate.objects.current(timezone.localdate())
        .filter(product_id__in=[pk for pk, _slug in rows])
        .values_list("product_id", "number")
    )
    return {
        "products": [reverse("catalogue:product", kwargs={"slug": slug}) for _pk, slug in rows],
        "certificates": [reverse("evaluation:verify", args=[numbers[pk]]) for pk, _s in rows],
        "pages": max(1, math.ceil(count / settings.CATALOGUE_PAGE_SIZE)),
    }


def check_ticks(expected: dict[int, dict[int, list[int | None]]]) -> dict:
    """Compare the database with what a load run was told it saved.

    `expected` maps card → criterion → the options the answer may hold: the last one
    sent and acknowledged, or, when a later tick failed without an answer (it may still
    have been saved), that one too. A pair holding anything else is a lost tick. Each
    card's stored total must also match its answers, as scoring.tick keeps it.
    """
    found: dict[tuple[int, int], int] = {
        (card, criterion): option
        for card, criterion, option in Answer.objects.filter(scorecard_id__in=expected).values_list(
            "scorecard_id", "criterion_id", "option_id"
        )
    }
    lost = [
        (card, criterion, allowed, found.get((card, criterion)))
        for card, pairs in expected.items()
        for criterion, allowed in pairs.items()
        if found.get((card, criterion)) not in allowed
    ]
    totals: dict[int, int] = dict.fromkeys(expected, 0)
    for card, points, max_points in Answer.objects.filter(scorecard_id__in=expected).values_list(
        "scorecard_id", "option__points", "criterion__max_points"
    ):
        totals[card] += min(points, max_points)
    stored = dict(Scorecard.objects.filter(pk__in=expected).values_list("id", "total"))
    return {
        "pairs": sum(len(pairs) for pairs in expected.values()),
        "cards": len(expected),
        "lost": lost,
        "wrong_totals": sorted(c for c, total in totals.items() if stored.get(c) != total),
    }


# ------------------------------------------------------------------ officials' pages
#: The demo's officials (evaluation/demo.py): Đông Anh district's office, the secretary
#: of its council; and the first bench member, who scores an open bench dossier.
OFFICE = "vp.donganh"
SECRETARY = "thuky.donganh"


def _cookie(user) -> str:
    return f"{settings.SESSION_COOKIE_NAME}={open_session(user)}"


def officials_plan(office: str = OFFICE, secretary: str = SECRETARY) -> list[dict]:
    """The officials' pages of `make bench`, each with the session of one who may open it:
    the dossier and certificate lists as the district's office, a council's result as its
    secretary, the scorecard page as a bench member on their open card. Pages whose user
    or dossier the database lacks are left out."""
    User = get_user_model()
    pages = []
    office = User.objects.filter(username=office).first()
    if office:
        cookie = _cookie(office)
        pages += [
            {"name": "dossier list", "path": reverse("evaluation:dossiers"), "cookie": cookie},
            {
                "name": "certificate list",
                "path": reverse("evaluation:certificates"),
                "cookie": cookie,
            },
        ]
    secretary = User.objects.filter(username=secretary).first()
    with_result = (
        Dossier.objects.filter(
            result__isnull=False,
            round__council__memberships__user=secretary,
            round__council__memberships__role=CouncilMembership.Role.SECRETARY,
        )
        .order_by("pk")
        .first()
        if secretary
        else None
    )
    if with_result:
        pages.append(
            {
                "name": "result page",
                "path": reverse("evaluation:result", args=[with_result.pk]),
                "cookie": _cookie(secretary),
            }
        )
    card = (
        Scorecard.objects.filter(
            dossier__round__in=bench_rounds(),
            dossier__status=Dossier.Status.SCORING,
            kind=Scorecard.Kind.MEMBER,
            status=Scorecard.Status.DRAFT,
        )
        .select_related("author")
        .order_by("pk")
        .first()
    )
    if card:
        pages.append(
            {
                "name": "scorecard page",
                "path": reverse("evaluation:scorecard", args=[card.dossier_id]),
                "cookie": _cookie(card.author),
            }
        )
    return pages


# ------------------------------------------------------------------ an import file
def import_file(rows: int) -> bytes:
    """A CSV of `rows` good rows as an office fills the template (imports/columns.py): a
    new producer, product and 4★ certificate of Hà Nội on each, across Hanoi's communes."""
    import csv
    import io

    from imports.columns import COLUMNS

    communes = list(
        AdministrativeUnit.objects.filter(level="commune", parent__code="01")
        .order_by("code")
        .values_list("code", flat=True)
    )
    keys = [
        "registration_number",
        "producer_name",
        "producer_kind",
        "commune_code",
        "representative_name",
        "phone",
        "email",
        "product_name",
        "product_set",
        "stars",
        "certificate_number",
        "certificate_issued_on",
        "issuing_level",
    ]
    headers = {c.key: c.header for c in COLUMNS}
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([headers[k] for k in keys])
    for n in range(1, rows + 1):
        writer.writerow(
            [
                f"01088{n:05d}",
                f"Hợp tác xã đo tải số {n}",
                "Hợp tác xã",
                communes[n % len(communes)],
                "Nguyễn Thị Hoà",
                "0912 345 678",
                f"dotai{n}@example.vn",
                f"Sản phẩm đo tải {n}",
                "3",
                "4",
                f"DT-{n:05d}/UBND",
                "15/08/2023",
                "Cấp tỉnh",
            ]
        )
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
