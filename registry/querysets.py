"""Named query shapes for products: who may see them and what each page needs."""

from django.db import models
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from registry import search

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
        """Accent- and case-insensitive match on every word; exact-accent phrases rank first.

        Ranking: 2 = the query as typed (with its accents) appears, 1 = the folded
        phrase appears, 0 = only the separate words do.
        """
        words = search.terms(query)
        if not words:
            return self.annotate(search_rank=Value(0, output_field=IntegerField()))
        qs = self
        for word in words:
            qs = qs.filter(search_text__contains=f" {word}")
        return qs.annotate(
            search_rank=Case(
                When(search_exact__contains=search.normalise(query), then=Value(2)),
                When(search_text__contains=f" {' '.join(words)}", then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )

    def sorted_by(self, key: str, ranked: bool = False):
        fields = SORTS.get(key, SORTS["name"])
        return self.order_by("-search_rank", *fields) if ranked else self.order_by(*fields)
