"""Named query shapes for products: who may see them and what each page needs."""

from collections.abc import Callable
from typing import NamedTuple

from django.db import connections, models
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from registry import fulltext, search

SORTS = {
    "name": ("name", "id"),
    "stars": ("-stars", "name", "id"),
    "newest": ("-created_at", "-id"),
}


class ProductQuerySet(models.QuerySet):
    def public(self, today=None):
        """What anyone may see: published products whose certificate is in force today.

        Every public page starts here, so a draft, uncertified, expired, revoked,
        superseded or not yet classified product cannot leak.
        """
        today = today or timezone.localdate()
        # certified_until is the expiry of a certificate neither revoked nor superseded, or
        # the end of the time it is kept in force past expiry while re-evaluated
        # (evaluation.certificates.set_standing), so this is validity.in_force_q on the
        # product's own row; tests/evaluation hold the two together.
        # A product not yet classified in a product set (an old list's, imported) is not
        # shown until it is: its catalogue card and filters need its set.
        return self.filter(is_published=True, certified_until__gt=today, product_set__isnull=False)

    def unclassified(self):
        """Products recorded without a product set, for the offices to classify."""
        return self.filter(product_set__isnull=True)

    def for_catalogue(self):
        """Everything a catalogue card shows, in a fixed number of queries (photos come in
        their model's order: position, then id)."""
        return self.select_related(
            "producer__commune__parent",
            "producer__province",
            "producer__district",
            "product_set__group",
        ).prefetch_related("photos")

    def search(self, query: str):
        """Every word starts a word of the product's name, maker, places or description,
        accents and case aside, found through the full-text index (registry/fulltext.py).

        Ranking: 3 = the query as typed (with its accents) appears in the name, maker or
        places; 2 = the folded phrase does; 1 = each word does, apart; 0 = some word is
        only in the description. Ranked over the matches alone, never every product.
        """
        tests = _RankTests.of(query)
        if tests is None:
            return self.annotate(search_rank=Value(0, output_field=IntegerField()))
        return self.filter(fulltext.matches(connections[self.db].vendor, tests.words)).annotate(
            search_rank=Case(
                When(tests.exact, then=Value(3)),
                When(tests.phrase, then=Value(2)),
                When(tests.in_name, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )

    def search_ranks(self, query: str, sort: str) -> list[tuple[int, Callable, Callable]]:
        """The matches of `search(query)` rank by rank, best first, each in `sort`'s order:
        (rank, walked, indexed), each making a queryset of the same rows when called.

        A broad search's first page is mostly one rank ("hoai duc": 6,500 products, all
        of rank 2): ranking and sorting every match to keep 24 cost more than the rest of
        the page. Read rank by rank, a page is the first rows of a rank in the sort's own
        order, which `walked` finds by walking the sort's index and testing each product
        (the rank's tests imply a match, or say it without the index, as fulltext's LIKE
        fallback does): it stops after the page's rows. `indexed` is led by the full-text
        index, for a rank with few products, where a walk would test most of the list.
        The ranks' sizes, counted once per list (core/pagination.RankedPaginator), say
        which to use. tests/catalogue/test_search_ranks.py holds the two, and the ranks,
        to `search`'s order.
        """
        tests = _RankTests.of(query)
        fields = SORTS.get(sort, SORTS["name"])
        if tests is None:  # no word to search: every product, of rank 0

            def listed():
                return self.order_by(*fields)

            return [(0, listed, listed)]
        not_better = ~tests.exact
        walks = {
            3: lambda: tests.exact & tests.anywhere,
            2: lambda: tests.phrase & not_better,  # a phrase of the name's words: a match
            1: lambda: tests.in_name & ~tests.phrase & not_better,  # each word: a match
            0: lambda: tests.anywhere & ~tests.in_name & not_better,
        }

        # Made when read: a page reads one rank, seldom two (building every rank's two
        # querysets cost a broad search's page a quarter of its time).
        def walked(rank):
            return lambda: self.filter(walks[rank]()).order_by(*fields)

        # Led by the full-text index: search()'s own rows of the rank. The rank's test is
        # the CASE itself, which PostgreSQL cannot see into: given the LIKE tests, it took
        # them for independent of the match, thought a rank rare, and walked the name
        # index computing every product's text vector (110 ms for "ruou").
        def indexed(rank):
            return lambda: self.search(query).filter(search_rank=rank).order_by(*fields)

        return [(rank, walked(rank), indexed(rank)) for rank in walks]

    def sorted_by(self, key: str, ranked: bool = False):
        fields = SORTS.get(key, SORTS["name"])
        return self.order_by("-search_rank", *fields) if ranked else self.order_by(*fields)


class _RankTests(NamedTuple):
    """The tests a search ranks by, each a condition on the stored texts; one place, so
    that the rank `search` computes and the ranks `search_ranks` reads cannot differ."""

    words: list[str]
    exact: Q  # the query as typed, accents and all, in the name, maker or places
    phrase: Q  # the folded words, in order, at the start of a word
    in_name: Q  # each folded word starts a word of the name, maker or places
    anywhere: Q  # each starts a word there or in the description: the full-text match

    @classmethod
    def of(cls, query: str) -> "_RankTests | None":
        words = search.terms(query)
        if not words:
            return None
        in_name = Q()
        for word in words:
            in_name &= Q(search_text__contains=f" {word}")
        exact = search.normalise(query)[: search.MAX_TERM_LENGTH * search.MAX_TERMS]
        return cls(
            words=words,
            exact=Q(search_exact__contains=exact),
            phrase=Q(search_text__contains=f" {' '.join(words)}"),
            in_name=in_name,
            anywhere=fulltext.prefix_tests(words),
        )
