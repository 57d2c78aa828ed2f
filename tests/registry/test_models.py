"""Registry models: database constraints and derived fields, on a real database."""

import pytest
from django.db import IntegrityError, transaction

from registry.models import AdministrativeUnit, Product
from tests.factories import ProducerFactory, ProductFactory, commune

pytestmark = pytest.mark.django_db


def test_registration_numbers_are_unique():
    ProducerFactory(registration_number="0101234567")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProducerFactory(registration_number="0101234567")


def test_registration_number_cannot_be_blank():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProducerFactory(registration_number="")


def test_slugs_are_unique_in_the_database():
    ProductFactory(slug="bun-kho")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductFactory(slug="bun-kho")


def test_a_new_product_gets_a_free_slug_from_its_name():
    first = ProductFactory(name="Bún khô Hoài Đức")
    second = ProductFactory(name="Bún khô Hoài Đức")
    assert first.slug == "bun-kho-hoai-duc"
    assert second.slug == "bun-kho-hoai-duc-2"


@pytest.mark.parametrize("stars", [0, 6])
def test_stars_outside_one_to_five_are_refused_by_the_database(stars):
    product = ProductFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(stars=stars)


def test_unit_codes_are_unique_per_level():
    hanoi = AdministrativeUnit.objects.get(level="province", code="01")
    with pytest.raises(IntegrityError), transaction.atomic():
        AdministrativeUnit.objects.create(level="commune", code="00070", name="x", parent=hanoi)
    # The same digits at another level are a different unit.
    AdministrativeUnit.objects.create(level="district", code="70", name="y", parent=hanoi)


def test_only_provinces_may_lack_a_parent():
    with pytest.raises(IntegrityError), transaction.atomic():
        AdministrativeUnit.objects.create(level="commune", code="99999", name="Xã Mồ Côi")


def test_search_text_holds_product_producer_and_places_folded():
    product = ProductFactory(name="Trà sen", producer__name="Công ty Tây Hồ")
    assert "tra sen" in product.search_text
    assert "cong ty tay ho" in product.search_text
    assert "xa hoai duc" in product.search_text
    assert "huyen hoai duc" in product.search_text
    assert "thanh pho ha noi" in product.search_text
    assert "trà sen" in product.search_exact


def test_renaming_a_producer_reindexes_its_products():
    product = ProductFactory(producer__name="Cơ sở Cũ")
    producer = product.producer
    producer.name = "Hợp tác xã Đồng Tâm"
    producer.save()
    product.refresh_from_db()
    assert "hop tac xa dong tam" in product.search_text
    assert "co so cu" not in product.search_text


def test_moving_a_producer_reindexes_the_place():
    product = ProductFactory()
    producer = product.producer
    producer.commune = commune("Xã Bát Tràng")
    producer.save()
    product.refresh_from_db()
    assert "bat trang" in product.search_text


def test_public_shows_only_published_products_of_three_stars_or_more():
    shown = [ProductFactory(stars=s) for s in (3, 4, 5)]
    ProductFactory(stars=2)
    ProductFactory(stars=None)
    ProductFactory(stars=5, is_published=False)
    assert set(Product.objects.public()) == set(shown)


def test_inclusion_point_for_women_minorities_and_disability():
    assert ProducerFactory.build(
        representative_gender="female"
    ).representative_scores_inclusion_point
    assert ProducerFactory.build(
        representative_ethnicity="Mường"
    ).representative_scores_inclusion_point
    assert ProducerFactory.build(representative_disabled=True).representative_scores_inclusion_point
    assert not ProducerFactory.build(
        representative_gender="male", representative_ethnicity="Kinh"
    ).representative_scores_inclusion_point
