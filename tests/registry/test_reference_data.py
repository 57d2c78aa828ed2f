"""Administrative units and product sets: counts, codes, idempotence."""

import pytest
from django.core.management import call_command

from registry.models import AdministrativeUnit, ProductGroup, ProductSet
from registry.reference_data import (
    HISTORICAL_MARK,
    all_units,
    former_hanoi_districts,
    load_units,
)

pytestmark = pytest.mark.django_db


def test_today_there_are_34_provinces_and_their_communes():
    assert AdministrativeUnit.objects.provinces().count() == 34
    assert AdministrativeUnit.objects.communes().current().count() == 3321
    hanoi = AdministrativeUnit.objects.get(level="province", code="01")
    assert hanoi.name == "Thành phố Hà Nội"
    # The communes of before 2025 hang under their district, not under the province.
    assert hanoi.children.filter(level="commune").count() == 126


def test_hanoi_keeps_its_30_former_districts_with_official_codes():
    districts = AdministrativeUnit.objects.districts().filter(parent__code="01")
    assert districts.count() == 30
    hoai_duc = districts.get(code="274")
    assert hoai_duc.name == "Huyện Hoài Đức"
    assert hoai_duc.parent.code == "01"
    assert str(hoai_duc.abolished_on) == "2025-07-01"


def test_loading_units_twice_changes_nothing():
    before = AdministrativeUnit.objects.count()
    result = load_units(all_units())
    assert result == {"created": 0, "updated": 0, "total": before}
    assert AdministrativeUnit.objects.count() == before


def test_loading_units_corrects_a_renamed_unit():
    unit = AdministrativeUnit.objects.get(level="district", code="274")
    unit.name = "Tên sai"
    unit.save()
    result = load_units(former_hanoi_districts())
    unit.refresh_from_db()
    assert unit.name == "Huyện Hoài Đức"
    assert result["updated"] == 1


def test_load_units_command_reports_counts(capsys):
    call_command("load_units")
    assert "14086 in the source, 0 created, 0 updated" in capsys.readouterr().out


def test_six_groups_and_twenty_six_sets():
    assert ProductGroup.objects.count() == 6
    assert ProductSet.objects.count() == 26
    assert ProductSet.objects.get(number=1).name == "Rau, củ, quả, hạt tươi"
    assert ProductSet.objects.get(number=26).group.code == "VI"


def test_every_province_keeps_its_districts_and_communes_of_before_2025():
    """696 districts of the 63 provinces, under the province that holds them today, and
    10,035 communes under their district; the old GSO code is kept, marked."""
    old = AdministrativeUnit.objects.exclude(abolished_on=None)
    assert old.districts().count() == 696
    assert old.communes().count() == 10035
    assert not AdministrativeUnit.objects.provinces().exclude(abolished_on=None).exists()
    cau_ke = AdministrativeUnit.objects.get(code=HISTORICAL_MARK + "29308")
    assert (cau_ke.name, cau_ke.division_type) == ("Thị trấn Cầu Kè", "thị trấn")
    assert cau_ke.parent.name == "Huyện Cầu Kè"
    assert cau_ke.parent.parent.name == "Vĩnh Long"  # Trà Vinh merged into Vĩnh Long
    assert str(cau_ke.abolished_on) == "2025-07-01"
    # Today's commune of the same GSO code is another unit.
    assert AdministrativeUnit.objects.get(level="commune", code="29308").name == "Xã Cầu Kè"
