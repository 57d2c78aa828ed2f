"""The lists' filter rules (evaluation.listing), pure: what is kept, what is left out and
said, the whitelisted sort."""

from django.http import QueryDict

from evaluation import listing

CHOICES = {"sao": ("number of stars", ["3", "4", "5"])}
SORTS = {"so": ["number"], "cap": ["-issued_on"]}


def parse(query):
    return listing.parse(QueryDict(query), choices=CHOICES, sorts=SORTS, default_sort="cap")


def test_known_values_are_kept_and_shared_as_a_query_string():
    filters = parse("sao=4&q=  trà   sen &sap-xep=-so&page=3")
    assert filters.problems == []
    assert filters.values == {"q": "trà sen", "sao": "4", "sap-xep": "-so", "page": 3}
    assert filters.query(without=("page",)) == "q=tr%C3%A0+sen&sao=4&sap-xep=-so"
    assert listing.order_by(filters, SORTS) == ["-number", "-pk"]


def test_unknown_values_are_left_out_and_each_is_named():
    filters = parse("sao=9&sap-xep=product__producer__users__password&page=²&xuat=exe")
    assert "sao" not in filters.values and "page" not in filters.values
    assert filters.get("sap-xep") == "cap"  # the default order
    assert len(filters.problems) == 4
    assert any("“9”" in problem for problem in filters.problems)
    assert listing.order_by(filters, SORTS) == ["-issued_on", "pk"]


def test_a_page_number_of_thousands_of_digits_is_left_out_not_a_crash():
    filters = parse("page=" + "9" * 5000)
    assert "page" not in filters.values and filters.problems


def test_a_long_search_is_cut_and_said():
    filters = parse("q=" + "x" * 500)
    assert len(filters.get("q")) == listing.MAX_SEARCH
    assert filters.problems
