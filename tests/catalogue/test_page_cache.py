"""Public pages kept for anonymous visitors: served with one query (the public data
version, which lives in the database), and never once the data behind them has changed."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import page_cache
from evaluation import certificates
from registry.models import Product
from tests.factories import ProductFactory, act, certificate_of, make_user

pytestmark = pytest.mark.django_db
CATALOGUE = reverse("catalogue:catalogue")


def get(client, url, **extra):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    return response, len(ctx.captured_queries)


def test_a_second_anonymous_visit_is_served_from_the_cache_with_one_query(client):
    product = ProductFactory(name="Trà sen Tây Hồ", stars=5)
    first, first_queries = get(client, CATALOGUE)
    second, second_queries = get(client, CATALOGUE)
    assert first["X-Page-Cache"] == "miss" and first_queries > 0
    assert second["X-Page-Cache"] == "hit" and second_queries == 1  # the data version
    assert second.content == first.content
    assert product.name in second.content.decode()
    # Served again with the headers the middleware adds to every answer.
    assert "default-src 'self'" in second["Content-Security-Policy"]
    assert second["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "url",
    [
        "/?q=tra+sen",
        "/en/",
        reverse("evaluation:statistics"),
        reverse("catalogue:sales_points"),
        reverse("evaluation:verify_form"),
    ],
)
def test_every_public_page_is_kept(client, url):
    ProductFactory(name="Trà sen Tây Hồ", stars=5)
    assert get(client, url)[0]["X-Page-Cache"] == "miss"
    response, queries = get(client, url)
    assert (response.status_code, response["X-Page-Cache"], queries) == (200, "hit", 1)


def test_a_revoked_certificate_leaves_the_kept_pages_at_once(client, people):
    product = ProductFactory(name="Trà sen Tây Hồ", stars=5)
    page = reverse("catalogue:product", args=[product.slug])
    check = reverse("evaluation:verify", args=[certificate_of(product).number])
    for url in (CATALOGUE, page, check):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
    certificates.revoke(
        certificate_of(product),
        ground=certificate_of(product).Ground.choices[0][0],
        inspection_reference="KL-01/2026",
        concluded_on=timezone.localdate(),
        actor=people["inspector"],
        act=act(),
    )
    assert "Trà sen Tây Hồ" not in client.get(CATALOGUE).content.decode()
    assert client.get(page).status_code == 404
    verdict = client.get(check)
    assert verdict["X-Page-Cache"] == "miss"
    assert 'class="alert alert-danger" id="verdict"' in verdict.content.decode()


def test_a_new_product_appears_on_the_next_visit(client):
    client.get(CATALOGUE)
    ProductFactory(name="Gốm Bát Tràng men lam", stars=4)
    response = client.get(CATALOGUE)
    assert response["X-Page-Cache"] == "miss"
    assert "Gốm Bát Tràng men lam" in response.content.decode()


def test_an_unknown_certificate_is_kept_as_unknown_until_it_exists(client):
    url = reverse("evaluation:verify", args=["OCOP-01-2026-X00001"])
    assert client.get(url).status_code == 404
    assert client.get(url)["X-Page-Cache"] == "hit"
    certificate = certificate_of(ProductFactory(name="Mật ong Ba Vì", stars=4))
    certificate.number = "OCOP-01-2026-X00001"
    certificate.save()
    assert client.get(url).status_code == 200


def test_an_unpublished_product_appears_once_published(client):
    product = ProductFactory(name="Mật ong Ba Vì", stars=4, is_published=False)
    url = reverse("catalogue:product", args=[product.slug])
    assert client.get(url).status_code == 404
    product.is_published = True
    product.save()
    assert client.get(url).status_code == 200


def test_bulk_writes_say_so_themselves(client):
    """bulk_update sends no signal: code that writes in bulk calls changed()."""
    product = ProductFactory(name="Nấm hương Sóc Sơn", stars=4)
    client.get(CATALOGUE)
    Product.objects.filter(pk=product.pk).update(is_published=False)
    assert client.get(CATALOGUE)["X-Page-Cache"] == "hit"  # what changed() is for
    page_cache.changed()
    response = client.get(CATALOGUE)
    assert response["X-Page-Cache"] == "miss"
    assert "Nấm hương Sóc Sơn" not in response.content.decode()


def test_the_version_changes_again_when_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    """Another worker may render the old rows between the first write and the commit:
    the second change, after commit, keeps that page from being served."""
    before = page_cache.version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        page_cache.changed()
        during = page_cache.version()
    assert len(callbacks) == 1
    assert before != during != page_cache.version()


def test_a_change_rolled_back_leaves_the_version_as_it_was(transactional_db):
    from django.db import transaction

    before = page_cache.version()
    with pytest.raises(RuntimeError), transaction.atomic():
        page_cache.changed()
        raise RuntimeError("the write failed")
    assert page_cache.version() == before


def test_old_changes_are_pruned(django_capture_on_commit_callbacks):
    from core.models import PublicChange

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2 * page_cache.PRUNE_EVERY):
            page_cache.changed()
    # Each prune keeps the last PRUNE_EVERY ids; up to as many again come before the next.
    assert PublicChange.objects.count() <= 2 * page_cache.PRUNE_EVERY


def test_signed_in_visitors_are_never_served_or_stored(client):
    ProductFactory(stars=4)
    client.force_login(make_user("ho-kinh-doanh", full_name="Nguyễn Văn An"))
    for _ in range(2):
        response = client.get(CATALOGUE)
        assert "X-Page-Cache" not in response
        assert "Nguyễn Văn An" in response.content.decode()
    client.logout()
    client.cookies.clear()
    anonymous = client.get(CATALOGUE)
    assert anonymous["X-Page-Cache"] == "miss"
    assert "Nguyễn Văn An" not in anonymous.content.decode()


def test_a_visitor_with_a_message_waiting_gets_the_page_made_for_them(client):
    client.get(CATALOGUE)
    client.cookies["messages"] = "anything"
    assert "X-Page-Cache" not in client.get(CATALOGUE)


def test_each_host_and_query_has_its_own_page(client):
    ProductFactory(stars=4)
    client.get(CATALOGUE)
    other_host = client.get(CATALOGUE, HTTP_HOST="localhost")
    assert other_host["X-Page-Cache"] == "miss"
    assert 'href="http://localhost/"' in other_host.content.decode()
    assert client.get(CATALOGUE + "?stars=5")["X-Page-Cache"] == "miss"


def test_a_product_leaves_the_kept_pages_on_its_expiry_day(client):
    product = ProductFactory(name="Chè Ba Vì", stars=4)
    expires = certificate_of(product).expires_on
    with time_machine.travel(expires - timedelta(days=1)):
        assert "Chè Ba Vì" in client.get(CATALOGUE).content.decode()
        assert client.get(CATALOGUE)["X-Page-Cache"] == "hit"
    with time_machine.travel(expires):
        assert timezone.localdate() == expires
        response = client.get(CATALOGUE)
        assert response["X-Page-Cache"] == "miss"
        assert "Chè Ba Vì" not in response.content.decode()


def test_the_cache_can_be_switched_off(client, settings):
    settings.PUBLIC_PAGE_SECONDS = 0
    client.get(CATALOGUE)
    assert "X-Page-Cache" not in client.get(CATALOGUE)


def test_a_transaction_of_many_writes_announces_one_change(django_capture_on_commit_callbacks):
    """An import saves thousands of products, each sending a signal: past MAX_TAGS
    distinct tags the transaction says "every page" once, and once after commit, not
    two rows a product."""
    from django.db import transaction

    from core.models import PublicChange

    before = PublicChange.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for n in range(25):
            ProductFactory(name=f"Sản phẩm {n}", stars=3)
    assert len([c for c in callbacks if c is page_cache._record_after_commit]) == 1
    assert PublicChange.objects.count() - before <= page_cache.MAX_TAGS + 2
    assert PublicChange.objects.order_by("-pk").first().tag == page_cache.ALL
