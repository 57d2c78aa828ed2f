"""Named query shapes for products: who may see them and what each page needs."""

from django.db import models
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.utils import timezone

from registry import search

# A product is certified from three stars up: one and two stars get no certificate.
CERTIFIED_MIN_STARS = 3

SORTS = {
    "name": ("name", "id"),
    "stars": ("-stars", "name", "id"),
    "newest": ("-created_at", "-id"),
}


class ProductQuerySet(models.QuerySet):
    def public(self, today=None):
        """What anyone may see: published products whose certificate is in force today.

        Every public page starts here, so a draft, uncertified, expired, revoked or
        superseded product cannot leak.
        """
        today = today or timezone.localdate()
        return self.filter(
            is_published=True,
            stars__gte=CERTIFIED_MIN_STARS,
            certificate__revoked_on__isnull=True,
            certificate__superseded_by__isnull=True,
            certificate__expires_on__gt=today,
        )

    def for_catalogue(self):
        """Everything a catalogue card shows, in a fixed number of queries."""
        from registry.models import ProductPhoto

        return self.select_related(
            "producer__commune__parent",
            "producer__district",
            "product_set__group",
            "certificate",
        ).prefetch_related(
            Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "id"))
        )

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
