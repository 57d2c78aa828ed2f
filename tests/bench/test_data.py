"""The bulk scorecards of `make bench` and the plan its load tools act on."""

from django.test import Client

from bench import data as bench_data
from evaluation.models import Answer, Dossier, Scorecard
from tests.factories import ProductFactory

CARDS = 58  # 12 dossiers, the last with three cards; two rounds of ten dossiers


def bench_cards():
    return Scorecard.objects.filter(dossier__round__in=bench_data.bench_rounds())


def build():
    return bench_data.build_scorecards(CARDS, dossiers_per_round=10)


def test_it_builds_the_cards_asked_for_each_with_answers(db):
    ProductFactory.create_batch(12)
    result = build()
    assert result.cards_created == bench_cards().count() == CARDS
    assert result.dossiers_created == 12
    assert bench_data.bench_rounds().count() == 2
    for card in bench_cards().select_related("dossier"):
        answers = list(Answer.objects.filter(scorecard=card).select_related("option", "criterion"))
        assert answers
        assert card.total == sum(min(a.option.points, a.criterion.max_points) for a in answers)
        if card.dossier.status == Dossier.Status.RECOGNISED:
            assert card.status == Scorecard.Status.SUBMITTED
            assert len(answers) == card.dossier.sheet.criteria.count()
        else:
            assert card.status == Scorecard.Status.DRAFT
    assert bench_cards().filter(status=Scorecard.Status.DRAFT).count() == 10  # dossiers 0, 10


def test_a_second_run_creates_nothing(db):
    ProductFactory.create_batch(12)
    build()
    answers = Answer.objects.count()
    again = build()
    assert (again.councils_created, again.dossiers_created, again.cards_created) == (0, 0, 0)
    assert bench_cards().count() == CARDS
    assert Answer.objects.count() == answers


def test_a_member_of_the_plan_ticks_over_http_and_the_check_finds_the_tick(db):
    ProductFactory.create_batch(12)
    build()
    plan = bench_data.member_plan()
    member = plan["members"][0]
    card = member["cards"][0]
    criterion, options = next(iter(plan["sheets"][card["sheet"]].items()))
    option = next(o for o in options if o != card["answers"].get(criterion))
    client = Client(enforce_csrf_checks=True, HTTP_COOKIE=member["cookie"])
    response = client.post(
        card["url"],
        {"criterion": criterion, "option": option},
        headers={plan["csrf_header"]: member["csrf"]},
    )
    assert response.status_code == 200, response.content
    assert bench_data.check_ticks({card["card"]: {criterion: [option]}})["lost"] == []
    other = next(o for o in options if o != option)
    report = bench_data.check_ticks({card["card"]: {criterion: [other]}})
    assert report["lost"] == [(card["card"], criterion, [other], option)]
    assert report["wrong_totals"] == []


def test_the_public_plan_points_at_pages_that_answer(db):
    ProductFactory.create_batch(3)
    plan = bench_data.public_plan(samples=2)
    assert len(plan["products"]) == 2
    assert plan["pages"] == 1
    client = Client()
    assert client.get(plan["products"][0]).status_code == 200
    assert client.get(plan["certificates"][0]).status_code == 200


def test_the_officials_plan_points_at_pages_each_user_may_open(cast):
    from tests.factories import give_result

    ProductFactory.create_batch(12)
    build()
    Dossier.objects.filter(pk=cast["dossier"].pk).update(status=Dossier.Status.RESULT)
    give_result(cast["dossier"], stars=3, mean="70.00")
    pages = bench_data.officials_plan(
        office=cast["district_office"].username, secretary=cast["secretary"].username
    )
    assert [p["name"] for p in pages] == [
        "dossier list",
        "certificate list",
        "result page",
        "scorecard page",
    ]
    for page in pages:
        response = Client(HTTP_COOKIE=page["cookie"]).get(page["path"])
        assert response.status_code == 200, page["name"]
    # Without those officials (a database the demo did not fill), only the member's page.
    assert [p["name"] for p in bench_data.officials_plan("nobody", "nobody")] == ["scorecard page"]


def test_the_import_file_previews_clean_for_an_administrator(db, people):
    from imports.access import import_scope
    from imports.preview import preview_file

    preview = preview_file(bench_data.import_file(40), "bench.csv", import_scope(people["admin"]))
    assert preview.plan.is_clean, preview.plan.bad_rows[:3]
    assert preview.plan.counts["products_created"] == 40
