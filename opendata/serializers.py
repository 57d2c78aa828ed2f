"""What the API shows of each object: public fields only, named in English.

Never here: registration numbers, the legal representative, search columns, the
published flag, dossiers and scores. A producer's phone, email and website appear
only when the producer has agreed (`contact_public`); otherwise they are null.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from evaluation.certificates import certificate_state
from evaluation.models import Certificate
from evaluation.validity import State
from registry.models import AdministrativeUnit, Producer, Product, ProductGroup, ProductSet


def absolute(request, path: str) -> str:
    if settings.SITE_URL:  # the public address, as in QR codes and PDFs
        return f"{settings.SITE_URL}{path}"
    return request.build_absolute_uri(path) if request is not None else path


def product_url(request, slug: str) -> str:
    # The page in the site's main language: the same link whatever the client's language.
    with translation.override(settings.LANGUAGE_CODE):
        return absolute(request, reverse("catalogue:product", args=[slug]))


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdministrativeUnit
        fields = ["code", "name"]


class PlaceSerializer(serializers.Serializer):
    """Where a producer is: commune (null while it is to be completed: an imported old
    list gave only the province or district), the district of before July 2025 (or null),
    province."""

    commune = UnitSerializer(allow_null=True)
    district = UnitSerializer(allow_null=True)
    province = UnitSerializer(source="province_unit")


class ContactMixin(serializers.Serializer):
    phone = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()
    website = serializers.SerializerMethodField()

    def _contact(self, producer, field):
        return (getattr(producer, field) or None) if producer.contact_public else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_phone(self, producer) -> str | None:
        return self._contact(producer, "phone")

    @extend_schema_field(OpenApiTypes.EMAIL)
    def get_email(self, producer) -> str | None:
        return self._contact(producer, "email")

    @extend_schema_field(OpenApiTypes.URI)
    def get_website(self, producer) -> str | None:
        return self._contact(producer, "website")


class ProductSetSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductSet
        fields = ["number", "name", "name_en"]


class ProductGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductGroup
        fields = ["code", "name", "name_en"]


class ProductProducerSerializer(ContactMixin, serializers.ModelSerializer):
    class Meta:
        model = Producer
        fields = ["id", "name", "kind", "phone", "email", "website"]


class ProductCertificateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certificate
        fields = ["number", "stars", "level", "issued_on", "expires_on"]


class InForceCertificateSerializer(ProductCertificateSerializer):
    """The product's certificate in force, which the view prefetches as
    `certificates_in_force` (the product row itself knows only its stars and date)."""

    def get_attribute(self, product):
        in_force = product.certificates_in_force
        return in_force[0] if in_force else None


class ProductSerializer(serializers.ModelSerializer):
    product_set = ProductSetSerializer()
    group = ProductGroupSerializer(source="product_set.group")
    producer = ProductProducerSerializer()
    place = PlaceSerializer(source="producer")
    certificate = InForceCertificateSerializer(
        allow_null=True, help_text=_("The certificate in force.")
    )
    url = serializers.SerializerMethodField(help_text=_("The product's public page."))
    thumbnail_url = serializers.SerializerMethodField(help_text=_("First photo, small; or null."))

    class Meta:
        model = Product
        fields = [
            "id",
            "slug",
            "name",
            "stars",
            "product_set",
            "group",
            "producer",
            "place",
            "certificate",
            "url",
            "thumbnail_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, product) -> str:
        return product_url(self.context.get("request"), product.slug)

    @extend_schema_field(OpenApiTypes.URI)
    def get_thumbnail_url(self, product) -> str | None:
        photos = list(product.photos.all())  # prefetched, in position order
        if not photos:
            return None
        photo = photos[0]
        image = photo.thumbnail or photo.image
        return absolute(self.context.get("request"), image.url)


class PhotoSerializer(serializers.Serializer):
    image_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()
    caption = serializers.CharField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_image_url(self, photo) -> str:
        return absolute(self.context.get("request"), photo.image.url)

    @extend_schema_field(OpenApiTypes.URI)
    def get_thumbnail_url(self, photo) -> str | None:
        image = photo.thumbnail or photo.image
        return absolute(self.context.get("request"), image.url)


class ProductDetailSerializer(ProductSerializer):
    photos = PhotoSerializer(many=True)

    class Meta(ProductSerializer.Meta):
        fields = [
            *ProductSerializer.Meta.fields,
            "description",
            "ingredients",
            "raw_material_origin",
            "photos",
        ]


class ProducerSerializer(ContactMixin, serializers.ModelSerializer):
    place = PlaceSerializer(source="*")
    public_product_count = serializers.IntegerField(
        read_only=True, help_text=_("Products of this producer with a certificate in force.")
    )
    products_url = serializers.SerializerMethodField(help_text=_("Its products in this API."))

    class Meta:
        model = Producer
        fields = [
            "id",
            "name",
            "kind",
            "place",
            "phone",
            "email",
            "website",
            "public_product_count",
            "products_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_products_url(self, producer) -> str:
        return absolute(
            self.context.get("request"), f"{reverse('api:product-list')}?producer={producer.pk}"
        )


class ProducerProductSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = ["slug", "name", "stars", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, product) -> str:
        return product_url(self.context.get("request"), product.slug)


class ProducerDetailSerializer(ProducerSerializer):
    products = ProducerProductSerializer(many=True, source="public_products")

    class Meta(ProducerSerializer.Meta):
        fields = [*ProducerSerializer.Meta.fields, "products"]


class CertificateProductSerializer(serializers.Serializer):
    """The certified product, read from the certificate (which knows if it is listed)."""

    slug = serializers.CharField(source="product.slug")
    name = serializers.CharField(source="product.name")
    url = serializers.SerializerMethodField(
        help_text=_("The product's public page; null when the product is not listed now.")
    )

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, certificate) -> str | None:
        if not certificate.product_is_public:
            return None
        return product_url(self.context.get("request"), certificate.product.slug)


class CertificateProducerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Producer
        fields = ["name"]


class CertificateSerializer(serializers.ModelSerializer):
    product = CertificateProductSerializer(source="*")
    producer = CertificateProducerSerializer(source="product.producer")
    unit = UnitSerializer(allow_null=True, help_text=_("The issuing unit, if any."))
    state = serializers.SerializerMethodField()
    revocation_ground = serializers.SerializerMethodField()
    superseded_by = serializers.SlugRelatedField(
        slug_field="number",
        read_only=True,
        help_text=_("Number of the certificate that replaced it."),
    )

    class Meta:
        model = Certificate
        fields = [
            "number",
            "product",
            "producer",
            "stars",
            "level",
            "unit",
            "issued_on",
            "expires_on",
            "extended_until",
            "state",
            "revoked_on",
            "revocation_ground",
            "superseded_by",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=[s.value for s in State]))
    def get_state(self, certificate) -> str:
        today = self.context.get("today") or timezone.localdate()
        return certificate_state(certificate, today, self.context.get("rulebooks")).value

    @extend_schema_field(
        serializers.ChoiceField(choices=Certificate.Ground.values, allow_null=True)
    )
    def get_revocation_ground(self, certificate) -> str | None:
        return certificate.revocation_ground or None
