"""What visitors type into the search box, including what would be syntax to a full-text
engine (FTS5's quotes, `*`, `NEAR`, `AND`/`OR`/`NOT`, `^`, parentheses, `:`; PostgreSQL's
`&`, `|`, `!`, `<->`): a list of products or "nothing found", never an error, and the
same matches as the words alone. Word-start, accent-insensitive, exact accents first."""

import pytest
from django.urls import reverse

from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db
CATALOGUE = reverse("catalogue:catalogue")


@pytest.fixture(autouse=True)
def rendered(settings):
    settings.PUBLIC_PAGE_SECONDS = 0  # each answer rendered, with its context


@pytest.fixture
def products():
    return [
        ProductFactory(name="Trà sen Tây Hồ", stars=5),
        ProductFactory(name="Tra sen loai thuong", stars=4),
        ProductFactory(name="Bánh tráng Trảng Bàng", stars=3),
        ProductFactory(name="Gốm Bát Tràng NEAR men lam", stars=4),
    ]


def names(client, query):
    response = client.get(CATALOGUE, {"q": query})
    assert response.status_code == 200, query
    return [p.name for p in response.context["page"].object_list]


@pytest.mark.parametrize(
    "query",
    [
        '"tra sen"',
        "tra* sen*",
        "(tra) sen:",
        "^tra sen",
        "tra & sen | !",
        "tra <-> sen",
        "tra' sen\\",
        "tra;-- sen",
    ],
)
def test_search_syntax_is_taken_as_words(client, products, query):
    found = names(client, query)
    assert found == names(client, "tra sen")
    assert {"Trà sen Tây Hồ", "Tra sen loai thuong"} <= set(found)
    assert "Bánh tráng Trảng Bàng" not in found


@pytest.mark.parametrize("word", ["NEAR", "AND", "OR", "NOT"])
def test_operator_words_are_words_to_find(client, products, word):
    """Every word must start a word of the product: an operator is looked for as text."""
    assert names(client, f"trang {word}") == (
        ["Gốm Bát Tràng NEAR men lam"] if word == "NEAR" else []
    )


def test_accents_are_optional_and_exact_accents_rank_first(client, products):
    assert names(client, "trà sen")[0] == "Trà sen Tây Hồ"
    # Typed without accents: the product written without them is the exact match.
    assert names(client, "tra sen")[0] == "Tra sen loai thuong"


def test_words_match_at_their_start_only(client, products):
    assert "Bánh tráng Trảng Bàng" in names(client, "trang")
    assert "Gốm Bát Tràng NEAR men lam" in names(client, "trang")
    assert names(client, "rang") == []  # inside a word: no match


def test_a_very_long_or_empty_query_is_answered(client, products):
    assert names(client, "tra " * 5000)
    assert len(names(client, "*** ??? !!!")) == len(products)  # no words: everything
    assert names(client, "near") == ["Gốm Bát Tràng NEAR men lam"]
