"""The catalogue's cards (plain rows, one loop) and facets (kept choice lists, no crispy)
print what the per-card include and crispy printed, and the card's markup is pinned.

The "before" side is rendered here the old way, from the same data: crispy's
`as_crispy_field` for each facet, and the old card template included once per product
model instance. Whitespace between and around tags is the only difference allowed.
"""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.filters import CatalogueFilter
from core.caching import forget_local
from registry.models import AdministrativeUnit, Product, ProductPhoto
from tests.factories import ProducerFactory, ProductFactory, district, image_upload

pytestmark = pytest.mark.django_db
URL = reverse("catalogue:catalogue")

# The card as templates/includes/product_card.html drew it, once per model instance.
OLD_CARD = """{% load i18n site_tags %}
<div class="card h-100 product-card">
  {% with photo=product.photos.all|first %}
    {% if photo and photo.thumbnail %}
      <img src="{{ photo.thumbnail.url }}" class="card-img-top" alt="{{ product.name }}" loading="lazy" width="480" height="360">
    {% else %}
      <div class="card-img-top placeholder-img" aria-hidden="true"></div>
    {% endif %}
  {% endwith %}
  <div class="card-body">
    <div class="mb-1">{% stars product.stars %}</div>
    <h2 class="h6 card-title"><a class="stretched-link text-decoration-none" href="{% url 'catalogue:product' product.slug %}">{{ product.name }}</a></h2>
    <p class="card-text small text-muted mb-0">{{ product.producer.name }}</p>
    <p class="card-text small text-muted">{{ product.producer.commune.name }}{% if product.producer.district %}, {{ product.producer.district.name }}{% endif %}, {{ product.producer.commune.parent.name }}</p>
  </div>
</div>"""  # noqa: E501
OLD_FACETS = """{% load crispy_forms_tags %}{% for field in filter.form %}{% if field.name != "q" %}{{ field|as_crispy_field }}{% endif %}{% endfor %}"""  # noqa: E501


def squeeze(html: str) -> str:
    html = re.sub(r"\s+", " ", html)
    return re.sub(r"\s*(<|>)\s*", r"\1", html).strip()


def between(html: str, start: str, end: str) -> str:
    """From `start` (included) to the next `end` (left out)."""
    i = html.index(start)
    return html[i : html.index(end, i)]


def results(html: str) -> str:
    """The cards of the catalogue's results, without their row."""
    return squeeze(between(html, 'id="results">', '<div class="mt-4">'))[len('id="results">') :]


@pytest.fixture
def catalogue_data():
    with_district = ProducerFactory(name='HTX "Một" & <Hai>')
    without_district = ProducerFactory(name="Cơ sở Hai", district=None)
    for n in range(30):
        product = ProductFactory(
            producer=(with_district, without_district)[n % 2],
            stars=3 + n % 3,
            name=f"Trà số {n:02d} <ngon>",
        )
        if n % 3 == 0:
            ProductPhoto.objects.create(product=product, image=image_upload(size=(64, 48)))
        if n == 3:  # a first photo without a thumbnail shows the placeholder, as before
            ProductPhoto.objects.filter(product=product).update(thumbnail="")
    return AdministrativeUnit.objects.get(level="province", code="01")


def old_cards(products) -> str:
    card = Template(OLD_CARD)
    return "".join(
        f'<div class="col">{card.render(Context({"product": p}))}</div>' for p in products
    )


PAGES = [
    {},
    {"page": "2"},
    {"stars": "4", "province": "HANOI", "sort": "stars"},
    {"stars": "9"},  # invalid: the error is shown under the select, every product listed
    {"q": "tra so 1", "sort": "newest"},
    {"province": "HANOI", "district": "DISTRICT", "commune": "999999"},
]


@pytest.mark.parametrize("params", PAGES)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_catalogue_prints_what_the_includes_and_crispy_printed(
    client, catalogue_data, params, language
):
    from django.utils import translation

    hanoi = catalogue_data
    swap = {"HANOI": str(hanoi.pk), "DISTRICT": str(district("274").pk)}
    params = {k: swap.get(v, v) for k, v in params.items()}
    with translation.override(language):
        response = client.get(reverse("catalogue:catalogue"), params)
        html = response.content.decode()
        filterset = CatalogueFilter(
            response.wsgi_request.GET or None, queryset=Product.objects.public()
        )
        if filterset.is_bound:
            filterset.is_valid()
        facets = Template(OLD_FACETS).render(Context({"filter": filterset}))
        # The same products as model instances, as the old page had them (names are unique).
        shown = [card.name for card in response.context["page"].object_list]
        by_name = {p.name: p for p in Product.objects.for_catalogue().filter(name__in=shown)}
        cards = old_cards([by_name[name] for name in shown])
    assert response.status_code == 200
    facets_shown = between(html, '<div id="div_id_stars"', '<div class="d-flex gap-2">')
    assert squeeze(facets_shown) == squeeze(facets)
    assert shown, "every page of this data set lists products"
    assert results(html) == squeeze(cards) + "</div>"


def test_sibling_cards_on_a_product_page_are_the_catalogue_cards(client, catalogue_data):
    product = Product.objects.get(name="Trà số 00 <ngon>")
    html = client.get(reverse("catalogue:product", args=[product.slug])).content.decode()
    siblings = (
        Product.objects.public()
        .for_catalogue()
        .filter(producer_id=product.producer_id)
        .exclude(pk=product.pk)
        .order_by("-stars", "name")[:8]
    )
    shown = between(html, '<div class="row row-cols-2 row-cols-md-4 g-3">', "</section>")
    assert squeeze(shown) == squeeze(
        '<div class="row row-cols-2 row-cols-md-4 g-3">' + old_cards(siblings) + "</div>"
    )


def test_the_card_markup_is_pinned(client, catalogue_data):
    response = client.get(URL, {"q": "tra so 00"})
    product = Product.objects.get(name="Trà số 00 <ngon>")
    thumbnail = ProductPhoto.objects.get(product=product).thumbnail.url
    assert results(response.content.decode()) == squeeze(
        f"""<div class="col"><div class="card h-100 product-card">
        <img src="{thumbnail}" class="card-img-top" alt="Trà số 00 &lt;ngon&gt;" loading="lazy" width="480" height="360">
        <div class="card-body">
        <div class="mb-1"><span class="stars" aria-label="3 sao" title="3 sao">★★★<span class="star-off">★</span><span class="star-off">★</span></span></div>
        <h2 class="h6 card-title"><a class="stretched-link text-decoration-none" href="/san-pham/{product.slug}/">Trà số 00 &lt;ngon&gt;</a></h2>
        <p class="card-text small text-muted mb-0">HTX &quot;Một&quot; &amp; &lt;Hai&gt;</p>
        <p class="card-text small text-muted">Xã Hoài Đức, Huyện Hoài Đức, Thành phố Hà Nội</p>
        </div></div></div></div>"""  # noqa: E501
    )
    # Without a district and without a photo: the placeholder, commune and province only.
    response = client.get(URL, {"q": "tra so 01"})
    shown = results(response.content.decode())
    assert '<div class="card-img-top placeholder-img" aria-hidden="true"></div>' in shown
    assert '<p class="card-text small text-muted">Xã Hoài Đức, Thành phố Hà Nội</p>' in shown


def test_facet_choices_are_kept_until_a_public_list_changes(client, catalogue_data):
    cache.clear()
    forget_local()  # and what this process keeps (core/caching.py)
    client.get(URL, {"stars": "4"})
    with CaptureQueriesContext(connection) as again:
        client.get(URL, {"stars": "5", "sort": "stars"})
    tables = [
        q["sql"].split(" FROM ", 1)[1].split()[0]
        for q in again.captured_queries
        if " FROM " in q["sql"]
    ]
    # The group, product set, province and district lists are not read again.
    assert not {
        '"registry_productgroup"',
        '"registry_productset"',
        '"registry_administrativeunit"',
    } & set(tables), tables
    # A product certified in a district no producer named yet: its district is listed at once.
    ProductFactory(producer=ProducerFactory(district=district("017")), stars=4)
    html = client.get(URL, {"stars": "5"}).content.decode()
    assert f'<option value="{district("017").pk}">{district("017").name}</option>' in html
