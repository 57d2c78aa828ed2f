"""A search read rank by rank (registry.querysets.search_ranks, core.pagination.
RankedPaginator) lists exactly what ranking every match and sorting them lists: the
same products, in the same order, on every page, whichever way each rank is read."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import pagination
from core.caching import forget_local
from core.pagination import RankedPaginator, walks
from registry import fulltext
from registry.models import Product
from tests.factories import ProducerFactory, ProductFactory, commune

pytestmark = pytest.mark.django_db
URL = reverse("catalogue:catalogue")
QUERIES = ["Hoài Đức", "hoai duc", "duc hoai", "HOAI", "đức", "bún khô", "100%", "a_b", "!!!"]
SORTS = ["name", "stars", "newest"]


@pytest.fixture
def products():
    """Products of every rank for "Hoài Đức", their names interleaved across ranks, some
    names alike (the id breaks the tie), and some that are not public."""
    elsewhere = ProducerFactory(name="HTX Vân Nội", commune=commune("Xã Đông Anh"), district=None)
    in_hoai_duc = ProducerFactory(name="HTX Bún khô", commune=commune("Xã Hoài Đức"))

    def make(name, producer=elsewhere, description="", **extra):
        return ProductFactory(name=name, producer=producer, description=description, **extra)

    made = [
        make("Bún Hoài Đức", stars=5),  # 3: as typed
        make("Chè hoài đức", stars=3),  # 3: case aside, accents as typed
        make("Gạo Hoai Duc", stars=4),  # 2: the folded phrase
        make("Ấm Hoài Đúc", stars=4),  # 2: folded, other accents
        make("Đức Hoài", stars=5),  # 1: each word, apart
        make("Mật ong", stars=4, description="Nuôi ở Hoài Đức"),  # 0: the description only
        make("Mật ong", stars=3, description="hoài đức"),  # 0, the same name
        make("Trà", producer=in_hoai_duc, stars=4),  # 3: the place as typed
        make("Ấm trà", producer=in_hoai_duc, stars=3),
        make("Xôi Hoàiđức"),  # no match: not the start of "duc"
        make("Gạo nếp"),
    ]
    make("Bún Hoài Đức ẩn", certified=False)  # not public
    hidden = make("Chè Hoài Đức ẩn")
    Product.objects.filter(pk=hidden.pk).update(is_published=False)
    return made


def _ranked(query, sort):
    return list(
        Product.objects.public()
        .search(query)
        .sorted_by(sort, ranked=True)
        .values_list("pk", flat=True)
    )


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("query", QUERIES)
def test_the_ranks_read_either_way_list_what_the_ranked_sort_lists(products, query, sort):
    expected = _ranked(query, sort)
    ranks = Product.objects.public().search_ranks(query, sort)
    assert [rank for rank, *_ in ranks] == sorted({rank for rank, *_ in ranks}, reverse=True)
    ranked = dict(Product.objects.public().search(query).values_list("pk", "search_rank"))
    for way in (1, 2):  # walked, indexed
        listed = []
        for rank, *reads in ranks:
            ids = list(reads[way - 1]().values_list("pk", flat=True))
            assert all(ranked[pk] == rank for pk in ids), (rank, way)
            listed += ids
        assert listed == expected, way


def test_the_fixture_has_every_rank(products):
    ranks = set(Product.objects.public().search("Hoài Đức").values_list("search_rank", flat=True))
    assert ranks == {0, 1, 2, 3}


@pytest.mark.parametrize("walk", [True, False])
@pytest.mark.parametrize("query", ["Hoài Đức", "hoai duc", "!!!"])
def test_every_page_is_the_ranked_lists_slice(products, monkeypatch, settings, walk, query):
    monkeypatch.setattr(pagination, "walks", lambda *args: walk)
    expected = _ranked(query, "name")
    public = Product.objects.public()
    for per_page in (1, 2, 3, 5):
        cache.clear()
        forget_local()
        paginator = RankedPaginator(
            public.sorted_by("name"),
            per_page,
            matches=lambda: public.search(query),
            count_key=f"test:{query}:{per_page}",
            ranks=public.search_ranks(query, "name"),
            listed=public,
        )
        assert paginator.count == len(expected)
        pages = [paginator.page(n) for n in paginator.page_range]
        assert [p.pk for page in pages for p in page.object_list] == expected


def test_a_page_reads_only_the_ranks_it_spans(products, settings):
    public = Product.objects.public()
    paginator = RankedPaginator(
        public.sorted_by("name"),
        2,
        matches=lambda: public.search("Hoài Đức"),
        count_key="test",
        ranks=public.search_ranks("Hoài Đức", "name"),
        listed=public,
    )
    assert paginator.rank_sizes == {3: 4, 2: 2, 1: 1, 0: 2}
    assert paginator.population == 11  # counted once, when first needed
    with CaptureQueriesContext(connection) as first:
        paginator.page(1)  # inside rank 3
    with CaptureQueriesContext(connection) as fourth:
        paginator.page(4)  # the one of rank 1, the first of rank 0
    # The sizes are counted once (above); a page is a read a rank, or two across a seam.
    assert len(first) == 1 + 1  # the rank's ids, then the cards' rows (none: no `rows`)
    assert len(fourth) == 2 + 1


def test_the_sizes_are_counted_once_per_list_and_version(client, products):
    cache.clear()
    forget_local()
    with CaptureQueriesContext(connection) as first:
        client.get(URL, {"q": "hoai duc"})
    with CaptureQueriesContext(connection) as again:
        client.get(URL, {"q": "hoai duc", "x": "1"})
    grouped = [q for q in first.captured_queries if "GROUP BY" in q["sql"]]
    assert len(grouped) == 1
    assert not [q for q in again.captured_queries if "GROUP BY" in q["sql"]]
    # A change to a listed product moves the version: counted again, and shown.
    products[5].name = "Mật ong Hoài Đức"
    products[5].save()
    response = client.get(URL, {"q": "Hoài Đức"})
    assert "Mật ong Hoài Đức" in [p.name for p in response.context["page"].object_list]


@pytest.mark.skipif(
    connection.vendor == "sqlite" and not fulltext.fts5_compiled(), reason="no FTS5 here"
)
def test_a_broad_rank_is_walked_and_a_rare_one_read_through_the_index(client, settings):
    settings.CATALOGUE_PAGE_SIZE = 2
    settings.PUBLIC_PAGE_SECONDS = 0
    broad = ProducerFactory(name="HTX Vân Nội", commune=commune("Xã Đông Anh"), district=None)
    for n in range(12):
        ProductFactory(name=f"Gạo {n:02}", producer=broad)
    ProductFactory(name="Chè", producer=broad)
    cache.clear()
    forget_local()

    def ids_query(query):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL, {"q": query})
        assert response.status_code == 200
        pages = [
            q["sql"]
            for q in ctx.captured_queries
            if "search_text" in q["sql"] and "LIMIT" in q["sql"] and "GROUP BY" not in q["sql"]
        ]
        assert len(pages) == 1
        return pages[0], [p.name for p in response.context["page"].object_list]

    # 12 of 13 products in the rank: the list's index is walked, no full-text index.
    sql, names = ids_query("gao")
    assert names == ["Gạo 00", "Gạo 01"]
    assert not _led_by_the_index(sql)
    # 1 of 13: read through the full-text index.
    sql, names = ids_query("che")
    assert names == ["Chè"]
    assert _led_by_the_index(sql)


def _led_by_the_index(sql):
    return f"{fulltext.FTS_TABLE} MATCH" in sql or "to_tsquery" in sql


@pytest.mark.parametrize(
    ("needed", "in_rank", "population", "matches", "walk"),
    [
        (24, 6500, 46000, 6500, True),  # "hoai duc": one rank of 6,500 in 46,000
        (24, 30, 46000, 30, False),  # a rare word: read its 30 through the index
        (24, 6500, 46000, 6600, True),
        (24, 100, 46000, 6600, False),  # a small rank beside a big one
        (240, 6500, 46000, 6500, True),  # page 10
        (24_000, 6500, 46000, 6500, False),  # page 1,000: through the index
    ],
)
def test_walk_or_index_by_the_sizes(needed, in_rank, population, matches, walk):
    assert walks(needed, in_rank, population, matches) is walk


def test_a_rank_far_down_the_list_is_walked_once_then_read_through_the_index(client, settings):
    """Names begin with what a product is: "xoi" matches a run at the end of the list
    (rank 3: these names are typed without accents).
    Spread evenly, its first row would come third; the walk stops at the 16th entry,
    the page is read through the index, and the next visitor is not walked at all."""
    settings.CATALOGUE_PAGE_SIZE = 1
    settings.PUBLIC_PAGE_SECONDS = 0
    maker = ProducerFactory(name="HTX Van Noi", commune=commune("Xã Đông Anh"), district=None)
    for n in range(20):
        ProductFactory(name=f"An {n:02}", producer=maker)
    for n in range(10):
        ProductFactory(name=f"Xoi {n:02}", producer=maker)
    cache.clear()
    forget_local()

    def reads(**params):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL, {"q": "xoi", **params})
        names = [p.name for p in response.context["page"].object_list]
        tests = [
            q["sql"]
            for q in ctx.captured_queries
            if "search_" in q["sql"] and "LIMIT" in q["sql"] and "GROUP BY" not in q["sql"]
        ]
        return names, [_led_by_the_index(sql) for sql in tests]

    assert reads() == (["Xoi 00"], [False, True])  # walked to the bound, then the index
    assert reads(x=1) == (["Xoi 00"], [True])  # remembered: the index at once
    assert reads(page=3) == (["Xoi 02"], [True])


def test_the_bound_is_four_times_the_even_spread_in_powers_of_two():
    from core.pagination import _bound_entries

    assert _bound_entries(1, 10, 30) == 16  # even: the 3rd entry; 12 -> 16
    assert _bound_entries(24, 6526, 46569) == 1024  # "hoai duc": 172 -> 688 -> 1024
    assert _bound_entries(24, 1, 100) == 16384
