"""Search through the full-text index (registry/fulltext.py): descriptions are searched
and ranked below names; the index follows every way a product is written; the search
SQL goes through the index, not a scan of every product's text."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.caching import forget_local
from registry import fulltext
from registry.models import Product
from tests.factories import ProducerFactory, ProductFactory

pytestmark = pytest.mark.django_db
URL = reverse("catalogue:catalogue")


@pytest.fixture(autouse=True)
def rendered(settings):
    settings.PUBLIC_PAGE_SECONDS = 0
    settings.CATALOGUE_COUNT_SECONDS = 0


def names(client, query, **params):
    response = client.get(URL, {"q": query, **params})
    assert response.status_code == 200
    return [p.name for p in response.context["page"].object_list]


def test_words_in_descriptions_are_found_below_name_matches(client):
    ProductFactory(name="Bánh đậu xanh", description="Làm từ mật ong rừng Hòa Bình.")
    ProductFactory(name="Mật ong bạc hà", description="Ong nuôi trên cao nguyên đá.")
    ProductFactory(name="Mứt gừng", description="Gừng tươi, đường.")
    assert names(client, "mat ong") == ["Mật ong bạc hà", "Bánh đậu xanh"]
    assert names(client, "hoa binh") == ["Bánh đậu xanh"]
    # A word of the name and a word of the description, together.
    assert names(client, "banh rung") == ["Bánh đậu xanh"]
    assert names(client, "uong") == []  # word-start in descriptions too ("đường")


def test_the_index_follows_saves_bulk_writes_renames_and_deletes(client):
    product = ProductFactory(name="Nước mắm Cát Hải", description="Cá cơm ủ chượp.")
    assert names(client, "cat hai") == ["Nước mắm Cát Hải"]
    product.name = "Nước mắm Vạn Phần"
    product.description = "Cá nục."
    product.save()
    assert names(client, "cat hai") == [] and names(client, "chuop") == []
    assert names(client, "van phan ca nuc") == ["Nước mắm Vạn Phần"]
    # bulk_update, as the producer-rename signal does: the triggers see it.
    product.producer.name = "HTX Thủy sản Bến Gót"
    product.producer.save()
    assert names(client, "ben got") == ["Nước mắm Vạn Phần"]
    Product.objects.filter(pk=product.pk).update(search_more=" mam ruoc ")
    assert names(client, "ruoc") == ["Nước mắm Vạn Phần"]
    draft = ProductFactory(name="Mắm tôm Vạn Phần", stars=None)  # no certificate to keep it
    assert Product.objects.search("van phan").count() == 2
    draft.delete()
    assert list(Product.objects.search("van phan")) == [product]


def test_a_lost_index_is_made_again_by_migrate(client):
    """On SQLite a migration that rebuilds the product table drops its triggers;
    `ensure` (run after every migrate) puts them back and re-reads every product. On
    PostgreSQL a dropped index is made again."""
    ProductFactory(name="Chè Shan tuyết")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            if not fulltext.fts5_compiled():
                pytest.skip("this SQLite has no FTS5")
            cursor.execute("DROP TRIGGER registry_product_fts_insert")
        else:
            cursor.execute(f"DROP INDEX {fulltext.PG_INDEX}")
    ProductFactory(name="Chè búp Tân Cương")
    if connection.vendor == "sqlite":
        assert names(client, "che") == ["Chè Shan tuyết"]  # the new one was missed
    fulltext.ensure(connection, verbosity=0)
    assert set(names(client, "che")) == {"Chè búp Tân Cương", "Chè Shan tuyết"}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [fulltext.PG_INDEX])
            assert cursor.fetchone()


def test_search_sql_uses_the_index(client):
    ProductFactory(name="Gạo ST25", producer=ProducerFactory(name="HTX Gạo Sóc Trăng"))
    cache.clear()
    forget_local()  # and what this process keeps (core/caching.py)
    with CaptureQueriesContext(connection) as ctx:
        assert names(client, "gao st") == ["Gạo ST25"]
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    if connection.vendor == "postgresql":
        assert "to_tsquery('simple'::regconfig" in sql
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute(
                "EXPLAIN SELECT id FROM registry_product WHERE "
                + fulltext.matches("postgresql", ["gao"]).sql.replace("%s", "'''gao'':*'")
            )
            plan = " ".join(row[0] for row in cursor.fetchall())
        assert fulltext.PG_INDEX in plan
    elif fulltext.fts5_compiled():
        wheres = [q["sql"].split(" WHERE ", 1)[-1] for q in ctx.captured_queries]
        sizes = [w for w in wheres if "GROUP BY" in w and f"{fulltext.FTS_TABLE} MATCH" in w]
        # The ranks' sizes: matched by the index, LIKE only to rank the matches.
        assert len(sizes) == 1
        assert "LIKE" not in sizes[0].split(" GROUP BY ")[0]
        # The page's rank, too few to walk the list for: led by the index, LIKE saying
        # which rank; no query tests the words by LIKE alone.
        tested = [w for w in wheres if "search_text" in w and "LIKE" in w]
        assert tested
        assert all(f"{fulltext.FTS_TABLE} MATCH" in w for w in tested)


def _gin_options():
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [fulltext.PG_INDEX])
        return cursor.fetchone()[0] or []


def test_postgresqls_index_keeps_no_pending_list(client):
    """GIN's pending list (fastupdate) made every search read a backlog of unmerged
    entries until VACUUM: the index is made without it, and an index made before with it
    is switched and merged by `ensure` (run after every migrate)."""
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL index")
    assert "fastupdate=off" in _gin_options()
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER INDEX {fulltext.PG_INDEX} SET (fastupdate = on)")
    ProductFactory(name="Chè Shan tuyết")
    fulltext.ensure(connection, verbosity=0)
    assert "fastupdate=off" in _gin_options()
    assert names(client, "che shan") == ["Chè Shan tuyết"]
