"""A catalogue page made for a new address takes the cards other pages made already
(catalogue/cards.py: kept per public data version, address prefix and product; their
markup per language and card), and never shows a card older than the data: every change
a card shows moves the version. A signed-in visitor's page reads its rows each time."""

import pytest
from django.urls import reverse
from django.utils import translation

from catalogue import cards
from catalogue.cards import Card, html
from core.caching import LocalStore
from registry.models import ProductPhoto
from tests.factories import ProducerFactory, ProductFactory, image_upload

pytestmark = pytest.mark.django_db
URL = reverse("catalogue:catalogue")


@pytest.fixture
def listed():
    producer = ProducerFactory(name="HTX Trà Tân Cương")
    return [ProductFactory(producer=producer, name=f"Trà búp {n}") for n in range(5)]


@pytest.fixture
def visit(client, monkeypatch):
    """visit(**params) -> the catalogue's HTML at that address, and how many times its
    cards' rows were read from the database: a spy on the cards' query, which runs it
    (on PostgreSQL a prepared statement, whose text names no table)."""
    reads = []
    rows = cards._BY_IDS.rows

    def counted(*args, **kwargs):
        reads.append(args)
        return rows(*args, **kwargs)

    monkeypatch.setattr(cards._BY_IDS, "rows", counted)

    def go(**params):
        before = len(reads)
        html = client.get(URL, params).content.decode()
        return html, len(reads) - before

    return go


def test_a_new_address_takes_the_cards_made_before(visit, listed):
    html, reads = visit(a=1)
    assert reads == 1 and "Trà búp 4" in html
    # Another filter, a search, a sort: the same products' cards, no read.
    for params in ({"a": 2}, {"stars": "4"}, {"q": "tra bup"}, {"sort": "stars"}):
        html, reads = visit(**params)
        assert reads == 0, params
        assert "Trà búp 4" in html and "HTX Trà Tân Cương" in html


@pytest.mark.parametrize(
    "change",
    ["product name", "producer name", "first photo", "stars"],
)
def test_a_change_a_card_shows_is_on_the_next_page(visit, listed, change):
    visit(a=1)
    product = listed[2]
    if change == "product name":
        product.name = "Trà móc câu"
        product.save()
        expected = ">Trà móc câu<"
    elif change == "producer name":
        product.producer.name = "HTX Chè Đại Từ"
        product.producer.save()
        expected = "HTX Chè Đại Từ"
    elif change == "first photo":
        photo = ProductPhoto.objects.create(product=product, image=image_upload(size=(64, 48)))
        expected = photo.thumbnail.url
    else:
        product.stars = 5
        product.save()
        expected = 'aria-label="5 sao"'
    html, reads = visit(a=2)
    assert reads == 1  # the version moved: read again
    assert expected in html


def test_a_product_leaving_the_public_leaves_the_next_page(visit, listed):
    visit(a=1)
    listed[0].is_published = False
    listed[0].save()
    html, _reads = visit(a=2)
    assert "Trà búp 0" not in html and "Trà búp 1" in html


def test_each_language_has_its_own_addresses_and_labels(visit, client, listed):
    vietnamese, _ = visit(a=1)
    with translation.override("en"):
        english = client.get(reverse("catalogue:catalogue"), {"a": 2}).content.decode()
    again, reads = visit(a=3)
    slug = listed[1].slug
    assert f'href="/san-pham/{slug}/"' in vietnamese and 'aria-label="4 sao"' in vietnamese
    assert f'href="/en/san-pham/{slug}/"' in english and 'aria-label="4 stars"' in english
    assert 'aria-label="4 stars"' not in again and f'href="/san-pham/{slug}/"' in again
    assert reads == 0


def test_a_signed_in_visitor_reads_the_rows(visit, client, listed, django_user_model):
    visit(a=1)
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    for n in (2, 3):
        html, reads = visit(a=n)
        assert reads == 1 and "Trà búp 3" in html


def test_a_local_store_keeps_the_latest_entries_only():
    store = LocalStore(entries=3)
    store.set_many({1: "a", 2: "b", 3: "c"})
    assert store.get_many([1]) == {1: "a"}  # read: now the latest
    store.set_many({4: "d"})
    assert len(store) == 3
    assert store.get_many([1, 2, 3, 4]) == {1: "a", 3: "c", 4: "d"}  # 2 was the oldest
    store.clear()
    assert store.get_many([1, 3, 4]) == {}


def test_one_card_is_drawn_in_each_language():
    # The same card (the same address) in two languages: the stars' label differs.
    card = Card(
        pk=1, name="Trà", url="/san-pham/tra/", stars=4, producer="", place="", thumbnail=""
    )
    with translation.override("vi"):
        assert 'aria-label="4 sao"' in html([card])
    with translation.override("en"):
        assert 'aria-label="4 stars"' in html([card])
    with translation.override("vi"):
        assert 'aria-label="4 sao"' in html([card])
