"""The permission matrix's second axis: every dossier URL × every role × every state.

test_url_matrix.py asks each URL once, of one dossier being scored. Here every address
that opens or changes a dossier (derived from the resolver: every evaluation URL under
`ho-so/`, plus a product's evidence) is asked of a dossier in each of its states (derived
from `Dossier.Status`), by each role, including council members whose own card is in
each card state (derived from `Scorecard.Status`, with "reopened": a draft again after a
submission). A new state, card state or dossier URL without rows fails
`test_every_state_url_and_role_has_its_cells`.

Reads (`GET_EXPECTED`) are a status, or for a page whose content matters, what it shows:

* `N` 200, nothing of the council's work: no other scoring member's name anywhere (the
  status history and change log included), no members' table, no link to the result;
* `O` 200, the outcome only: the link to the result, still no member's name;
* `C` 200, the council's work: the members' table with the submitted members' names;
* on the result page, `C` lists the submitted members with their totals, `O` none;
* `E` / `V` 200, a card page whose form is editable / read-only;
* `IN` / `OUT` 200, the dossier list shows / does not show the dossier;
* `X` refused in words: back to the dossier page with the reason (a decision's
  confirmation page where the rulebook allows no such decision now).

Writes (`POST_EXPECTED`): `W` allowed, and the database changed (a move lands in its
target state); `X` refused in words (back to the page with a message); `NEW` refused, but
asking opened the member's empty card (as opening the card page does); `L`, 403, 404, 409
refused. Every refusal is checked to have written no row at all. The dossier page must
offer exactly the moves and the upload that are `W`, a card page its form exactly where
the tick is `W`.

Decisions are legal acts (evaluation.acts): asking for one on the dossier page (`D`) goes
to its confirmation page without writing anything; that page (`decide@…`, one row per
decision) is read and confirmed with the act's number, date and signer, and the dossier
page must offer a decision exactly where confirming it is `W`.

The matrix's size: 24 dossier URLs in 45 rows (20 reads, 25 writes: one per move and one
per decision) × 14 roles × 9 states, the 6 rows of a member's card in the 5 states where
cards exist: 5,334 cells (2,240 reads, 3,094 writes), each its own test
(`result-scoring-member_draft`).
`test_the_matrix_size` keeps the figure. The submit pages' GET (a confirmation, by the
same access as the card page) is left to test_url_matrix.py; their POST is here.

The council is district X's (tests/system/permissions/conftest.py), with a chair and three
members added whose cards are a draft, submitted, and reopened; member_x opens no card.
So that three members can leave their cards unsubmitted while the result forms, the
council's quorum is a half here (Decision 148 leaves it to each council's rules; 75 % is
the usual one, and tests/evaluation/test_scoring.py holds that one).
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evaluation import decisions, scoring, workflow
from evaluation.models import (
    Answer,
    CouncilMembership,
    Dossier,
    DossierDocument,
    Option,
    Scorecard,
)
from evaluation.views.decisions import SLUGS
from registry.models import EvidenceDocument
from tests.factories import PDF, ProductFactory, act, bare_round, make_user, office_of
from tests.system.permissions import conftest
from tests.system.permissions.test_url_matrix import L, R, check, close, url_patterns

pytestmark = pytest.mark.django_db

S = Dossier.Status
STATES = list(S.values)
# The states in which members' cards exist: from the opening of scoring onwards.
SCORED = {S.SCORING, S.RESULT, S.RECOGNISED, S.FORWARDED, S.NOT_RECOGNISED}

#: The roles, left to right. The conftest's ROLES, with district X's office and the three
#: members whose own card is in each card state (member_x, the conftest's, opens none).
ROLES = [
    "anonymous",
    "producer_a",  # the dossier's producer
    "producer_b",  # another producer
    "member_x",  # a scoring member of the dossier's council, without a card
    "member_draft",  # … whose card is a draft (every criterion ticked, not submitted)
    "member_submitted",  # … whose card is submitted
    "member_reopened",  # … whose card was submitted, then reopened by the secretary
    "member_y",  # a member of another district's council
    "secretary_x",  # the dossier's council's secretary
    "district_office",  # the office of the dossier's district: decides
    "city_office",
    "central_office",
    "inspector",  # the city's
    "administrator",
]
#: The state of each member's own card, in the states where cards exist.
OWN_CARD = {
    "member_draft": Scorecard.Status.DRAFT,
    "member_submitted": Scorecard.Status.SUBMITTED,
    "member_reopened": Scorecard.Status.DRAFT,  # with a "reopen" event
}
#: The cards the card page is asked for, by whose card it is.
CARDS = {"submitted": "member_submitted", "draft": "member_draft", "reopened": "member_reopened"}
#: Scoring members who are not roles: they complete the quorum.
HELPERS = {"chair_x": CouncilMembership.Role.CHAIR}  # and the conftest's staff_x (a member)
SCORERS = ["chair_x", "staff_x", "member_x", *OWN_CARD]


# ---------------------------------------------------------------- the dossiers, one per state
def _best_options(sheet):
    return [
        (criterion.pk, max(criterion.options.all(), key=lambda o: o.points).pk)
        for criterion in sheet.criteria.order_by("pk")
    ]


def _fill(card, user, best):
    """Every criterion ticked with its best option. The answers are the card's content,
    written at once; the last tick goes through scoring.tick, which totals the card, and
    every change of state (submit, reopen, the moves) through the workflow's functions:
    ticking 1,000 options one by one would take most of the matrix's time."""
    *answers, (criterion, option) = best
    Answer.objects.bulk_create(
        Answer(scorecard=card, criterion_id=pk, option_id=choice) for pk, choice in answers
    )
    return scoring.tick(card, criterion, option, user)


class Builder:
    """Puts a new dossier of producer A in district X's round into each state, with the
    workflow's own functions: what a producer, a secretary, members and the office do."""

    def __init__(self, cast, people):
        self.cast, self.people = cast, people
        self.best = None

    def user(self, name):
        return self.people.get(name) or self.cast[name]

    def new(self, state):
        cast = self.cast
        product = ProductFactory(
            producer=cast["producer_x"], name=f"Sản phẩm {state}", stars=None, certified=False
        )
        dossier = Dossier.objects.create(
            round=cast["round_x"], product=product, sheet=cast["dossier_x"].sheet
        )
        self.best = self.best or _best_options(dossier.sheet)
        document = DossierDocument.objects.create(
            dossier=dossier, title="Giấy chứng nhận ATTP", file=SimpleUploadedFile("a.pdf", PDF)
        )
        # The two papers filing requires (evaluation.checklist), so that what refuses a
        # filing here is the state and the role, never a missing form.
        for paper in ("registration_form", "self_assessment_report"):
            DossierDocument.objects.create(
                dossier=dossier, title=paper, paper=paper, file=SimpleUploadedFile("p.pdf", PDF)
            )
        evidence = EvidenceDocument.objects.create(
            product=product, title="Hợp đồng nguyên liệu", file=SimpleUploadedFile("h.pdf", PDF)
        )
        # Every criterion ticked, never locked: only the dossier's state may freeze it.
        owner = cast["producer_a"]
        self_card = _fill(scoring.self_assessment(dossier, owner), owner, self.best)
        for step in PATHS[state]:
            step(self, dossier)
        dossier.refresh_from_db()
        assert dossier.status == state, f"built {dossier.status} for {state}"
        cards = {
            who: Scorecard.objects.get(dossier=dossier, author=self.user(who))
            for who in OWN_CARD
            if state in SCORED
        }
        for who, status in OWN_CARD.items():
            assert state not in SCORED or cards[who].status == status, (state, who)
        return {
            "dossier": dossier,
            "document": document,
            "evidence": evidence,
            "self_card": self_card,
            **{f"card_{kind}": cards.get(who) for kind, who in CARDS.items()},
        }

    # The producer files; the secretary returns, checks and opens scoring.
    def file(self, dossier):
        workflow.transition(dossier, S.SUBMITTED, self.user("producer_a"))

    def give_back(self, dossier):
        workflow.transition(dossier, S.RETURNED, self.user("secretary_x"), "Thiếu giấy ATTP.")

    def check(self, dossier):
        workflow.transition(dossier, S.CHECKED, self.user("secretary_x"))

    def open_scoring(self, dossier):
        workflow.transition(dossier, S.SCORING, self.user("secretary_x"))

    def score(self, dossier, name):
        user = self.user(name)
        return scoring.submit(_fill(scoring.member_card(dossier, user), user, self.best), user)

    def reopen(self, dossier, name):
        card = Scorecard.objects.get(dossier=dossier, author=self.user(name))
        scoring.reopen(card, self.user("secretary_x"), "Thảo luận lại tiêu chí 1")

    def draft(self, dossier, name):
        user = self.user(name)
        _fill(scoring.member_card(dossier, user), user, self.best)

    def cards_while_scoring(self, dossier):
        """One card submitted: no quorum without the chair."""
        self.score(dossier, "member_submitted")
        self.score(dossier, "member_reopened")
        self.reopen(dossier, "member_reopened")
        self.draft(dossier, "member_draft")

    def cards_at_result(self, dossier):
        """The chair, staff_x and member_submitted: three of the six, the quorum."""
        for name in ("chair_x", "staff_x", "member_submitted", "member_reopened"):
            self.score(dossier, name)
        self.reopen(dossier, "member_reopened")  # back to scoring, and at once to result
        self.draft(dossier, "member_draft")


def decided(target, note):
    """The district's office decides on the council's result."""

    def step(builder, dossier):
        decisions.decide(dossier, target, builder.user("district_office"), note, act=act())

    return step


_SCORING = [Builder.file, Builder.check, Builder.open_scoring]
_RESULT = [*_SCORING, Builder.cards_at_result]
PATHS = {
    S.DRAFT: [],
    S.SUBMITTED: [Builder.file],
    S.RETURNED: [Builder.file, Builder.give_back],
    S.CHECKED: [Builder.file, Builder.check],
    S.SCORING: [*_SCORING, Builder.cards_while_scoring],
    S.RESULT: _RESULT,
    S.RECOGNISED: [*_RESULT, decided(S.RECOGNISED, "QĐ 12/QĐ-UBND")],
    S.FORWARDED: [*_RESULT, decided(S.FORWARDED, "Đề nghị thành phố đánh giá")],
    S.NOT_RECOGNISED: [*_RESULT, decided(S.NOT_RECOGNISED, "Không đạt")],
}


@pytest.fixture(scope="module")
def world(cast, django_db_blocker):
    """The conftest's cast, and a dossier in each state: built once for the module, inside
    the cast's transaction (rolled back with it)."""
    with django_db_blocker.unblock():
        council = cast["council_x"]
        council.quorum_ratio = Decimal("0.5")
        council.save(update_fields=["quorum_ratio"])
        people = {"district_office": office_of("district_office", "district", cast["unit_x"])}
        for name, role in {**HELPERS, **dict.fromkeys(OWN_CARD, "member")}.items():
            people[name] = make_user(name)
            CouncilMembership.objects.create(council=council, user=people[name], role=role)
        # The city's round, to which the district forwards.
        bare_round(cast["round_x"].rulebook, "province", cast["hanoi"], "Hà Nội 2024")
        builder = Builder(cast, people)
        states = {state: builder.new(state) for state in STATES}
        sessions = dict(cast["sessions"])
        client = Client()
        for name in ("district_office", *OWN_CARD):
            client.cookies.clear()
            client.force_login(people[name])
            sessions[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
    # What a tick POST sends: the first criterion's option other than the best, ticked
    # everywhere, so that an allowed tick does change the card.
    criterion, best = builder.best[0]
    other = Option.objects.filter(criterion=criterion).exclude(pk=best).first()
    return {
        "cast": cast,
        "people": people,
        "states": states,
        "sessions": sessions,
        "tick": (criterion, other.pk),
    }


_CLIENT = Client()


def client_for(world, role):
    _CLIENT.cookies.clear()
    if role != "anonymous":
        _CLIENT.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][role]
    return _CLIENT


# ---------------------------------------------------------------- the rows
def address(name, *parts):
    """An address on the state's objects: "dossier" → its pk, "card_draft" → that card's;
    any other part (a decision's slug) as it is."""

    def build(objects):
        args = [objects[part].pk if part in objects else part for part in parts]
        return reverse(f"evaluation:{name}", args=args)

    return build


def _list(objects):
    return reverse("evaluation:dossiers")


GETS = {
    "dossiers": _list,
    "dossier": address("dossier", "dossier"),
    "document": address("document", "dossier", "document"),
    "evidence": address("evidence", "evidence"),
    "scorecard": address("scorecard", "dossier"),
    "card@submitted": address("card", "dossier", "card_submitted"),
    "card@draft": address("card", "dossier", "card_draft"),
    "card@reopened": address("card", "dossier", "card_reopened"),
    "card@self": address("card", "dossier", "self_card"),
    "self": address("self", "dossier"),
    "result": address("result", "dossier"),
    # A member's card printed for signature, and the council's minutes (biên bản).
    "card_pdf@submitted": address("card_pdf", "dossier", "card_submitted"),
    "card_pdf@draft": address("card_pdf", "dossier", "card_draft"),
    "minutes_pdf": address("minutes_pdf", "dossier"),
    # A producer's pages: starting a dossier (any producer; not the dossier's own page,
    # but under ho-so/), and filing this one through its confirmation.
    "start": lambda objects: reverse("evaluation:start"),
    "file": address("file", "dossier"),
    # A decision's confirmation page, one row per decision (views.decisions.SLUGS).
    **{f"decide@{slug}": address("decide", "dossier", slug) for slug in SLUGS.values()},
    # The secretary's reminder to members who have not submitted (notifications app).
    "notifications:remind": lambda objects: reverse(
        "notifications:remind", args=[objects["dossier"].pk]
    ),
}


@dataclass(frozen=True)
class Post:
    address: object  # objects of the state → address
    data: object  # world → form data
    ok: int = 302  # the status of an allowed POST


def _tick(world):
    criterion, option = world["tick"]
    return {"criterion": criterion, "option": option}


def _whole_form(world):
    criterion, option = world["tick"]
    return {f"c{criterion}": option}


def _upload(world):
    return {"title": "Phiếu kiểm nghiệm", "file": SimpleUploadedFile("kn.pdf", PDF)}


def _move(target):
    return Post(
        address("transition", "dossier"), lambda world: {"target": target, "note": "Ghi chú"}
    )


def _act(target):
    """The act as the office types it from the paper; reasons where the producer reads them."""

    def data(world):
        return {
            "number": "1234/QĐ-UBND",
            "signed_on": timezone.localdate().isoformat(),
            "authority": "UBND huyện Hoài Đức",
            "signer_name": "Nguyễn Văn An",
            "signer_title": "Chủ tịch",
            "note": "Không đạt 50 điểm" if target in workflow.NOTE_REQUIRED else "",
        }

    return data


POSTS = {
    **{f"transition@{target}": _move(target) for target in STATES},
    **{
        f"decide@{slug}": Post(address("decide", "dossier", slug), _act(target))
        for target, slug in SLUGS.items()
    },
    "conflict": Post(address("conflict", "dossier"), lambda world: {"reason": "Họ hàng"}),
    "upload": Post(address("upload", "dossier"), _upload),
    "autosave": Post(address("autosave", "dossier"), _tick, ok=200),
    "scorecard": Post(address("scorecard", "dossier"), _whole_form),
    "submit": Post(address("submit", "dossier"), lambda world: {}),
    "reopen": Post(
        address("reopen", "dossier", "card_submitted"), lambda world: {"reason": "Chấm lại"}
    ),
    "self_autosave": Post(address("self_autosave", "dossier"), _tick, ok=200),
    "self": Post(address("self", "dossier"), _whole_form),
    "self_submit": Post(address("self_submit", "dossier"), lambda world: {}),
    "file": Post(address("file", "dossier"), lambda world: {"note": ""}),
    "document_remove": Post(address("document_remove", "dossier", "document"), lambda w: {}),
    "document_replace": Post(
        address("document_replace", "dossier", "document"),
        lambda world: {"file": SimpleUploadedFile("moi.pdf", PDF)},
    ),
    "notifications:remind": Post(GETS["notifications:remind"], lambda world: {}),
}
# Rows about a member's card, asked only where cards exist.
CARD_ROWS = {
    "card@submitted",
    "card@draft",
    "card@reopened",
    "card_pdf@submitted",
    "card_pdf@draft",
    "reopen",
}
# A product's evidence is not under the dossier's address, but who may open it follows
# the dossiers (evaluation.access.products_visible_to).
DOSSIER_URLS_ELSEWHERE = {"evaluation:evidence"}

# Cells.
N, O, C = "nothing", "outcome", "council"  # noqa: E741 (O: the outcome)
E, V = "editable", "read-only"
IN, OUT = "listed", "not listed"
W, X, NEW = "writes", "refused in words", "refused, but the card was opened"
D = "sent to the decision's confirmation page"

# fmt: off
GET_EXPECTED = {
    "dossiers": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   IN,  OUT, OUT, OUT, OUT, OUT, OUT, OUT, OUT, OUT, OUT, OUT, IN),
        "submitted":      (L,   IN,  OUT, IN,  IN,  IN,  IN,  OUT, IN,  IN,  OUT, OUT, IN,  IN),
        "returned":       (L,   IN,  OUT, IN,  IN,  IN,  IN,  OUT, IN,  IN,  OUT, OUT, IN,  IN),
        "checked":        (L,   IN,  OUT, IN,  IN,  IN,  IN,  OUT, IN,  IN,  OUT, OUT, IN,  IN),
        "scoring":        (L,   IN,  OUT, IN,  IN,  IN,  IN,  OUT, IN,  IN,  OUT, OUT, IN,  IN),
        "result":         (L,   IN,  OUT, IN,  IN,  IN,  IN,  OUT, IN,  IN,  OUT, OUT, IN,  IN),
        "recognised":     (L,   IN,  OUT, IN,  IN,  IN,  IN,  OUT, IN,  IN,  OUT, OUT, IN,  IN),
        "forwarded":      (L,   IN,  OUT, IN,  IN,  IN,  IN,  OUT, IN,  IN,  OUT, OUT, IN,  IN),
        "not_recognised": (L,   IN,  OUT, IN,  IN,  IN,  IN,  OUT, IN,  IN,  OUT, OUT, IN,  IN),
    },
    "dossier": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   N,   404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, C),
        "submitted":      (L,   N,   404, N,   N,   N,   N,   404, C,   C,   404, 404, C,   C),
        "returned":       (L,   N,   404, N,   N,   N,   N,   404, C,   C,   404, 404, C,   C),
        "checked":        (L,   N,   404, N,   N,   N,   N,   404, C,   C,   404, 404, C,   C),
        "scoring":        (L,   N,   404, N,   N,   C,   N,   404, C,   C,   404, 404, C,   C),
        "result":         (L,   N,   404, N,   N,   C,   N,   404, C,   C,   404, 404, C,   C),
        "recognised":     (L,   O,   404, N,   N,   C,   N,   404, C,   C,   404, 404, C,   C),
        "forwarded":      (L,   O,   404, N,   N,   C,   N,   404, C,   C,   404, 404, C,   C),
        "not_recognised": (L,   O,   404, N,   N,   C,   N,   404, C,   C,   404, 404, C,   C),
    },
    "document": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   200, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200),
        "submitted":      (L,   200, 404, 200, 200, 200, 200, 404, 200, 200, 404, 404, 200, 200),
        "returned":       (L,   200, 404, 200, 200, 200, 200, 404, 200, 200, 404, 404, 200, 200),
        "checked":        (L,   200, 404, 200, 200, 200, 200, 404, 200, 200, 404, 404, 200, 200),
        "scoring":        (L,   200, 404, 200, 200, 200, 200, 404, 200, 200, 404, 404, 200, 200),
        "result":         (L,   200, 404, 200, 200, 200, 200, 404, 200, 200, 404, 404, 200, 200),
        "recognised":     (L,   200, 404, 200, 200, 200, 200, 404, 200, 200, 404, 404, 200, 200),
        "forwarded":      (L,   200, 404, 200, 200, 200, 200, 404, 200, 200, 404, 404, 200, 200),
        "not_recognised": (L,   200, 404, 200, 200, 200, 200, 404, 200, 200, 404, 404, 200, 200),
    },
    # Any producer starts a dossier for their own products; the page is no one else's.
    "start": dict.fromkeys(
        STATES,
        #anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        (L,  200, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ),
    "file": {
        # The producer's filing page while the dossier is in their hands; once filed, back
        # to the dossier. Those who see the dossier without being its producer: 403.
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   200, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403),
        "submitted":      (L,   R,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "returned":       (L,   200, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "checked":        (L,   R,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "scoring":        (L,   R,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "result":         (L,   R,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "recognised":     (L,   R,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "forwarded":      (L,   R,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "not_recognised": (L,   R,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
    },
    "evidence": {
        # The city sees the product of a dossier sent up to it, and of a certificate it may
        # revoke: district X's, its district abolished (Decision 26/2026, Điều 8 khoản 2).
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   200, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200),
        "submitted":      (L,   200, 404, 200, 200, 200, 200, 404, 200, 200, 404, 404, 200, 200),
        "returned":       (L,   200, 404, 200, 200, 200, 200, 404, 200, 200, 404, 404, 200, 200),
        "checked":        (L,   200, 404, 200, 200, 200, 200, 404, 200, 200, 404, 404, 200, 200),
        "scoring":        (L,   200, 404, 200, 200, 200, 200, 404, 200, 200, 404, 404, 200, 200),
        "result":         (L,   200, 404, 200, 200, 200, 200, 404, 200, 200, 404, 404, 200, 200),
        "recognised":     (L,   200, 404, 200, 200, 200, 200, 404, 200, 200, 200, 404, 200, 200),
        "forwarded":      (L,   200, 404, 200, 200, 200, 200, 404, 200, 200, 200, 404, 200, 200),
        "not_recognised": (L,   200, 404, 200, 200, 200, 200, 404, 200, 200, 404, 404, 200, 200),
    },
    "scorecard": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403),
        "submitted":      (L,   403, 404, R,   R,   R,   R,   404, 403, 403, 404, 404, 403, 403),
        "returned":       (L,   403, 404, R,   R,   R,   R,   404, 403, 403, 404, 404, 403, 403),
        "checked":        (L,   403, 404, R,   R,   R,   R,   404, 403, 403, 404, 404, 403, 403),
        "scoring":        (L,   403, 404, E,   E,   V,   E,   404, 403, 403, 404, 404, 403, 403),
        "result":         (L,   403, 404, E,   E,   V,   E,   404, 403, 403, 404, 404, 403, 403),
        "recognised":     (L,   403, 404, R,   V,   V,   V,   404, 403, 403, 404, 404, 403, 403),
        "forwarded":      (L,   403, 404, R,   V,   V,   V,   404, 403, 403, 404, 404, 403, 403),
        "not_recognised": (L,   403, 404, R,   V,   V,   V,   404, 403, 403, 404, 404, 403, 403),
    },
    "self": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   E,   404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403),
        "submitted":      (L,   V,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "returned":       (L,   E,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "checked":        (L,   V,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "scoring":        (L,   V,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "result":         (L,   V,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "recognised":     (L,   V,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "forwarded":      (L,   V,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "not_recognised": (L,   V,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
    },
    "card@self": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   200, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
        "submitted":      (L,   200, 404, 200, 200, 200, 200, 404, 200, 200, 404, 404, 200, 200),
        "returned":       (L,   200, 404, 200, 200, 200, 200, 404, 200, 200, 404, 404, 200, 200),
        "checked":        (L,   200, 404, 200, 200, 200, 200, 404, 200, 200, 404, 404, 200, 200),
        "scoring":        (L,   200, 404, 200, 200, 200, 200, 404, 200, 200, 404, 404, 200, 200),
        "result":         (L,   200, 404, 200, 200, 200, 200, 404, 200, 200, 404, 404, 200, 200),
        "recognised":     (L,   200, 404, 200, 200, 200, 200, 404, 200, 200, 404, 404, 200, 200),
        "forwarded":      (L,   200, 404, 200, 200, 200, 200, 404, 200, 200, 404, 404, 200, 200),
        "not_recognised": (L,   200, 404, 200, 200, 200, 200, 404, 200, 200, 404, 404, 200, 200),
    },
    "card@submitted": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "scoring":        (L,   404, 404, 404, 404, 200, 404, 404, 200, 200, 404, 404, 200, 200),
        "result":         (L,   404, 404, 404, 404, 200, 404, 404, 200, 200, 404, 404, 200, 200),
        "recognised":     (L,   404, 404, 404, 404, 200, 404, 404, 200, 200, 404, 404, 200, 200),
        "forwarded":      (L,   404, 404, 404, 404, 200, 404, 404, 200, 200, 404, 404, 200, 200),
        "not_recognised": (L,   404, 404, 404, 404, 200, 404, 404, 200, 200, 404, 404, 200, 200),
    },
    "card@draft": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "scoring":        (L,   404, 404, 404, 200, 404, 404, 404, 200, 200, 404, 404, 404, 200),
        "result":         (L,   404, 404, 404, 200, 404, 404, 404, 200, 200, 404, 404, 404, 200),
        "recognised":     (L,   404, 404, 404, 200, 404, 404, 404, 200, 200, 404, 404, 404, 200),
        "forwarded":      (L,   404, 404, 404, 200, 404, 404, 404, 200, 200, 404, 404, 404, 200),
        "not_recognised": (L,   404, 404, 404, 200, 404, 404, 404, 200, 200, 404, 404, 404, 200),
    },
    "card@reopened": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "scoring":        (L,   404, 404, 404, 404, 404, 200, 404, 200, 200, 404, 404, 404, 200),
        "result":         (L,   404, 404, 404, 404, 404, 200, 404, 200, 200, 404, 404, 404, 200),
        "recognised":     (L,   404, 404, 404, 404, 404, 200, 404, 200, 200, 404, 404, 404, 200),
        "forwarded":      (L,   404, 404, 404, 404, 404, 200, 404, 200, 200, 404, 404, 404, 200),
        "not_recognised": (L,   404, 404, 404, 404, 404, 200, 404, 200, 200, 404, 404, 404, 200),
    },
    # The printed card: exactly those who read the card's page, in every state.
    "card_pdf@submitted": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "scoring":        (L,   404, 404, 404, 404, 200, 404, 404, 200, 200, 404, 404, 200, 200),
        "result":         (L,   404, 404, 404, 404, 200, 404, 404, 200, 200, 404, 404, 200, 200),
        "recognised":     (L,   404, 404, 404, 404, 200, 404, 404, 200, 200, 404, 404, 200, 200),
        "forwarded":      (L,   404, 404, 404, 404, 200, 404, 404, 200, 200, 404, 404, 200, 200),
        "not_recognised": (L,   404, 404, 404, 404, 200, 404, 404, 200, 200, 404, 404, 200, 200),
    },
    "card_pdf@draft": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "scoring":        (L,   404, 404, 404, 200, 404, 404, 404, 200, 200, 404, 404, 404, 200),
        "result":         (L,   404, 404, 404, 200, 404, 404, 404, 200, 200, 404, 404, 404, 200),
        "recognised":     (L,   404, 404, 404, 200, 404, 404, 404, 200, 200, 404, 404, 404, 200),
        "forwarded":      (L,   404, 404, 404, 200, 404, 404, 404, 200, 200, 404, 404, 404, 200),
        "not_recognised": (L,   404, 404, 404, 200, 404, 404, 404, 200, 200, 404, 404, 404, 200),
    },
    # The minutes: once the result stands (not while scoring, not reopened), to those who
    # see the result beside the members; never to the producer, who sees the outcome only.
    "minutes_pdf": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
        "submitted":      (L,   404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
        "returned":       (L,   404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
        "checked":        (L,   404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
        "scoring":        (L,   404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
        "result":         (L,   404, 404, 404, 404, 200, 404, 404, 200, 200, 404, 404, 200, 200),
        "recognised":     (L,   404, 404, 404, 404, 200, 404, 404, 200, 200, 404, 404, 200, 200),
        "forwarded":      (L,   404, 404, 404, 404, 200, 404, 404, 200, 200, 404, 404, 200, 200),
        "not_recognised": (L,   404, 404, 404, 404, 200, 404, 404, 200, 200, 404, 404, 200, 200),
    },
    "result": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
        "submitted":      (L,   404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
        "returned":       (L,   404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
        "checked":        (L,   404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
        "scoring":        (L,   404, 404, 404, 404, C,   404, 404, C,   C,   404, 404, C,   C),
        "result":         (L,   404, 404, 404, 404, C,   404, 404, C,   C,   404, 404, C,   C),
        "recognised":     (L,   O,   404, 404, 404, C,   404, 404, C,   C,   404, 404, C,   C),
        "forwarded":      (L,   O,   404, 404, 404, C,   404, 404, C,   C,   404, 404, C,   C),
        "not_recognised": (L,   O,   404, 404, 404, C,   404, 404, C,   C,   404, 404, C,   C),
    },
    # A decision's confirmation page: the dossier's office (or the administrator) on a result
    # the rulebook lets it decide; elsewhere sent back to the dossier page with the reason.
    # District X decides under Decision 148, so a dossier it sent up is the city's for good:
    # the forwarded → recognised move (26/2026's province, on the upper council's result) is
    # refused in words here, and allowed in tests/evaluation/views/test_decisions.py.
    "decide@cong-nhan": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, X),
        "submitted":      (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "returned":       (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "checked":        (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "scoring":        (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "result":         (L,   403, 404, 403, 403, 403, 403, 404, 403, 200, 404, 404, 403, 200),
        "recognised":     (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "forwarded":      (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "not_recognised": (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
    },
    "decide@chuyen-len": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, X),
        "submitted":      (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "returned":       (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "checked":        (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "scoring":        (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "result":         (L,   403, 404, 403, 403, 403, 403, 404, 403, 200, 404, 404, 403, 200),
        "recognised":     (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "forwarded":      (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "not_recognised": (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
    },
    "decide@khong-cong-nhan": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, X),
        "submitted":      (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "returned":       (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "checked":        (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "scoring":        (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "result":         (L,   403, 404, 403, 403, 403, 403, 404, 403, 200, 404, 404, 403, 200),
        "recognised":     (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "forwarded":      (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "not_recognised": (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
    },
    # The reminder: those who run the council's work (its secretary, the district's office,
    # an administrator), while the council scores; at any other time they are sent back to
    # the dossier with the reason. Those who see the dossier otherwise get 403.
    "notifications:remind": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, R),
        "submitted":      (L,   403, 404, 403, 403, 403, 403, 404, R,   R,   404, 404, 403, R),
        "returned":       (L,   403, 404, 403, 403, 403, 403, 404, R,   R,   404, 404, 403, R),
        "checked":        (L,   403, 404, 403, 403, 403, 403, 404, R,   R,   404, 404, 403, R),
        "scoring":        (L,   403, 404, 403, 403, 403, 403, 404, 200, 200, 404, 404, 403, 200),
        "result":         (L,   403, 404, 403, 403, 403, 403, 404, R,   R,   404, 404, 403, R),
        "recognised":     (L,   403, 404, 403, 403, 403, 403, 404, R,   R,   404, 404, 403, R),
        "forwarded":      (L,   403, 404, 403, 403, 403, 403, 404, R,   R,   404, 404, 403, R),
        "not_recognised": (L,   403, 404, 403, 403, 403, 403, 404, R,   R,   404, 404, 403, R),
    },
}

POST_EXPECTED = {
    "transition@draft": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403),
        "submitted":      (L,   403, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "returned":       (L,   403, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "checked":        (L,   403, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "scoring":        (L,   403, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "result":         (L,   403, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "recognised":     (L,   403, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "forwarded":      (L,   403, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "not_recognised": (L,   403, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
    },
    "transition@submitted": {
        # District X's round follows Decision 148, which takes no dossier first filed since
        # 26/2026 took effect (Điều 12 khoản 2, evaluation.filing): the draft is refused in
        # words, and its page offers no filing. A returned dossier was filed before: W.
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   X,   404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403),
        "submitted":      (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "returned":       (L,   W,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "checked":        (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "scoring":        (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "result":         (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "recognised":     (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "forwarded":      (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "not_recognised": (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
    },
    "transition@returned": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, X),
        "submitted":      (L,   403, 404, 403, 403, 403, 403, 404, W,   W,   404, 404, 403, W),
        "returned":       (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
        "checked":        (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
        "scoring":        (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
        "result":         (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
        "recognised":     (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
        "forwarded":      (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
        "not_recognised": (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
    },
    "transition@checked": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, X),
        "submitted":      (L,   403, 404, 403, 403, 403, 403, 404, W,   W,   404, 404, 403, W),
        "returned":       (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
        "checked":        (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
        "scoring":        (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
        "result":         (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
        "recognised":     (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
        "forwarded":      (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
        "not_recognised": (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
    },
    "transition@scoring": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, X),
        "submitted":      (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
        "returned":       (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
        "checked":        (L,   403, 404, 403, 403, 403, 403, 404, W,   W,   404, 404, 403, W),
        "scoring":        (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
        "result":         (L,   403, 404, 403, 403, 403, 403, 404, W,   W,   404, 404, 403, W),
        "recognised":     (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
        "forwarded":      (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
        "not_recognised": (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
    },
    "transition@result": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403),
        "submitted":      (L,   403, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "returned":       (L,   403, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "checked":        (L,   403, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "scoring":        (L,   403, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "result":         (L,   403, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "recognised":     (L,   403, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "forwarded":      (L,   403, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "not_recognised": (L,   403, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
    },
    # A decision is never one click: asking for one on the dossier page (whatever the status)
    # goes to its confirmation page and writes nothing; the "decide@" rows below decide.
    "transition@recognised": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, D),
        "submitted":      (L,   403, 404, 403, 403, 403, 403, 404, 403, D,   404, 404, 403, D),
        "returned":       (L,   403, 404, 403, 403, 403, 403, 404, 403, D,   404, 404, 403, D),
        "checked":        (L,   403, 404, 403, 403, 403, 403, 404, 403, D,   404, 404, 403, D),
        "scoring":        (L,   403, 404, 403, 403, 403, 403, 404, 403, D,   404, 404, 403, D),
        "result":         (L,   403, 404, 403, 403, 403, 403, 404, 403, D,   404, 404, 403, D),
        "recognised":     (L,   403, 404, 403, 403, 403, 403, 404, 403, D,   404, 404, 403, D),
        "forwarded":      (L,   403, 404, 403, 403, 403, 403, 404, 403, D,   404, 404, 403, D),
        "not_recognised": (L,   403, 404, 403, 403, 403, 403, 404, 403, D,   404, 404, 403, D),
    },
    "transition@forwarded": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, D),
        "submitted":      (L,   403, 404, 403, 403, 403, 403, 404, 403, D,   404, 404, 403, D),
        "returned":       (L,   403, 404, 403, 403, 403, 403, 404, 403, D,   404, 404, 403, D),
        "checked":        (L,   403, 404, 403, 403, 403, 403, 404, 403, D,   404, 404, 403, D),
        "scoring":        (L,   403, 404, 403, 403, 403, 403, 404, 403, D,   404, 404, 403, D),
        "result":         (L,   403, 404, 403, 403, 403, 403, 404, 403, D,   404, 404, 403, D),
        "recognised":     (L,   403, 404, 403, 403, 403, 403, 404, 403, D,   404, 404, 403, D),
        "forwarded":      (L,   403, 404, 403, 403, 403, 403, 404, 403, D,   404, 404, 403, D),
        "not_recognised": (L,   403, 404, 403, 403, 403, 403, 404, 403, D,   404, 404, 403, D),
    },
    "transition@not_recognised": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, D),
        "submitted":      (L,   403, 404, 403, 403, 403, 403, 404, 403, D,   404, 404, 403, D),
        "returned":       (L,   403, 404, 403, 403, 403, 403, 404, 403, D,   404, 404, 403, D),
        "checked":        (L,   403, 404, 403, 403, 403, 403, 404, 403, D,   404, 404, 403, D),
        "scoring":        (L,   403, 404, 403, 403, 403, 403, 404, 403, D,   404, 404, 403, D),
        "result":         (L,   403, 404, 403, 403, 403, 403, 404, 403, D,   404, 404, 403, D),
        "recognised":     (L,   403, 404, 403, 403, 403, 403, 404, 403, D,   404, 404, 403, D),
        "forwarded":      (L,   403, 404, 403, 403, 403, 403, 404, 403, D,   404, 404, 403, D),
        "not_recognised": (L,   403, 404, 403, 403, 403, 403, 404, 403, D,   404, 404, 403, D),
    },
    # Confirming records the act and applies it: only where the page offers the form.
    "decide@cong-nhan": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, X),
        "submitted":      (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "returned":       (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "checked":        (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "scoring":        (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "result":         (L,   403, 404, 403, 403, 403, 403, 404, 403, W,   404, 404, 403, W),
        "recognised":     (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "forwarded":      (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "not_recognised": (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
    },
    "decide@chuyen-len": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, X),
        "submitted":      (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "returned":       (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "checked":        (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "scoring":        (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "result":         (L,   403, 404, 403, 403, 403, 403, 404, 403, W,   404, 404, 403, W),
        "recognised":     (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "forwarded":      (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "not_recognised": (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
    },
    "decide@khong-cong-nhan": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, X),
        "submitted":      (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "returned":       (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "checked":        (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "scoring":        (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "result":         (L,   403, 404, 403, 403, 403, 403, 404, 403, W,   404, 404, 403, W),
        "recognised":     (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "forwarded":      (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
        "not_recognised": (L,   403, 404, 403, 403, 403, 403, 404, 403, X,   404, 404, 403, X),
    },
    "conflict": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403),
        "submitted":      (L,   403, 404, X,   X,   X,   X,   404, 403, 403, 404, 404, 403, 403),
        "returned":       (L,   403, 404, X,   X,   X,   X,   404, 403, 403, 404, 404, 403, 403),
        "checked":        (L,   403, 404, X,   X,   X,   X,   404, 403, 403, 404, 404, 403, 403),
        "scoring":        (L,   403, 404, W,   W,   W,   W,   404, 403, 403, 404, 404, 403, 403),
        "result":         (L,   403, 404, W,   W,   W,   W,   404, 403, 403, 404, 404, 403, 403),
        "recognised":     (L,   403, 404, X,   X,   X,   X,   404, 403, 403, 404, 404, 403, 403),
        "forwarded":      (L,   403, 404, X,   X,   X,   X,   404, 403, 403, 404, 404, 403, 403),
        "not_recognised": (L,   403, 404, X,   X,   X,   X,   404, 403, 403, 404, 404, 403, 403),
    },
    "file": {
        # As the move on the dossier page: the draft (a Decision 148 round, closed to
        # dossiers first filed today) is refused in words; a returned one is filed again.
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   X,   404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403),
        "submitted":      (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "returned":       (L,   W,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "checked":        (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "scoring":        (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "result":         (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "recognised":     (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "forwarded":      (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "not_recognised": (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
    },
    "document_remove": {
        # The producer's papers change only while the dossier is in their hands; after,
        # refused in words. Nobody else changes them.
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   W,   404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403),
        "submitted":      (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "returned":       (L,   W,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "checked":        (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "scoring":        (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "result":         (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "recognised":     (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "forwarded":      (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "not_recognised": (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
    },
    "document_replace": {
        # The producer's papers change only while the dossier is in their hands; after,
        # refused in words. Nobody else changes them.
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   W,   404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403),
        "submitted":      (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "returned":       (L,   W,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "checked":        (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "scoring":        (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "result":         (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "recognised":     (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "forwarded":      (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "not_recognised": (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
    },
    "upload": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   W,   404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403),
        "submitted":      (L,   409, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "returned":       (L,   W,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "checked":        (L,   409, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "scoring":        (L,   409, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "result":         (L,   409, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "recognised":     (L,   409, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "forwarded":      (L,   409, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "not_recognised": (L,   409, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
    },
    "autosave": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403),
        "submitted":      (L,   403, 404, 409, 409, 409, 409, 404, 403, 403, 404, 404, 403, 403),
        "returned":       (L,   403, 404, 409, 409, 409, 409, 404, 403, 403, 404, 404, 403, 403),
        "checked":        (L,   403, 404, 409, 409, 409, 409, 404, 403, 403, 404, 404, 403, 403),
        "scoring":        (L,   403, 404, W,   W,   409, W,   404, 403, 403, 404, 404, 403, 403),
        "result":         (L,   403, 404, W,   W,   409, W,   404, 403, 403, 404, 404, 403, 403),
        "recognised":     (L,   403, 404, 409, 409, 409, 409, 404, 403, 403, 404, 404, 403, 403),
        "forwarded":      (L,   403, 404, 409, 409, 409, 409, 404, 403, 403, 404, 404, 403, 403),
        "not_recognised": (L,   403, 404, 409, 409, 409, 409, 404, 403, 403, 404, 404, 403, 403),
    },
    "scorecard": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403),
        "submitted":      (L,   403, 404, X,   X,   X,   X,   404, 403, 403, 404, 404, 403, 403),
        "returned":       (L,   403, 404, X,   X,   X,   X,   404, 403, 403, 404, 404, 403, 403),
        "checked":        (L,   403, 404, X,   X,   X,   X,   404, 403, 403, 404, 404, 403, 403),
        "scoring":        (L,   403, 404, W,   W,   X,   W,   404, 403, 403, 404, 404, 403, 403),
        "result":         (L,   403, 404, W,   W,   X,   W,   404, 403, 403, 404, 404, 403, 403),
        "recognised":     (L,   403, 404, X,   X,   X,   X,   404, 403, 403, 404, 404, 403, 403),
        "forwarded":      (L,   403, 404, X,   X,   X,   X,   404, 403, 403, 404, 404, 403, 403),
        "not_recognised": (L,   403, 404, X,   X,   X,   X,   404, 403, 403, 404, 404, 403, 403),
    },
    "submit": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403),
        "submitted":      (L,   403, 404, X,   X,   X,   X,   404, 403, 403, 404, 404, 403, 403),
        "returned":       (L,   403, 404, X,   X,   X,   X,   404, 403, 403, 404, 404, 403, 403),
        "checked":        (L,   403, 404, X,   X,   X,   X,   404, 403, 403, 404, 404, 403, 403),
        "scoring":        (L,   403, 404, NEW, W,   X,   W,   404, 403, 403, 404, 404, 403, 403),
        "result":         (L,   403, 404, NEW, W,   X,   W,   404, 403, 403, 404, 404, 403, 403),
        "recognised":     (L,   403, 404, X,   X,   X,   X,   404, 403, 403, 404, 404, 403, 403),
        "forwarded":      (L,   403, 404, X,   X,   X,   X,   404, 403, 403, 404, 404, 403, 403),
        "not_recognised": (L,   403, 404, X,   X,   X,   X,   404, 403, 403, 404, 404, 403, 403),
    },
    "reopen": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "scoring":        (L,   404, 404, 404, 404, 403, 404, 404, W,   W,   404, 404, 403, W),
        "result":         (L,   404, 404, 404, 404, 403, 404, 404, W,   W,   404, 404, 403, W),
        "recognised":     (L,   404, 404, 404, 404, 403, 404, 404, X,   X,   404, 404, 403, X),
        "forwarded":      (L,   404, 404, 404, 404, 403, 404, 404, X,   X,   404, 404, 403, X),
        "not_recognised": (L,   404, 404, 404, 404, 403, 404, 404, X,   X,   404, 404, 403, X),
    },
    "self_autosave": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   W,   404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403),
        "submitted":      (L,   409, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "returned":       (L,   W,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "checked":        (L,   409, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "scoring":        (L,   409, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "result":         (L,   409, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "recognised":     (L,   409, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "forwarded":      (L,   409, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "not_recognised": (L,   409, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
    },
    "self": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   W,   404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403),
        "submitted":      (L,   409, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "returned":       (L,   W,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "checked":        (L,   409, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "scoring":        (L,   409, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "result":         (L,   409, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "recognised":     (L,   409, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "forwarded":      (L,   409, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "not_recognised": (L,   409, 404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
    },
    "self_submit": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   W,   404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403),
        "submitted":      (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "returned":       (L,   W,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "checked":        (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "scoring":        (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "result":         (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "recognised":     (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "forwarded":      (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
        "not_recognised": (L,   X,   404, 403, 403, 403, 403, 404, 403, 403, 404, 404, 403, 403),
    },
    # One notice per member still to submit, once a day (tests/notifications).
    "notifications:remind": {
        #                  anon pr_a pr_b mb_x m_dr m_sb m_ro mb_y se_x dist city cent insp admin
        "draft":          (L,   403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, X),
        "submitted":      (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
        "returned":       (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
        "checked":        (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
        "scoring":        (L,   403, 404, 403, 403, 403, 403, 404, W,   W,   404, 404, 403, W),
        "result":         (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
        "recognised":     (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
        "forwarded":      (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
        "not_recognised": (L,   403, 404, 403, 403, 403, 403, 404, X,   X,   404, 404, 403, X),
    },
}
# fmt: on


# ---------------------------------------------------------------- the tables are whole
def _reachable(state):
    seen, todo = set(), [state]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo += workflow.TRANSITIONS.get(current, ())
    return seen


def url_name(key):
    """A row's URL name: "dossier@x" is the evaluation's; another app's row names its own."""
    name = key.split("@")[0]
    return name if ":" in name else f"evaluation:{name}"


def dossier_urls():
    """Every URL that opens or changes a dossier, from the resolver: the evaluation's, and
    any other app's under a dossier's address (`ho-so/<pk>/…`)."""
    under = {name for name, route in url_patterns() if name and "ho-so/" in route}
    return under | DOSSIER_URLS_ELSEWHERE


def test_every_state_url_and_role_has_its_cells():
    assert set(PATHS) == set(STATES), "a dossier state the builder cannot make"
    assert _reachable(S.SCORING) == SCORED, "the states in which cards exist"
    assert sorted(set(OWN_CARD.values())) == sorted(Scorecard.Status.values), "a card state"
    assert set(conftest.ROLES) <= set(ROLES)
    assert {f"transition@{target}" for target in STATES} <= set(POSTS), "a move without a row"
    assert set(GET_EXPECTED) == set(GETS) and set(POST_EXPECTED) == set(POSTS)
    rows = {url_name(key) for key in [*GETS, *POSTS]}
    assert sorted(dossier_urls() - rows) == [], "dossier URLs with no row"
    assert sorted(rows - dossier_urls()) == [], "rows whose URL is gone"
    for table in (GET_EXPECTED, POST_EXPECTED):
        for row, states in table.items():
            wanted = SCORED if row in CARD_ROWS else set(STATES)
            assert set(states) == wanted, f"{row}: cells for {sorted(set(states) ^ wanted)}"
            assert all(len(cells) == len(ROLES) for cells in states.values()), row


def test_a_page_offers_a_form_exactly_where_its_post_is_allowed():
    for slug in SLUGS.values():
        for state in STATES:
            for role, shown, posted in zip(
                ROLES,
                GET_EXPECTED[f"decide@{slug}"][state],
                POST_EXPECTED[f"decide@{slug}"][state],
                strict=True,
            ):
                assert (shown == 200) == (posted == W), (slug, state, role)
    for page, post in [("scorecard", "autosave"), ("self", "self_autosave")]:
        for state in STATES:
            for role, shown, posted in zip(
                ROLES, GET_EXPECTED[page][state], POST_EXPECTED[post][state], strict=True
            ):
                if shown in (E, V):
                    assert (shown == E) == (posted == W), (page, state, role)


def _cells(table):
    return [
        pytest.param(row, state, role, id=f"{row}-{state}-{role}")
        for row, states in table.items()
        for state in states
        for role in ROLES
    ]


GET_CELLS = _cells(GET_EXPECTED)
POST_CELLS = _cells(POST_EXPECTED)


def test_the_matrix_size():
    """24 dossier URLs in 45 rows (20 reads, 25 writes), 14 roles, 9 states (the 6 rows of
    a member's card in the 5 states where cards exist): 5,334 cells."""
    urls = {key.split("@")[0] for key in [*GETS, *POSTS]}
    sizes = (len(urls), len(GETS), len(POSTS), len(ROLES), len(STATES), len(SCORED))
    assert sizes == (24, 20, 25, 14, 9, 5)
    assert (len(GET_CELLS), len(POST_CELLS)) == (2240, 3094)


def test_the_api_says_nothing_of_dossiers_cards_or_results(world):
    # The open data API is the one other way out for an evaluation's data: its schema
    # names no dossier, card or council result (products, producers, certificates only).
    schema = client_for(world, "administrator").get(reverse("api:schema")).content.decode()
    for word in ("dossier", "scorecard", "councilresult", "council_result", "ho-so"):
        assert word not in schema.lower(), word


# ---------------------------------------------------------------- reads
def _body(response):
    return response.content.decode()


def _named(role, body):
    """The council's scoring members, other than the reader, whose names the page shows."""
    return {name for name in SCORERS if name != role and name in body}


def _submitted(objects, role):
    authors = Scorecard.objects.filter(
        dossier=objects["dossier"], kind=Scorecard.Kind.MEMBER, status=Scorecard.Status.SUBMITTED
    ).values_list("author__username", flat=True)
    return set(authors) - {role}


PROGRESS, RESULT_LINK, RESULT_MEAN = 'id="progress"', 'id="result-link"', 'id="result-mean"'


def shows_nothing(world, objects, role, response):
    body = _body(response)
    if _named(role, body):
        return f"names {sorted(_named(role, body))}"
    shown = [marker for marker in (PROGRESS, RESULT_LINK, RESULT_MEAN) if marker in body]
    return f"shows {shown}" if shown else None


def shows_outcome(world, objects, role, response):
    body = _body(response)
    if _named(role, body):
        return f"names {sorted(_named(role, body))}"
    if PROGRESS in body:
        return "shows the members' table"
    return None if RESULT_LINK in body or RESULT_MEAN in body else "shows no outcome"


def shows_council(world, objects, role, response):
    body = _body(response)
    missing = _submitted(objects, role) - _named(role, body)
    if missing:
        return f"does not name {sorted(missing)}, whose cards are submitted"
    if PROGRESS not in body and RESULT_MEAN not in body:
        return "shows neither the members' table nor the result"
    return None


def editable(world, objects, role, response):
    return None if 'id="save-all"' in _body(response) else "the card is read-only"


def read_only(world, objects, role, response):
    return "the card is editable" if 'id="save-all"' in _body(response) else None


def _listed(response, objects):
    return objects["dossier"].pk in {dossier.pk for dossier in response.context["dossiers"]}


def listed(world, objects, role, response):
    return None if _listed(response, objects) else "the list leaves the dossier out"


def not_listed(world, objects, role, response):
    return "the list shows the dossier" if _listed(response, objects) else None


CONTENT = {
    N: shows_nothing,
    O: shows_outcome,
    C: shows_council,
    E: editable,
    V: read_only,
    IN: listed,
    OUT: not_listed,
}


def offers(world, state, role, response):
    """The dossier page offers the moves, and the upload, that a POST would make."""
    index = ROLES.index(role)
    allowed = {t for t in STATES if POST_EXPECTED[f"transition@{t}"][state][index] == W}
    offered = {move.target for move in response.context["moves"]}
    if offered != allowed:
        return f"offers the moves {sorted(offered)}, allows {sorted(allowed)}"
    # Decisions are links to their confirmation page, offered where confirming would decide.
    deciding = {
        t for t, slug in SLUGS.items() if POST_EXPECTED[f"decide@{slug}"][state][index] == W
    }
    linked = {move.target for move in response.context["decisions"]}
    if linked != deciding:
        return f"offers the decisions {sorted(linked)}, allows {sorted(deciding)}"
    upload = POST_EXPECTED["upload"][state][index] == W
    if (response.context["document_form"] is not None) != upload:
        return "offers the upload form" if not upload else "does not offer the upload form"
    return None


@pytest.mark.parametrize(("row", "state", "role"), GET_CELLS)
def test_get(world, row, state, role):
    objects = world["states"][state]
    response = client_for(world, role).get(GETS[row](objects))
    close(response)
    expected = GET_EXPECTED[row][state][ROLES.index(role)]
    if expected in CONTENT:
        problem = check(response, 200) or CONTENT[expected](world, objects, role, response)
        if problem is None and row == "dossier":
            problem = offers(world, state, role, response)
    else:
        problem = check(response, R if expected == X else expected)
    assert problem is None, f"GET {row} of a {state} dossier as {role}: {problem}"


# ---------------------------------------------------------------- writes
def rows_written():
    """Rows inserted, updated or deleted so far on this connection, in any table: a
    refused POST must leave it as it was. (Comparing every table, as test_url_matrix.py
    does, would cost fifty queries a POST; this costs none on SQLite, one on PostgreSQL.)"""
    if connection.vendor == "sqlite":
        return connection.connection.total_changes
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)"
            " FROM pg_stat_xact_user_tables"
        )
        return cursor.fetchone()[0]


@pytest.mark.parametrize(("row", "state", "role"), POST_CELLS)
def test_post(world, row, state, role):
    objects = world["states"][state]
    post = POSTS[row]
    expected = POST_EXPECTED[row][state][ROLES.index(role)]
    where = f"POST {row} on a {state} dossier as {role}"
    data = post.data(world)
    connection.ensure_connection()
    before = rows_written()
    response = client_for(world, role).post(post.address(objects), data)
    written = rows_written() - before
    if expected == W:
        assert check(response, post.ok) is None, f"{where}: {check(response, post.ok)}"
        assert written, f"{where} was allowed but wrote nothing"
        if row.startswith("transition@"):
            objects["dossier"].refresh_from_db(fields=["status"])
            assert objects["dossier"].status == row.split("@")[1], where
    elif expected == D:
        target = row.split("@")[1]
        page = reverse("evaluation:decide", args=[objects["dossier"].pk, SLUGS[target]])
        assert (response.status_code, response.get("Location")) == (302, page), where
        assert written == 0, f"{where} went to the confirmation page but wrote {written} rows"
    elif expected == NEW:
        assert check(response, R) is None, f"{where}: {check(response, R)}"
        opened = Scorecard.objects.filter(dossier=objects["dossier"], author__username=role)
        assert written == 1 and opened.exists(), f"{where}: wrote {written} rows"
    else:
        problem = check(response, R if expected == X else expected)
        assert problem is None, f"{where}: {problem}"
        assert written == 0, f"{where} was refused but wrote {written} rows"
