from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from catalogue import cards, facets
from catalogue.filters import CatalogueFilter
from catalogue.sales_filters import SalesPointFilter
from core import caching, page_cache
from core.compiled import Compiled
from core.maps import allow_tiles
from core.page_cache import public_page
from core.pagination import CachedCountPaginator, RankedPaginator
from evaluation.models import Certificate
from registry.models import Product, SalesPoint


@public_page
def catalogue(request):
    """The public list of certified products with facets, search and sorting."""
    products = Product.objects.public().for_catalogue()
    filterset = CatalogueFilter(request.GET or None, queryset=products)
    # An invalid facet (an old bookmark's stars=9) shows every product, unsearched:
    # the search and sort are taken only from a form that validated.
    valid = filterset.is_bound and filterset.is_valid()
    query = filterset.form.cleaned_data.get("q") if valid else ""
    sort = (filterset.form.cleaned_data.get("sort") if valid else "") or "name"
    count_key = _count_key(filterset.form.cleaned_data if valid else {})
    # Next/previous links carry a cursor (after/before a row) beside the page number, so
    # a deep page is read from the sort's index like page 1 (core/pagination.py); the
    # cards are made from plain rows of the page's ids (catalogue/cards.py). A search is
    # read rank by rank, its querysets made only when needed.
    if query:
        unsearched = filterset.unsearched()
        paginator = RankedPaginator(
            unsearched.sorted_by(sort),
            settings.CATALOGUE_PAGE_SIZE,
            count_key=count_key,
            rows=cards.cards_of_ids,
            matches=lambda: unsearched.search(query),
            ranks=unsearched.search_ranks(query, sort),
            listed=products,
        )
    else:
        paginator = CachedCountPaginator(
            (filterset.qs if valid else products).sorted_by(sort),
            settings.CATALOGUE_PAGE_SIZE,
            count_key=count_key,
            rows=cards.cards_of_ids,
        )
    page = paginator.get_page(
        request.GET.get("page"),
        after=request.GET.get("sau", ""),
        before=request.GET.get("truoc", ""),
    )
    params = request.GET.copy()
    for paging in ("page", "sau", "truoc"):
        params.pop(paging, None)
    return render(
        request,
        "catalogue/catalogue.html",
        {
            "filter": filterset,
            "facets": facets.facets(filterset),
            "page": page,
            "query": query,
            "params": params.urlencode(),
        },
    )


def _count_key(cleaned: dict) -> str:
    """What the list counted is: the validated filters (the sort changes no count)."""
    return repr(
        sorted(
            (name, str(getattr(value, "pk", value)))
            for name, value in cleaned.items()
            if name != "sort" and value not in (None, "")
        )
    )


# The product page's frame needs five fields: read alone, by SQL made once a day (the day
# is part of public(); core/compiled.py), and the whole product, its photos, certificate
# and siblings only when the body is not kept.
_HEAD = Compiled(
    lambda slug, today: (
        Product.objects.public(today)
        .filter(slug=slug)  # unique
        .order_by()
        .values_list("pk", "producer_id", "name", "description", "producer__name")[:1]
    )
)


def _head(slug, today) -> list[tuple]:
    """The head's row, kept per slug, day and public data version (any change to what it
    shows moves the version, which a kept page has read already: no query while nothing
    changed). Only a product found is kept: a made-up slug fills nothing."""
    key = f"product-head:{slug}:{today}:{page_cache.version()}"
    found = caching.get_fixed(key)
    if found is None:
        found = _HEAD.rows(slug, fixed=(today,))
        if found:
            caching.set_fixed(key, found, settings.PUBLIC_PAGE_SECONDS or 300)
    return found


@public_page
def product_detail(request, slug):
    today = timezone.localdate()
    found = _head(slug, today)
    if not found:
        raise Http404
    head = dict(
        zip(("pk", "producer_id", "name", "description", "producer__name"), found[0], strict=True)
    )
    tags = (page_cache.product_tag(head["pk"]), page_cache.producer_tag(head["producer_id"]))
    # Kept until this product, its producer (or one of its other products) changes.
    page_cache.depends_on(*tags)
    # The page's body is kept apart, per product, language, day and the version of what
    # it shows: a visitor the whole-page cache does not serve (signed in, or an address
    # with a new query string) gets it without its five queries and its rendering.
    key = (
        f"product-body:{head['pk']}:{get_language()}:{today}:{request.get_host()}:"
        f"{page_cache.version(*tags)}"
    )
    body = caching.get_or_make_fixed(
        key, lambda: _product_body(request, head["pk"], today), settings.PUBLIC_PAGE_SECONDS
    )
    return render(
        request, "catalogue/product_detail.html", {"product": head, "body": mark_safe(body)}
    )


def _product_body(request, pk, today) -> str:
    product = get_object_or_404(Product.objects.public(today).for_catalogue(), pk=pk)
    # The certificate the product is listed on (public() guarantees one is in force).
    certificate = (
        Certificate.objects.current(today)
        .filter(product=product)
        .select_related("unit")
        .order_by("-issued_on", "-id")
        .first()
    )
    siblings = cards.cards(
        Product.objects.public()
        .filter(producer_id=product.producer_id)
        .exclude(pk=product.pk)
        .order_by("-stars", "name")[:8]
    )
    return render_to_string(
        "catalogue/includes/product_body.html",
        {
            "product": product,
            "certificate": certificate,
            "today": today,
            "siblings": siblings,
            "ip_titles": product.ip_titles.order_by("kind"),
            "quality_papers": product.quality_papers.order_by("kind"),
            "sales_points": product.sales_points.public().select_related("commune"),
        },
        request,
    )


@allow_tiles
@public_page
def sales_points(request):
    """Where to buy: open sales points by place, with the public products each carries,
    as a list (always) and pins on a map (with a tile server and a script). The map reads
    its pins from the list's own cards, so it never shows more than the list does."""
    points = SalesPoint.objects.for_listing().prefetch_related(
        Prefetch(
            "products",
            queryset=Product.objects.public().order_by("name"),
            to_attr="public_products",
        )
    )
    filterset = SalesPointFilter(request.GET or None, queryset=points)
    # A place that is not offered (a closed point's, a hand-edited address) is said so,
    # and every point is shown rather than none.
    valid = not filterset.is_bound or filterset.is_valid()
    shown = list(filterset.qs if filterset.is_bound and valid else points)
    return render(
        request,
        "catalogue/sales_points.html",
        {
            "filter": filterset,
            "points": shown,
            "invalid": not valid,
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "pinned": sum(point.has_location for point in shown),
        },
    )
