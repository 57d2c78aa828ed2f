"""Kept pages are dropped by what changed (core/page_cache.py tags), not all at once: a
council's day of work drops none, a revocation drops exactly the pages that show the
product (its page, its certificate's check, the lists, the statistics, its producer's
other products), and the very next request shows it revoked."""

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from core import page_cache
from core.caching import forget_local
from core.models import PublicChange
from evaluation import certificates
from evaluation.models import Dossier, Target
from registry.models import Product
from tests.factories import (
    ProducerFactory,
    ProductFactory,
    act,
    at_result,
    certificate_of,
    make_council,
    make_round,
    province,
)

pytestmark = pytest.mark.django_db
CATALOGUE = reverse("catalogue:catalogue")
STATISTICS = reverse("evaluation:statistics")


def product_page(product):
    return reverse("catalogue:product", args=[product.slug])


def check_page(product):
    return reverse("evaluation:verify", args=[certificate_of(product).number])


def warm(client, *urls):
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url


def states(client, *urls):
    return {url: client.get(url)["X-Page-Cache"] for url in urls}


@pytest.fixture
def two_products():
    tra = ProductFactory(name="Trà sen Tây Hồ", stars=5)
    mien = ProductFactory(name="Miến dong Minh Hồng", stars=4)  # another producer
    return tra, mien


def test_a_council_at_work_drops_no_kept_page(client, two_products, qd148):
    tra, mien = two_products
    urls = [CATALOGUE, STATISTICS, product_page(tra), check_page(tra), product_page(mien)]
    warm(client, *urls)
    council, _people = make_council()
    round_ = make_round(council, qd148)
    dossier = at_result(
        round_,
        Product.objects.create(name="Bánh", producer=tra.producer, product_set=tra.product_set),
        4,
        "75",
    )
    dossier.status = Dossier.Status.SCORING
    dossier.save()
    dossier.result.mean = 76
    dossier.result.save()
    Target.objects.create(
        name="Năm 2026",
        metric=Target.Metric.CERTIFIED,
        unit=province("01"),
        value=10,
        deadline=date(2026, 12, 31),
    )
    assert set(states(client, *urls).values()) == {"hit"}


def test_a_draft_product_edited_drops_no_kept_page(client, two_products):
    tra, _mien = two_products
    draft = ProductFactory(name="Dưa lưới", producer=tra.producer, stars=None, certified=False)
    urls = [CATALOGUE, STATISTICS, product_page(tra)]
    warm(client, *urls)
    draft.name = "Dưa lưới Thư Lâm"
    draft.save()
    assert set(states(client, *urls).values()) == {"hit"}


def test_a_revocation_drops_exactly_the_pages_that_show_the_product(client, two_products, people):
    tra, mien = two_products
    sibling = ProductFactory(name="Trà sen bách diệp", producer=tra.producer, stars=4)
    touched = [CATALOGUE, STATISTICS, product_page(tra), check_page(tra), product_page(sibling)]
    untouched = [product_page(mien), check_page(mien)]
    warm(client, *touched, *untouched)
    certificates.revoke(
        certificate_of(tra),
        ground=certificate_of(tra).Ground.choices[0][0],
        inspection_reference="KL-07/2026",
        concluded_on=timezone.localdate(),
        actor=people["inspector"],
        act=act(),
    )
    # The very next request, in any worker: the version is read from the database.
    verdict = client.get(touched[3])
    assert verdict["X-Page-Cache"] == "miss"
    assert 'class="alert alert-danger" id="verdict"' in verdict.content.decode()
    assert client.get(product_page(tra)).status_code == 404
    catalogue = client.get(CATALOGUE)
    assert catalogue["X-Page-Cache"] == "miss"
    assert "Trà sen Tây Hồ" not in catalogue.content.decode()
    assert states(client, STATISTICS, product_page(sibling)) == {
        STATISTICS: "miss",
        product_page(sibling): "miss",
    }
    assert set(states(client, *untouched).values()) == {"hit"}


def test_a_product_renamed_drops_its_page_and_the_lists_not_the_others(client, two_products):
    tra, mien = two_products
    warm(client, CATALOGUE, product_page(tra), product_page(mien))
    tra.name = "Trà sen Tây Hồ thượng hạng"
    tra.save()
    assert states(client, CATALOGUE, product_page(tra), product_page(mien)) == {
        CATALOGUE: "miss",
        product_page(tra): "miss",
        product_page(mien): "hit",
    }
    assert "thượng hạng" in client.get(product_page(tra)).content.decode()


def test_a_producer_renamed_drops_its_products_pages(client, two_products):
    tra, mien = two_products
    warm(client, product_page(tra), check_page(tra), product_page(mien))
    producer = tra.producer
    producer.name = "HTX Trà Quảng An"
    producer.save()
    assert states(client, product_page(tra), check_page(tra), product_page(mien)) == {
        product_page(tra): "miss",
        check_page(tra): "miss",
        product_page(mien): "hit",
    }


def test_a_change_to_places_drops_every_page(client, two_products):
    tra, mien = two_products
    urls = [CATALOGUE, product_page(tra), product_page(mien)]
    warm(client, *urls)
    unit = tra.producer.commune
    unit.name = unit.name + " "
    unit.save()
    assert set(states(client, *urls).values()) == {"miss"}


def test_the_versions_are_never_in_the_cache(client, two_products, people):
    """The page store holds pages only; versions live in the database, so no eviction,
    cull or cache restart can bring back a page made before a revocation."""
    tra, _mien = two_products
    check = check_page(tra)
    warm(client, CATALOGUE, check)
    # Evict everything but the kept pages themselves (the worst a cull could do).
    kept = {k: v for k, v in cache._cache.items() if ":public-page:" in k}
    expiry = {k: cache._expire_info[k] for k in kept}
    assert kept
    cache.clear()
    forget_local()  # and what this process keeps (core/caching.py)
    cache._cache.update(kept)
    cache._expire_info.update(expiry)
    assert client.get(check)["X-Page-Cache"] == "hit"
    certificates.revoke(
        certificate_of(tra),
        ground=certificate_of(tra).Ground.choices[0][0],
        inspection_reference="KL-08/2026",
        concluded_on=timezone.localdate(),
        actor=people["inspector"],
        act=act(),
    )
    verdict = client.get(check)
    assert 'id="verdict"' in verdict.content.decode() and "alert-danger" in verdict.content.decode()


def test_pruning_keeps_each_tags_latest_change(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page_cache.changed(page_cache.product_tag(1))
        for _ in range(3):
            page_cache.changed(page_cache.LISTS)
    product_version = page_cache.version(page_cache.product_tag(1))
    page_cache.prune()
    assert page_cache.version(page_cache.product_tag(1)) == product_version
    assert PublicChange.objects.filter(tag=page_cache.LISTS).count() == 1


def test_a_page_kept_by_the_previous_release_is_dropped_by_any_change(client, two_products):
    tra, _mien = two_products
    warm(client, product_page(tra))
    for key in list(cache._cache):
        if ":public-page:" in key:
            value = cache.get(key.split(":", 2)[2])
            value.pop("tags")
            cache.set(key.split(":", 2)[2], value)
    assert client.get(product_page(tra))["X-Page-Cache"] == "hit"
    ProducerFactory()  # no public product: says nothing
    page_cache.changed()
    assert client.get(product_page(tra))["X-Page-Cache"] == "miss"


def test_no_page_kept_before_a_restore_is_served_after_it(client, two_products, tmp_path):
    """A restore brings back a backup's change ids, lower than the pages kept since: the
    restore renumbers past them, so every page is made again from the restored data."""
    from backups.backing_up import backup
    from backups.restoring import restore

    tra, _mien = two_products
    summary = backup(tmp_path / "site.tar.gz")
    tra.name = "Trà sen đổi tên sau sao lưu"
    tra.save()
    for n in range(5):
        page_cache.changed(page_cache.product_tag(10_000 + n))
    warm(client, CATALOGUE, product_page(tra))
    assert "đổi tên sau sao lưu" in client.get(CATALOGUE).content.decode()
    before = int(page_cache.version())
    restore(summary.path, force=True)
    # Whatever the restored rows say, "every page" changed after every page kept before.
    assert int(page_cache.version(page_cache.ALL)) > before
    # Changes elsewhere after the restore carry the ids past the kept pages' versions.
    for n in range(40):
        page_cache.changed(page_cache.product_tag(20_000 + n))
    page = client.get(CATALOGUE)
    assert page["X-Page-Cache"] == "miss"
    assert "đổi tên sau sao lưu" not in page.content.decode()
    assert "Trà sen Tây Hồ" in client.get(product_page(tra)).content.decode()
