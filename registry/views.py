from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from evaluation.access import products_visible_to
from registry.filters import CatalogueFilter
from registry.models import EvidenceDocument, Product, SalesPoint
from registry.page_cache import public_page
from registry.pagination import CachedCountPaginator


@public_page
def catalogue(request):
    """The public list of certified products with facets, search and sorting."""
    products = Product.objects.public().for_catalogue()
    filterset = CatalogueFilter(request.GET or None, queryset=products)
    # An invalid facet (an old bookmark's stars=9) shows every product, unsearched:
    # the search and sort are taken only from a form that validated.
    valid = filterset.is_bound and filterset.is_valid()
    results = filterset.qs if valid else products
    query = filterset.form.cleaned_data.get("q") if valid else ""
    sort = (filterset.form.cleaned_data.get("sort") if valid else "") or "name"
    results = results.sorted_by(sort, ranked=bool(query))
    page = CachedCountPaginator(results, settings.CATALOGUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "registry/catalogue.html",
        {"filter": filterset, "page": page, "query": query, "params": params.urlencode()},
    )


@public_page
def product_detail(request, slug):
    product = get_object_or_404(Product.objects.public().for_catalogue(), slug=slug)
    siblings = (
        Product.objects.public()
        .for_catalogue()
        .filter(producer_id=product.producer_id)
        .exclude(pk=product.pk)
        .order_by("-stars", "name")[:8]
    )
    return render(
        request,
        "registry/product_detail.html",
        {
            "product": product,
            "siblings": siblings,
            "ip_titles": product.ip_titles.order_by("kind"),
            "quality_papers": product.quality_papers.order_by("kind"),
            "sales_points": product.sales_points.public().select_related("commune"),
        },
    )


@public_page
def sales_points(request):
    """Where to buy: every open sales point with the public products it carries."""
    points = (
        SalesPoint.objects.public()
        .select_related("commune__parent")
        .prefetch_related(
            Prefetch(
                "products",
                queryset=Product.objects.public().order_by("name"),
                to_attr="public_products",
            )
        )
    )
    return render(request, "registry/sales_points.html", {"points": points})


@login_required
def evidence_download(request, pk):
    """A product's evidence paper, for those who may open the product outside the public
    catalogue (evaluation.access.products_visible_to, the scope of the product admin).
    PrivateStorage gives its files no URL, so this is the only way out for them; outside
    that scope the paper is a 404, as a dossier's documents are."""
    evidence = get_object_or_404(
        EvidenceDocument.objects.filter(product__in=products_visible_to(request.user).values("pk")),
        pk=pk,
    )
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=evidence.file.name.rsplit("/", 1)[-1])


def ping(request):
    """The bare Django view: no database, no template. `make bench` measures every page
    against it, as the ceiling of this stack on this machine."""
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain")
