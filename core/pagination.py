"""Paging the public catalogue without counting every product on every request, and
without reading the rows before a deep page (keyset paging)."""

import base64
import binascii
import hashlib
import itertools
import json
import zlib

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import Count, F, Q
from django.db.models.fields.tuple_lookups import (
    Tuple,
    TupleGreaterThanOrEqual,
    TupleLessThanOrEqual,
)
from django.utils import timezone
from django.utils.functional import cached_property

from core import caching, page_cache


class CachedCountPaginator(Paginator):
    """COUNT(*) over the public catalogue costs ~70 ms at 50,000 products and only changes
    when public data does, so each filter's count is kept for CATALOGUE_COUNT_SECONDS.
    The key includes what the caller says the list is (`count_key`: the validated
    filters), today's date (public() depends on it) and the public data version
    (core/page_cache.py), so a change is counted at once.

    `rows(ids)`, if given, makes the page's rows from its ids (in that order): plain
    rows for the catalogue's cards (catalogue/cards.py) instead of model instances."""

    def __init__(self, object_list, per_page, *, count_key, rows=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_key = count_key
        self.rows = rows

    @cached_property
    def count(self):
        seconds = settings.CATALOGUE_COUNT_SECONDS
        if not seconds:
            return super().count
        return caching.get_or_make_fixed(
            self._key("catalogue-count"), lambda: Paginator.count.func(self), seconds
        )

    @cached_property
    def _now(self) -> str:
        # What the list is at this moment: the day (public() depends on it), the public
        # data version (core/page_cache.py) and the caller's name for the list (its
        # filters). Not str(query): compiling the SQL only to name it cost as much as a
        # small query.
        return f"{timezone.localdate()}|{page_cache.version()}|{self.count_key}"

    def _key(self, kind: str, *more) -> str:
        raw = "|".join((self._now, *(str(part) for part in more)))
        return f"{kind}:" + hashlib.sha1(raw.encode()).hexdigest()

    def get_page(self, number, after: str = "", before: str = ""):
        """The page numbered `number`, read from a cursor when the link carries one.

        A "next" link says where the page before it ended (`after`), a "previous" link
        where the page after it began (`before`): the page's rows are then the next
        ones in the sort order from that point, read from the sort's index like page 1
        (a keyset, "seek" page), however deep. The number is what the page shows. A
        link without a cursor (an old ?page=N bookmark), or with one that no longer
        fits (a changed sort, a forged or stale value), is read by its number instead:
        the same page, at the cost of skipping the rows before it.
        """
        try:
            number = self.validate_number(number)
        except PageNotAnInteger:
            number = 1
        except EmptyPage:
            number = self.num_pages
        cursor = after or before
        if cursor and self._seekable():
            page = self._seek(number, cursor, forward=bool(after))
            if page is not None:
                return page
        return self.page(number)

    def page(self, number):
        """A page by its number, in two steps (a "deferred join"): the ids of the page's
        rows first, through the filter's tables only, then those rows with everything
        a card shows.

        With OFFSET the database builds every skipped row; joining producer, places and
        product set for 36,000 skipped rows made page 1,500 take 650 ms on SQLite and
        1.4 s on PostgreSQL. Skipping bare ids costs a fraction of that; a link with a
        cursor (get_page) skips nothing.
        """
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        whole = top - bottom == self.per_page  # the last page may be short, or take orphans
        if number == 1 or not whole or not self._seekable() or not settings.CATALOGUE_COUNT_SECONDS:
            return self._page(list(self._keys(self.object_list)[bottom:top]), number)
        # An old bookmark, a crawler's ?page=N: the rows before the page are skipped once
        # for this version of the list, and where they end is kept (a cursor, as a link
        # would carry), so the next visitor of this page number reads it like page 1.
        key = self._key("catalogue-page-start", self._order(), self.per_page, number)
        start = caching.get_fixed(key)
        if start is not None and (page := self._seek(number, start, forward=True)) is not None:
            return page
        # The row before the page as well: where the page starts.
        rows = list(self._keys(self.object_list)[bottom - 1 : top])
        if len(rows) > 1:
            caching.set_fixed(key, self._encode(rows[0][1:]), settings.CATALOGUE_COUNT_SECONDS)
        return self._page(rows[1:], number)

    def _order(self) -> list[tuple[str, bool]]:
        """The sort as (name, descending) pairs; it must end with a unique key."""
        return [(f.lstrip("-"), f.startswith("-")) for f in self.object_list.query.order_by]

    def _seekable(self) -> bool:
        """A sort on stored columns only. A computed key (a search's rank) must be worked
        out for every match before any page can be cut, so a cursor would save nothing
        and its condition would compute the rank twice: such pages go by number."""
        order, fields = self._order(), self.object_list.model._meta
        return bool(order) and all(_is_field(fields, name) for name, _desc in order)

    def _keys(self, queryset):
        """The page's ids with their sort values, the index's columns only."""
        return queryset.values_list("pk", *(name for name, _desc in self._order()))

    def _page(self, rows, number):
        ids = [row[0] for row in rows]
        if self.rows is not None:
            items = self.rows(ids)
        else:
            found = {row.pk: row for row in self.object_list.filter(pk__in=ids)}
            items = [found[pk] for pk in ids if pk in found]
        page = self._get_page(items, number, self)
        keyed = bool(rows) and self._seekable()
        page.next_cursor = self._encode(rows[-1][1:]) if keyed and page.has_next() else ""
        page.previous_cursor = self._encode(rows[0][1:]) if keyed and number > 2 else ""
        return page

    def _seek(self, number, cursor, forward):
        order = self._order()
        values = self._decode(cursor, order)
        if values is None:
            return None
        queryset = self.object_list.filter(self._beyond(order, values, forward))
        if not forward:
            queryset = queryset.reverse()
        rows = list(self._keys(queryset)[: self.per_page])
        if not forward:
            rows.reverse()
        # Nothing there (the data moved since the link was made) or a short page before
        # this one: the page by its number is the better answer.
        if not rows or (not forward and len(rows) < self.per_page):
            return None
        return self._page(rows, number)

    def _beyond(self, order, values, forward) -> Q:
        """Rows strictly past `values` in the scan's direction:
        a > x OR (a = x AND b > y) OR ..., led by a >= x so the index is entered at x."""
        model = self.object_list.model
        nulls_largest = connections[self.object_list.db].features.nulls_order_largest
        strictly, equal = Q(), Q()
        for (name, desc), value in zip(order, values, strict=True):
            greater = desc != forward
            step = Q(**{f"{name}__{'gt' if greater else 'lt'}": value})
            if _nullable(model, name) and nulls_largest == greater:
                step |= Q(**{f"{name}__isnull": True})  # NULLs sort past every value
            strictly |= equal & step
            equal &= Q(**{name: value})
        name, desc = order[0]
        lead = Q(**{f"{name}__{'gte' if desc != forward else 'lte'}": values[0]})
        if _nullable(model, name) and nulls_largest == (desc != forward):
            lead |= Q(**{f"{name}__isnull": True})
        return lead & strictly

    @staticmethod
    def _signature(order) -> int:
        return zlib.crc32(repr(order).encode()) & 0xFFFF

    def _encode(self, values) -> str:
        data = [self._signature(self._order()), *values]
        raw = json.dumps(data, default=str, separators=(",", ":"), ensure_ascii=False)
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def _decode(self, cursor, order):
        """The cursor's sort values, checked against this sort, or None."""
        if not order or len(cursor) > 2000:
            return None
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            data = json.loads(raw.decode())
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return None
        if not isinstance(data, list) or len(data) != len(order) + 1:
            return None
        if data[0] != self._signature(order):
            return None
        model = self.object_list.model
        values = []
        for (name, _desc), value in zip(order, data[1:], strict=True):
            if not _plain(value):
                return None  # a NULL sort value, or a forged one: the page by its number
            try:
                field = model._meta.get_field(name if name != "pk" else "id")
            except FieldDoesNotExist:  # an annotation: the search rank, a whole number
                if not isinstance(value, int):
                    return None
                values.append(value)
                continue
            try:
                values.append(field.to_python(value))
                field.get_prep_value(values[-1])
            except (ValidationError, TypeError, ValueError, OverflowError):
                return None
            if not _plain(values[-1]):
                return None
        return values


class RankedPaginator(CachedCountPaginator):
    """A search's pages, read rank by rank: `ranks` is (rank, walked, indexed) best first,
    each making the list's products of that rank in the sort's order, found by walking
    the sort's index or led by the full-text index (registry.querysets.search_ranks);
    `matches()` makes the search's matches with their rank, to count them.
    `object_list` is the list unsearched, in the sort's order: never read, as nothing
    is made before it is needed (a search's queryset took a fifth of its page to build).

    How many products each rank holds is counted once per list and version (one grouped
    query, kept like a count), and a page is then the rows of the ranks it spans: page 1
    of a broad search reads 24 rows where it ranked and sorted 6,500.

    A walk is chosen when the rank is broad enough that, spread evenly through `listed`
    (the public list, which the walk's index holds), its rows come soon (`walks`). They
    may not be spread evenly: names begin with what a product is, so "rượu" matches a
    run of names far down the list. A walk is therefore bounded: it stops at the entry
    four times further than the even spread puts the page's last row; a page not found
    by then is read through the full-text index, and that rank of that list is not
    walked again until its data changes. The bound's entry is found once per version.
    """

    def __init__(self, object_list, per_page, *, matches, ranks, listed, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.matches = matches
        self.ranks = ranks
        self.listed = listed

    @cached_property
    def rank_sizes(self) -> dict[int, int]:
        def sizes():
            rows = self.matches().order_by().values_list("search_rank").annotate(n=Count("pk"))
            return dict(rows)

        return self._kept("catalogue-rank-sizes", sizes)

    def _seekable(self) -> bool:
        return False  # a rank is computed: pages go by number (see _seekable above)

    @cached_property
    def count(self):
        return sum(self.rank_sizes.values())

    @cached_property
    def population(self) -> int:
        """How many products the walk's index holds: the whole public list."""
        return self._kept("catalogue-population", self.listed.count, listed=True)

    def _kept(self, kind, make, *more, listed=False):
        seconds = settings.CATALOGUE_COUNT_SECONDS
        if not seconds:
            return make()
        # The public list's own values are the same whatever this list's filters are.
        key = f"{kind}:{timezone.localdate()}|{page_cache.version()}" if listed else None
        return caching.get_or_make_fixed(
            _hashed(key, *more) if key else self._key(kind, *more), make, seconds
        )

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids, start = [], 0
        for rank, walked, indexed in self.ranks:
            size = self.rank_sizes.get(rank, 0)
            low, high = max(bottom - start, 0), min(top - start, size)
            if low < high:
                found = self._walk(rank, walked, low, high, size)
                if found is None:
                    found = list(indexed().values_list("pk", flat=True)[low:high])
                ids += found
            start += size
            if start >= top:
                break
        return self._page([(pk,) for pk in ids], number)

    def _walk(self, rank, walked, low, high, size) -> list | None:
        """The rank's rows low..high by a bounded walk, or None: read them otherwise."""
        if not walks(high, size, self.population, self.count):
            return None
        walked = walked()
        order = [(f.lstrip("-"), f.startswith("-")) for f in walked.query.order_by]
        missed = self._key("catalogue-rank-missed", order, rank)
        if settings.CATALOGUE_COUNT_SECONDS and caching.get_fixed(missed):
            return None
        reach = _bound_entries(high, size, self.population)
        bound = self._entry(order, reach) if reach < self.population else None
        if bound is not None:
            walked = walked.filter(_up_to(order, bound))
        found = list(walked.values_list("pk", flat=True)[low:high])
        if len(found) == high - low:
            return found
        if settings.CATALOGUE_COUNT_SECONDS:
            caching.set_fixed(missed, True, settings.CATALOGUE_COUNT_SECONDS)
        return None

    def _entry(self, order, position):
        """The sort values of the public list's entry at `position` (from 1)."""

        def entry():
            names = [name for name, _desc in order]
            fields = [f"-{name}" if desc else name for name, desc in order]
            row = self.listed.order_by(*fields).values_list(*names)[position - 1 : position]
            return tuple(row[0]) if row else None

        return self._kept("catalogue-walk-bound", entry, order, position, listed=True)


# What testing one product costs a walk (its index entry, its row's texts), against what
# reading one match through the full-text index and sorting it costs: measured on both
# databases at 50,000 products (docs/benchmarks.md).
WALK_COST = 3
# How much further than an even spread puts a page's last row a walk may go.
WALK_REACH = 4


def walks(needed: int, in_rank: int, population: int, matches: int) -> bool:
    """Whether the first `needed` rows of a rank of `in_rank` products are found faster by
    walking the sort's index than through the full-text index. Spread evenly, the walk
    tests about needed x population / in_rank products; the index reads every match of
    the search and sorts the rank's."""
    return needed * population * WALK_COST <= in_rank * matches


def _up_to(order, values):
    """Entries up to `values` in the scan's order, as one comparison of the sort's leading
    columns of one direction, (name, id) <= (x, y): an index range, where the same
    bound as ANDs and ORs made PostgreSQL read the whole range and sort it. A sort of
    mixed directions (-stars, name, id) is bounded by its first column only: coarser,
    still a range."""
    lead = list(itertools.takewhile(lambda column: column[1] == order[0][1], order))
    columns = Tuple(*(F(name) for name, _desc in lead))
    compare = TupleGreaterThanOrEqual if order[0][1] else TupleLessThanOrEqual
    return compare(columns, tuple(values[: len(lead)]))


def _bound_entries(needed: int, in_rank: int, population: int) -> int:
    """How many entries a walk may pass: WALK_REACH times the even spread's, rounded up
    to a power of two so that lists of like sizes share the bound's entry."""
    even = -(-needed * population // max(in_rank, 1))
    return 1 << max(WALK_REACH * even - 1, 1).bit_length()


def _hashed(*parts) -> str:
    return "walk:" + hashlib.sha1("|".join(str(part) for part in parts).encode()).hexdigest()


def _plain(value) -> bool:
    """A value the databases take as a parameter without complaint."""
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        return False
    if isinstance(value, int):
        return -(2**63) <= value < 2**63
    if isinstance(value, str):
        return "\x00" not in value
    return True


def _is_field(options, name) -> bool:
    try:
        options.get_field(name)
    except FieldDoesNotExist:
        return name == "pk"
    return True


def _nullable(model, name) -> bool:
    try:
        return model._meta.get_field(name).null
    except FieldDoesNotExist:
        return False
