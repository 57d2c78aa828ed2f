"""The dossier's audit trail told in sentences (evaluation.audit): people by their names,
options by their words and points, statuses and fields in the reader's language; never a
login, a stored dict or a raw status value; each day a collapsible group."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from evaluation import audit, scoring
from evaluation.access import dossier_access
from evaluation.models import Option

pytestmark = pytest.mark.django_db


def name(user, full):
    family, _sep, given = full.rpartition(" ")
    user.first_name, user.last_name = family, given
    user.save(update_fields=["first_name", "last_name"])
    return user


@pytest.fixture
def worked(cast):
    """member1 (Phạm Thu Hà) ticks the first criterion twice and flags a rejection clause
    then withdraws it; member2 (Lê Văn Nam) ticks; the secretary (Đỗ Thị Lan) is named."""
    hà = name(cast["member1"], "Phạm Thu Hà")
    nam = name(cast["member2"], "Lê Văn Nam")
    name(cast["secretary"], "Đỗ Thị Lan")
    criterion = cast["criterion"]
    best, second = list(Option.objects.filter(criterion=criterion).order_by("-points"))[:2]
    card = scoring.member_card(cast["dossier"], hà)
    scoring.tick(card, criterion.pk, second.pk, hà)
    scoring.tick(card, criterion.pk, best.pk, hà)
    scoring.flag_rejection(card, 0, True, hà)
    scoring.flag_rejection(card, 0, False, hà)
    other = scoring.member_card(cast["dossier"], nam)
    scoring.tick(other, criterion.pk, second.pk, nam)
    return {**cast, "best": best, "second": second, "hà": hà, "nam": nam}


def label(status, language="vi"):
    from evaluation.models import Dossier

    with translation.override(language):
        return str(Dossier.Status(status).label)


def sentences(user, dossier, language="vi"):
    with translation.override(language):
        return [e.sentence for e in audit.timeline(dossier, dossier_access(user, dossier.pk))]


def test_a_tick_is_said_with_the_members_name_the_option_and_its_points(worked):
    said = sentences(worked["secretary"], worked["dossier"])
    where = worked["criterion"].where
    best, second = worked["best"], worked["second"]
    assert (
        f"Phạm Thu Hà chọn “{best.text[:80]}" in " ".join(said)
        or f"Phạm Thu Hà chọn “{' '.join(best.text.split())}” ({best.points} điểm) "
        f"cho tiêu chí {where}"
        in " ".join(said)
    )
    changed = [s for s in said if "thay cho" in s]
    assert len(changed) == 1
    assert f"({best.points} điểm) cho tiêu chí {where}, thay cho" in changed[0]
    assert f"({second.points} điểm)" in changed[0]
    assert any(
        s.startswith("Phạm Thu Hà xác định sản phẩm thuộc trường hợp loại số 1") for s in said
    )
    assert any(s.startswith("Phạm Thu Hà bỏ đánh dấu trường hợp loại số 1") for s in said)


def test_the_same_trail_in_english(worked):
    said = sentences(worked["secretary"], worked["dossier"], "en")
    where = worked["criterion"].where
    assert any(
        s.startswith("Phạm Thu Hà chose “") and f"points) for criterion {where}, instead of" in s
        for s in said
    )
    assert any(s.startswith("Lê Văn Nam chose “") for s in said)


def test_no_login_and_no_stored_value_reaches_the_page(as_user, worked):
    worked["dossier"].refresh_from_db()
    body = as_user(worked["secretary"]).get(
        reverse("evaluation:dossier", kwargs={"pk": worked["dossier"].pk})
    )
    page = html.unescape(body.content.decode())
    trail = page[page.index('id="audit"') :]
    trail = trail[: trail.index("</section>")]
    assert "Phạm Thu Hà chọn" in trail
    for login in ("member1", "member2", "secretary"):
        assert login not in trail
    assert not re.search(r"\{'|\{\"|'option':|\"option\":", trail)
    assert "<details" in trail and " open" in trail  # the latest day is open


def test_submission_and_reopening_are_said_with_both_names(worked):
    card = scoring.member_card(worked["dossier"], worked["hà"])
    card.refresh_from_db()
    # Answer every criterion with its first option, then submit, then the secretary reopens.
    for criterion in worked["sheet"].criteria.all():
        option = criterion.options.order_by("position").first()
        scoring.tick(card, criterion.pk, option.pk, worked["hà"])
    scoring.submit(card, worked["hà"])
    scoring.reopen(card, worked["secretary"], "Thiếu minh chứng cho tiêu chí A.1")
    said = sentences(worked["secretary"], worked["dossier"])
    assert any(s.startswith("Phạm Thu Hà nộp phiếu chấm của mình: tổng cộng") for s in said)
    assert "Đỗ Thị Lan mở lại phiếu chấm của Phạm Thu Hà để chấm lại." in said
    entries = audit.timeline(
        worked["dossier"], dossier_access(worked["secretary"], worked["dossier"].pk)
    )
    assert any(e.note == "Thiếu minh chứng cho tiêu chí A.1" for e in entries)


def test_a_member_still_scoring_reads_only_their_own_card(worked):
    """Independence: the trail shows member2 nothing of member1's card, nor the reverse."""
    said = " ".join(sentences(worked["nam"], worked["dossier"]))
    assert "Lê Văn Nam chọn" in said
    assert "Phạm Thu Hà" not in said


def test_status_moves_read_as_sentences_in_the_interface_language(cast):
    from evaluation.models import Dossier
    from evaluation.workflow import transition
    from tests.factories import make_dossier

    name(cast["secretary"], "Đỗ Thị Lan")
    dossier = make_dossier(cast["round"], Dossier.Status.SUBMITTED)
    transition(dossier, Dossier.Status.CHECKED, cast["secretary"], "")
    vi, en = sentences(cast["secretary"], dossier), sentences(cast["secretary"], dossier, "en")
    old, new = label("submitted"), label("checked")
    assert vi == [f"Đỗ Thị Lan chuyển hồ sơ từ “{old}” sang “{new}”."]
    old, new = label("submitted", "en"), label("checked", "en")
    assert en == [f"Đỗ Thị Lan moved the dossier from “{old}” to “{new}”."]
    assert vi != en


def test_certificate_issue_and_revocation_are_said(worked, django_user_model):
    from evaluation.certificates import legacy_certificate

    product = worked["product"]
    product.stars = 4
    product.save()
    from django.utils import timezone

    certificate = legacy_certificate(product, number="HN-2026-0001", issued_on=timezone.localdate())
    certificate.dossier = worked["dossier"]
    certificate.save()
    said = sentences(worked["secretary"], worked["dossier"])
    issued = [s for s in said if "HN-2026-0001" in s]
    assert issued and "cấp giấy chứng nhận số HN-2026-0001: 4 sao, hiệu lực từ" in issued[0]
    assert re.search(r"từ \d\d/\d\d/\d{4} đến \d\d/\d\d/\d{4}", issued[0])
    certificate.stars = 5
    certificate.save()
    said = sentences(worked["secretary"], worked["dossier"])
    assert any(
        "thay đổi giấy chứng nhận số HN-2026-0001" in s and "từ “4” thành “5”" in s for s in said
    )
