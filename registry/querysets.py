"""Named query shapes for products: who may see them and what each page needs."""

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
        words = search.terms(query)
        if not words:
            return self.annotate(search_rank=Value(0, output_field=IntegerField()))
        in_name = Q()
        for word in words:
            in_name &= Q(search_text__contains=f" {word}")
        exact = search.normalise(query)[: search.MAX_TERM_LENGTH * search.MAX_TERMS]
        return self.filter(fulltext.matches(connections[self.db].vendor, words)).annotate(
            search_rank=Case(
                When(search_exact__contains=exact, then=Value(3)),
                When(search_text__contains=f" {' '.join(words)}", then=Value(2)),
                When(in_name, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )

    def sorted_by(self, key: str, ranked: bool = False):
        fields = SORTS.get(key, SORTS["name"])
        return self.order_by("-search_rank", *fields) if ranked else self.order_by(*fields)
