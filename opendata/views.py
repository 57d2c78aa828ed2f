"""Read-only endpoints; each list runs a fixed number of queries whatever the data size."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import renderers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from evaluation import verification
from evaluation.models import Certificate, Rulebook
from opendata import filters, serializers
from opendata.renderers import CSVRenderer
from registry.models import Producer, Product

FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv"],
    description=_(
        "`csv`: the whole filtered list (not one page) as UTF-8 CSV with a BOM, "
        "nested fields as dotted columns."
    ),
)


def list_schema(summary, description, serializer):
    """A list's schema: paged JSON, or the whole filtered list as CSV text."""
    return extend_schema(
        summary=summary,
        description=description,
        parameters=[FORMAT],
        responses={
            (200, "application/json"): serializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
        },
    )


class OpenDataViewSet(viewsets.ReadOnlyModelViewSet):
    """Shared by the three registers: anyone may read, lists also export as CSV."""

    permission_classes = [AllowAny]
    filter_backends = [DjangoFilterBackend]
    csv_filename = "ocop.csv"

    def get_renderers(self):
        renderers_ = super().get_renderers()
        if self.action == "list":
            renderers_.append(CSVRenderer())
        return renderers_

    def list(self, request, *args, **kwargs):
        if getattr(request.accepted_renderer, "format", None) != "csv":
            return super().list(request, *args, **kwargs)
        # An export is the whole filtered list, not one page. Rows are read in chunks
        # (with their prefetches), so a large register never needs one huge IN (...).
        queryset = self.filter_queryset(self.get_queryset())
        serializer = self.get_serializer(queryset.iterator(chunk_size=2000), many=True)
        return Response(serializer.data)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        renderer = getattr(request, "accepted_renderer", None)
        if getattr(renderer, "format", None) == "csv" and not response.exception:
            response["Content-Disposition"] = f'attachment; filename="{self.csv_filename}"'
        return response


@extend_schema_view(
    list=list_schema(
        _("Certified products"),
        _(
            "Published products whose OCOP certificate is in force today, with the "
            "catalogue's search, facets and sorting."
        ),
        serializers.ProductSerializer,
    ),
    retrieve=extend_schema(summary=_("One certified product, with description and photos")),
)
class ProductViewSet(OpenDataViewSet):
    """Products on the public catalogue: published, with a certificate in force today."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filterset_class = filters.ProductFilter
    csv_filename = "ocop-products.csv"

    def get_queryset(self):
        today = timezone.localdate()
        in_force = Certificate.objects.current(today).order_by("-issued_on", "-id")
        return (
            Product.objects.public(today)
            .for_catalogue()
            .prefetch_related(Prefetch("certificates", in_force, to_attr="certificates_in_force"))
            .order_by("name", "id")
        )

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.ProductDetailSerializer
        return serializers.ProductSerializer


def producers_with_public_products():
    return (
        Producer.objects.annotate(
            public_product_count=Count(
                "products", filter=Q(products__in=Product.objects.public()), distinct=True
            )
        )
        .filter(public_product_count__gt=0)
        .select_related("commune__parent", "province", "district")
        .order_by("name", "id")
    )


@extend_schema_view(
    list=list_schema(
        _("Producers"),
        _("Producers with at least one certified product on the public catalogue."),
        serializers.ProducerSerializer,
    ),
    retrieve=extend_schema(summary=_("One producer, with its certified products")),
)
class ProducerViewSet(OpenDataViewSet):
    """Producers with at least one product on the public catalogue."""

    filterset_class = filters.ProducerFilter
    csv_filename = "ocop-producers.csv"

    def get_queryset(self):
        producers = producers_with_public_products()
        if self.action == "retrieve":
            public = Product.objects.public().order_by("-stars", "name", "id")
            producers = producers.prefetch_related(
                Prefetch("products", queryset=public, to_attr="public_products")
            )
        return producers

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.ProducerDetailSerializer
        return serializers.ProducerSerializer


@extend_schema_view(
    list=list_schema(
        _("Certificate registry"),
        _(
            "Every certificate of a published product, in force or not: valid, expiring "
            "(re-evaluation window open), extended (in force past expiry while re-evaluated), "
            "expired, revoked or superseded. Newest first."
        ),
        serializers.CertificateSerializer,
    ),
    retrieve=extend_schema(summary=_("One certificate, by its number (case and spaces ignored)")),
)
class CertificateViewSet(OpenDataViewSet):
    """The register of OCOP certificates: public record, whatever their state."""

    serializer_class = serializers.CertificateSerializer
    filterset_class = filters.CertificateFilter
    lookup_field = "number"
    lookup_value_regex = "[^/]+"
    csv_filename = "ocop-certificates.csv"

    def get_queryset(self):
        # A certificate is public record, so expired, revoked and superseded ones stay
        # listed; only products their producer has withdrawn (unpublished) are left out.
        listed = Product.objects.public().filter(pk=OuterRef("product_id"))
        return (
            Certificate.objects.filter(product__is_published=True)
            .select_related("product__producer", "unit", "rulebook", "superseded_by")
            .annotate(product_is_public=Exists(listed))
            .order_by("-issued_on", "-id")
        )

    def get_serializer_context(self):
        # Certificates from before the system follow the rulebook of their issue date:
        # every rulebook loaded once for the page, not once per row.
        return {**super().get_serializer_context(), "rulebooks": list(Rulebook.objects.all())}

    def get_object(self):
        # Read as the public check reads a typed number (evaluation/verification.py).
        typed = self.kwargs["number"]
        certificate = None
        if not verification.number_too_long(typed):
            number = verification.normalise_number(typed)
            certificate = self.get_queryset().filter(number=number).first()
        if certificate is None:
            raise Http404
        self.check_object_permissions(self.request, certificate)
        return certificate


class ApiRootView(APIView):
    """Open data of the OCOP registry: certified products, their producers and certificates.

    Read-only, no account needed. JSON by default; every list also exports as CSV with
    ?format=csv (UTF-8 with a BOM, the whole filtered list, nested fields as dotted columns).

    GET /api/products/ — products whose OCOP certificate is in force today. Filters:
    q (product, producer or place; accents optional: "hoai duc" finds Hoài Đức),
    stars (3, 4, 5), group (group code), product_set (set number, 1 to 26),
    province, district, commune (official codes; districts as before July 2025),
    producer (producer id), sort (name, stars or newest).
    GET /api/products/{slug}/ — one product, with its description and photos.

    GET /api/producers/ — producers with at least one certified product.
    Filters: kind, province, district, commune.
    GET /api/producers/{id}/ — one producer, with its certified products.

    GET /api/certificates/ — every certificate of a listed product, in force or not.
    Filters: number, state (valid, expiring, extended, expired, revoked, superseded), stars,
    product (slug).
    GET /api/certificates/{number}/ — one certificate.

    Lists are paged: ?page=2&page_size=100 (at most 100 a page). A producer's phone,
    email and website are given only when the producer agreed to publish them.
    Anonymous clients are rate-limited per address: beyond the limit the answer is
    HTTP 429 with a Retry-After header.

    Every endpoint, parameter and field is described in the OpenAPI 3 schema at
    /api/schema/ (YAML; ?format=json for JSON, ?lang=en for English descriptions).
    """

    permission_classes = [AllowAny]
    renderer_classes = [renderers.JSONRenderer]

    def get_view_name(self):
        return "OCOP open data API"

    @extend_schema(exclude=True)
    def get(self, request):
        def link(name):
            return request.build_absolute_uri(reverse(name))

        return Response(
            {
                "products": link("api:product-list"),
                "producers": link("api:producer-list"),
                "certificates": link("api:certificate-list"),
                "schema": link("api:schema"),
                "docs": link("opendata:docs"),
            }
        )


def docs_page(request):
    """The API's documentation in the site's look and language: what the API offers, in
    words, then Swagger UI (served from this site by drf-spectacular-sidecar) reading the
    schema in the same language. Without a script the words and the schema's links stay."""
    language = translation.get_language()
    return render(
        request,
        "opendata/docs.html",
        {
            "schema_url": f"{reverse('api:schema')}?format=json&lang={language}",
            "language": language,
        },
    )
