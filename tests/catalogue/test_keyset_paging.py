"""Deep catalogue pages by keyset (core/pagination.py): a "next" link carries the page
number and where the page before ended (?page=N&sau=...), so the page is read from the
sort's index like page 1, with no OFFSET; old ?page=N links and forged or stale
cursors get the page by its number, never an error. Ranked searches page by number."""

import base64
import json
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.models import Product
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db
URL = reverse("catalogue:catalogue")


@pytest.fixture(autouse=True)
def small_pages(settings):
    settings.PUBLIC_PAGE_SECONDS = 0
    settings.CATALOGUE_PAGE_SIZE = 2


@pytest.fixture
def products():
    # Ties on every sort key but the last: two of one name, stars shared.
    made = [
        ProductFactory(name=name, stars=stars, description=f"Gạo {n}")
        for n, (name, stars) in enumerate(
            [
                ("Gạo nếp cái hoa vàng", 5),
                ("Gạo tám thơm", 4),
                ("Gạo tám thơm", 4),
                ("Gạo lứt đỏ", 3),
                ("Bánh gạo", 4),
                ("Gạo ST25", 5),
                ("Gạo Séng Cù", 3),
            ]
        )
    ]
    return made


def _get(client, query: str):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200, query
    return response


def _link(response, rel):
    found = re.search(rf'href="\?([^"]*)" rel="{rel}"', response.content.decode())
    return unescape(found.group(1)) if found else None


def _ids(response):
    return [p.pk for p in response.context["page"].object_list]


@pytest.mark.parametrize(
    "params", ["", "sort=stars", "sort=newest", "q=gao", "q=gao&sort=stars", "q=gạo+tám"]
)
def test_following_the_links_walks_every_product_once_each_way(client, products, params):
    first = _get(client, params)
    pages, response = [_ids(first)], first
    # A ranked search must rank every match before cutting any page: its links go by
    # number (core/pagination.py), the others by cursor.
    cursor = "" if "q=" in params else "&sau="
    while query := _link(response, "next"):
        assert f"page={len(pages) + 1}{cursor}" in query
        response = _get(client, query)
        assert response.context["page"].number == len(pages) + 1
        pages.append(_ids(response))
        # The same page as an old bookmark, by its number alone.
        by_number = _get(client, re.sub(r"&sau=[^&]*", "", query))
        assert _ids(by_number) == pages[-1]
    walked = [pk for page in pages for pk in page]
    assert len(walked) == len(set(walked)) == first.context["page"].paginator.count
    # And back, by the previous links (a cursor on each but the one to page 1).
    back = [pages[-1]]
    while query := _link(response, "prev"):
        assert ("truoc=" in query) == (bool(cursor) and not query.endswith("page=1"))
        response = _get(client, query)
        back.append(_ids(response))
    assert back[::-1] == pages


def test_a_cursor_page_skips_nothing_and_costs_what_page_one_costs(client, products):
    page_one = _get(client, "")
    with CaptureQueriesContext(connection) as first:
        _get(client, "x=1")
    deep = _link(_get(client, "page=3"), "next")
    with CaptureQueriesContext(connection) as seek:
        response = _get(client, deep)
    assert response.context["page"].number == 4
    assert len(seek.captured_queries) == len(first.captured_queries)
    assert not any("OFFSET" in q["sql"] for q in seek.captured_queries)
    assert page_one.context["page"].paginator.count == len(products)


def _all_ids(client, params=""):
    """Every product in the list's order, by following the next links from page 1."""
    response, ids = _get(client, params), []
    ids += _ids(response)
    while query := _link(response, "next"):
        response = _get(client, query)
        ids += _ids(response)
    return ids


@pytest.mark.parametrize("params", ["", "sort=stars&"])
def test_an_old_bookmark_walks_the_list_once_then_costs_what_page_one_costs(
    client, products, params
):
    """?page=N without a cursor skips the rows before the page once for this version of
    the list; where they ended is kept, and the next visit seeks from there."""
    expected = _all_ids(client, params)[4:6]
    with CaptureQueriesContext(connection) as walked:
        first = _get(client, f"{params}page=3")
    assert _ids(first) == expected
    assert any("OFFSET" in q["sql"] for q in walked.captured_queries)
    with CaptureQueriesContext(connection) as page_one:
        _get(client, f"{params}x=1")
    with CaptureQueriesContext(connection) as again:
        second = _get(client, f"{params}page=3&x=2")
    assert _ids(second) == expected
    assert not any("OFFSET" in q["sql"] for q in again.captured_queries)
    assert len(again.captured_queries) == len(page_one.captured_queries)
    assert _link(second, "next").replace("x=2&", "") == _link(first, "next")
    assert _link(second, "prev").replace("x=2&", "") == _link(first, "prev")


def test_an_old_bookmark_after_a_change_shows_the_list_as_it_is_now(client, products):
    _get(client, "page=3")  # where page 3 starts is kept for this version
    before = _all_ids(client)
    gone = Product.objects.get(pk=before[0])
    gone.is_published = False
    gone.save()  # a public change: a new version of the list
    now = _all_ids(client)
    assert now == before[1:]
    assert _ids(_get(client, "page=3")) == now[4:6]
    assert _ids(_get(client, "page=3&x=1")) == now[4:6]


def test_the_last_page_by_its_number_is_whole(client, products):
    """The last page may be short: it is read by its number, never cut to a full one."""
    expected = _all_ids(client)[6:]
    for _ in range(2):
        assert _ids(_get(client, "page=4")) == expected


def _cursor(data) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage!",
        "",
        "A" * 5000,
        _cursor([1, 2, 3]),
        _cursor({"a": 1}),
        _cursor([0, "Gạo", 1]),  # another sort's signature
        _cursor([0, "Gạo\x00", 1]),
        _cursor([0, "Gạo", 10**30]),
        _cursor([0, None, None]),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
)
@pytest.mark.parametrize("direction", ["sau", "truoc"])
def test_a_forged_or_stale_cursor_gets_the_page_by_its_number(client, products, cursor, direction):
    expected = _ids(_get(client, "page=2"))
    assert _ids(_get(client, f"page=2&{direction}={cursor}")) == expected


def test_a_cursor_of_a_changed_catalogue_still_answers(client, products):
    """The product a link's cursor names is gone: the rows after its place are shown."""
    query = _link(_get(client, "page=2"), "next")
    Product.objects.filter(pk__in=_ids(_get(client, "page=2"))).update(is_published=False)
    response = _get(client, query)
    assert response.context["page"].number == 3
    assert _ids(response)


def test_a_link_with_both_cursors_follows_the_next_one(client, products):
    query = _link(_get(client, "page=2"), "next")
    both = f"{query}&truoc={query.split('&sau=')[1]}"
    assert _ids(_get(client, both)) == _ids(_get(client, query)) == _ids(_get(client, "page=3"))
