from django.conf import settings
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.files import (
    DocumentField,
    PhotoField,
    private_storage,
    validate_document,
    validate_photo,
)
from core.images import make_thumbnail
from registry import search
from registry.querysets import ProductQuerySet

# The public lists' sort keys (registry.querysets.SORTS, as index fields) and what a
# list's index entries carry beside them: the public filter and the facets.
PUBLIC_KEY = {
    "name": ["name", "id"],
    "stars": ["-stars", "name", "id"],
    "newest": ["created_at", "id"],
}
COVERED = ["is_published", "certified_until", "stars", "product_set"]


def _covering(sort: str) -> list[str]:
    key = PUBLIC_KEY[sort]
    return key + [f for f in COVERED if f not in {k.lstrip("-") for k in key}]


class Product(models.Model):
    """A product a producer puts forward for OCOP rating."""

    producer = models.ForeignKey(
        "registry.Producer",
        verbose_name=_("producer"),
        on_delete=models.PROTECT,
        related_name="products",
    )
    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("public address"), max_length=160, unique=True)
    # NULL: "not yet classified", as an old list that named only a group ("Thực phẩm")
    # left it; such a product stays out of public() until an office classifies it. Forms
    # still require a set (blank=False).
    product_set = models.ForeignKey(
        "registry.ProductSet",
        verbose_name=_("product set"),
        on_delete=models.PROTECT,
        related_name="products",
        null=True,
    )
    description = models.TextField(_("description"), blank=True)
    ingredients = models.TextField(_("ingredients"), blank=True)
    raw_material_origin = models.TextField(_("origin of raw materials"), blank=True)
    is_published = models.BooleanField(
        _("published"), default=True, help_text=_("Unpublished products never appear publicly.")
    )
    # The product's OCOP standing: what its certificate says, copied here so that public
    # pages filter on the product alone. Only evaluation.certificates writes them, from
    # the product's certificates; this app knows nothing of certificates.
    stars = models.PositiveSmallIntegerField(
        _("OCOP stars"),
        null=True,
        blank=True,
        help_text=_("Star tier of the product's certificate; empty when not certified."),
    )
    certified_until = models.DateField(
        _("certified until"),
        null=True,
        blank=True,
        help_text=_(
            "The day the product's certificate lapses; empty when it holds none or it was "
            "revoked. Kept in step by the evaluation when a certificate is issued or revoked."
        ),
    )
    # Derived from the name, the producer and the places (search_text folded,
    # search_exact with its accents) and from the description (search_more, folded),
    # kept in step on save (and by a signal when a producer is renamed); the folded
    # texts are what the full-text index reads (registry/fulltext.py).
    search_text = models.TextField(editable=False, default="")
    search_exact = models.TextField(editable=False, default="")
    search_more = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stars__isnull=True) | models.Q(stars__gte=1, stars__lte=5),
                name="product_stars_1_to_5",
            ),
            models.CheckConstraint(condition=~models.Q(slug=""), name="product_slug_not_blank"),
        ]
        indexes = [
            models.Index(fields=["is_published", "stars"], name="product_public_stars_idx"),
            # The public lists' sorts, covering: the ids of a page (core/pagination.py)
            # are read from the index alone, in order, the public filter and the star
            # and set facets checked on its entries (a deep page skips 36,000 entries,
            # not 36,000 rows: 390 ms to 16 ms at 50,000 products on SQLite).
            models.Index(fields=_covering("name"), name="product_name_idx"),
            models.Index(fields=_covering("stars"), name="product_stars_sort_idx"),
            models.Index(fields=_covering("newest"), name="product_newest_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self.name)
        self.refresh_search_fields()
        super().save(*args, **kwargs)

    def refresh_search_fields(self):
        text = search_source(self)
        self.search_exact = search.normalise(text)
        self.search_text = search.index_text(text)
        self.search_more = search.index_text(self.description)


def search_source(product) -> str:
    """Everything a buyer might type to find a product: its name, maker and place."""
    producer = product.producer
    places = [producer.commune, producer.district]
    if producer.commune_id:
        places.append(producer.commune.parent)
    elif producer.province_id:  # the commune is to be completed
        places.append(producer.province)
    return " | ".join([product.name, producer.name, *(p.name for p in places if p is not None)])


def unique_slug(name: str) -> str:
    base = slugify(search.fold(name))[:140] or "san-pham"
    slug, n = base, 1
    while Product.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class ProductPhoto(models.Model):
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="photos"
    )
    image = PhotoField(
        _("photo"),
        upload_to="products/%Y/%m/",
        validators=[validate_photo],
        help_text=_("JPEG, PNG or WebP, at most 5 MB."),
    )
    thumbnail = models.ImageField(upload_to="thumbnails/%Y/%m/", blank=True, editable=False)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["position", "id"]

    def __str__(self):
        return self.caption or self.image.name

    def save(self, *args, **kwargs):
        if self.image and not self.image._committed:
            # Stored first (checked and re-encoded by its field), so the thumbnail is drawn
            # from the picture kept, never from unchecked bytes.
            self.image.save(self.image.name, self.image.file, save=False)
        # The thumbnail is made once, here, so list pages never resize images.
        if self.image and not self.thumbnail:
            stem = self.image.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            self.thumbnail.save(f"{stem}.jpg", make_thumbnail(self.image), save=False)
        super().save(*args, **kwargs)


class IntellectualPropertyTitle(models.Model):
    class Kind(models.TextChoices):
        TRADEMARK_APPLICATION = "trademark_application", _("Trademark application (accepted)")
        TRADEMARK = "trademark", _("Trademark registration certificate")
        GEOGRAPHICAL_INDICATION = "geographical_indication", _("Geographical indication")
        COLLECTIVE_MARK = "collective_mark", _("Collective mark")
        CERTIFICATION_MARK = "certification_mark", _("Certification mark")
        PATENT = "patent", _("Patent / utility solution")
        INDUSTRIAL_DESIGN = "industrial_design", _("Industrial design")
        COPYRIGHT = "copyright", _("Copyright")

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="ip_titles"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    authority = models.CharField(_("issued by"), max_length=200, blank=True)
    document = DocumentField(
        _("copy of the title"),
        storage=private_storage,
        upload_to="ip/%Y/",
        blank=True,
        validators=[validate_document],
    )

    class Meta:
        verbose_name = _("intellectual-property title")
        verbose_name_plural = _("intellectual-property titles")

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}".strip()

    @property
    def is_granted(self) -> bool:
        return self.kind != self.Kind.TRADEMARK_APPLICATION


class QualityPaper(models.Model):
    class Kind(models.TextChoices):
        QUALITY_DECLARATION = "quality_declaration", _("Quality self-declaration")
        FOOD_SAFETY = "food_safety", _("Food-safety certificate")
        PRODUCTION_CONDITIONS = "production_conditions", _("Production-condition certificate")
        VIETGAP = "vietgap", _("VietGAP")
        GLOBALGAP = "globalgap", _("GlobalGAP")
        ORGANIC = "organic", _("Organic")
        ISO = "iso", _("ISO")
        HACCP = "haccp", _("HACCP")
        OTHER = "other", _("Other")

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="quality_papers"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    document = DocumentField(
        _("copy of the paper"),
        storage=private_storage,
        upload_to="quality/%Y/",
        blank=True,
        validators=[validate_document],
    )

    class Meta:
        verbose_name = _("quality paper")
        verbose_name_plural = _("quality papers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(issued_on__isnull=True)
                | models.Q(valid_until__gte=models.F("issued_on")),
                name="quality_paper_valid_after_issue",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}".strip()


class EvidenceDocument(models.Model):
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="evidence"
    )
    title = models.CharField(_("title"), max_length=200)
    file = DocumentField(
        _("file"),
        storage=private_storage,
        upload_to="evidence/%Y/%m/",
        validators=[validate_document],
        help_text=_("PDF or picture, at most 10 MB."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.title
