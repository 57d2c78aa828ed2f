"""Loading a further sheet file through the admin: same validation as the command."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation import scoring
from evaluation.models import Council, CouncilResult, Criterion, Rulebook, Sheet
from evaluation.sheetfile import RULEBOOKS_DIR

pytestmark = pytest.mark.django_db
URL = reverse("admin:evaluation_rulebook_load_sheet")


#: The shipped Decision 148 set-1 sheet, read once: the uploads are copies of it.
SET1 = (RULEBOOKS_DIR / "qd148-2023" / "sheets" / "set-01.json").read_text(encoding="utf-8")


def sheet_json(**changes):
    data = json.loads(SET1)
    data.update(changes)
    return data


def upload(data):
    raw = json.dumps(data, ensure_ascii=False).encode()
    return SimpleUploadedFile("set-02.json", raw, content_type="application/json")


@pytest.fixture
def as_admin(as_user, people):
    return as_user(people["admin"])


def test_an_administrator_loads_a_further_sheet(as_admin):
    rulebook = Rulebook.objects.get(code="qd148-2023")
    response = as_admin.post(
        URL, {"rulebook": rulebook.pk, "file": upload(sheet_json(product_set=2))}
    )
    assert response.status_code == 302
    sheet = Sheet.objects.get(rulebook=rulebook, product_set__number=2)
    assert sheet.criteria.count() == 32


def test_a_broken_sheet_is_refused_naming_the_criterion_and_nothing_is_written(as_admin):
    data = sheet_json(product_set=2)
    data["parts"][0]["sections"][0]["criteria"][0]["max_points"] = 9
    rulebook = Rulebook.objects.get(code="qd148-2023")
    response = as_admin.post(URL, {"rulebook": rulebook.pk, "file": upload(data)})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert "Nguồn gốc sản phẩm" in errors
    assert not Sheet.objects.filter(rulebook=rulebook, product_set__number=2).exists()


def test_not_json_is_refused_with_a_message(as_admin):
    rulebook = Rulebook.objects.get(code="qd148-2023")
    bad = SimpleUploadedFile("x.json", b"\x89PNG not json")
    response = as_admin.post(URL, {"rulebook": rulebook.pk, "file": bad})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_staff_who_are_not_superusers_cannot_load_sheets(client, django_user_model):
    staff = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(staff)
    response = client.post(URL, {})
    assert response.status_code == 302
    assert Sheet.objects.count() == 27


# ---------------------------------------------------------------- councils' operating rules
def council_form(response, **changes) -> dict:
    """The admin's change form of a council as the page shows it, with `changes`."""
    form = response.context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for sub in formset.forms:
            for name in sub.fields:
                value = sub.instance.pk if name == "id" else sub.initial.get(name)
                if value is True:
                    data[sub.add_prefix(name)] = "on"
                elif value not in (None, False):
                    data[sub.add_prefix(name)] = getattr(value, "pk", value)
    data.update(changes)
    return {k: ("" if v is None else v) for k, v in data.items()}


def test_the_council_admin_edits_the_operating_rules_and_recomputes(as_admin, cast):
    council, people = cast["council"], cast
    for key in ("chair", "member1", "member2", "member3"):
        card = scoring.member_card(cast["dossier"], people[key])
        for criterion in Criterion.objects.filter(sheet=cast["dossier"].sheet):
            options = list(criterion.options.order_by("points"))
            pick = (
                options[0]
                if criterion.code == "2.a" and key in ("member2", "member3")
                else options[-1]
            )
            card = scoring.tick(card, criterion.pk, pick.pk, people[key])
        scoring.submit(card, people[key])
    assert cast["dossier"].result.stars == 3  # 2 of 4 meet 2.a's 4★ minimum: a tie fails

    url = reverse("admin:evaluation_council_change", args=[council.pk])
    page = as_admin.get(url)
    body = page.content.decode()
    for field in ("chair_rule", "minimum_rule", "spread_rule", "quorum_ratio", "spread_limit"):
        assert f'name="{field}"' in body
    response = as_admin.post(url, council_form(page, minimum_rule="half_or_more"), follow=True)

    assert response.status_code == 200
    council.refresh_from_db()
    assert council.minimum_rule == "half_or_more"
    result = CouncilResult.objects.get(dossier=cast["dossier"])
    assert result.stars == 5
    assert result.history.first().history_user == people["admin"]
    assert council.history.first().history_user == people["admin"]


def test_every_choice_of_each_rule_is_offered(as_admin, cast):
    body = as_admin.get(
        reverse("admin:evaluation_council_change", args=[cast["council"].pk])
    ).content.decode()
    for choices in (Council.MinimumRule, Council.ChairRule, Council.SpreadRule):
        for value in choices.values:
            assert f'value="{value}"' in body
