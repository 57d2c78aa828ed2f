from io import BytesIO

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from registry.models import AdministrativeUnit, Producer, Product, ProductSet


def commune(name="Xã Hoài Đức", province="01"):
    return AdministrativeUnit.objects.get(level="commune", name=name, parent__code=province)


def district(code="274"):
    return AdministrativeUnit.objects.get(level="district", code=code)


def image_upload(name="photo.jpg", size=(640, 480), fmt="JPEG", color=(200, 80, 40)):
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif"}.get(fmt, "")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


class ProducerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Producer

    name = factory.Sequence(lambda n: f"Hợp tác xã Thử nghiệm {n}")
    kind = Producer.Kind.COOPERATIVE
    registration_number = factory.Sequence(lambda n: f"0100{n:06d}")
    commune = factory.LazyFunction(commune)
    district = factory.LazyFunction(district)
    representative_name = "Nguyễn Thị Lan"


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        skip_postgeneration_save = True  # certify() saves what it changes

    producer = factory.SubFactory(ProducerFactory)
    name = factory.Sequence(lambda n: f"Sản phẩm thử {n}")
    product_set = factory.LazyFunction(lambda: ProductSet.objects.get(number=1))
    stars = 4

    @factory.post_generation
    def certified(obj, create, extracted, **kwargs):
        """Starred products get a certificate in force unless `certified=False`."""
        if create and extracted is not False and obj.stars and obj.stars >= 3:
            certify(obj)


def certify(product, issued_on=None, **kwargs):
    """Give a starred product a certificate in force, as the workflow would."""
    from datetime import timedelta

    from django.utils import timezone

    from evaluation.certificates import legacy_certificate, set_standing

    issued_on = issued_on or timezone.localdate() - timedelta(days=30)
    certificate = legacy_certificate(
        product, issued_on=issued_on, number=f"TEST-{product.pk:06d}", **kwargs
    )
    certificate.save()
    set_standing(product, certificate)
    return certificate


def certificate_of(product):
    """The certificate a product stands on (its latest, neither revoked nor superseded)."""
    from evaluation.certificates import standing_certificate

    return standing_certificate(product)
