"""Data shared by the API tests: a small Hanoi catalogue with every way to be hidden."""

from datetime import timedelta

from django.utils import timezone

from evaluation import certificates
from registry.models import ProductSet
from tests.factories import (
    ProducerFactory,
    ProductFactory,
    act,
    certificate_of,
    certify,
    commune,
    district,
)


def revoke(certificate, today=None):
    """Through the real service, which also clears the product's stars."""
    signed_on = today or timezone.localdate() - timedelta(days=3)
    return certificates.revoke(
        certificate,
        ground="criteria_not_met",
        inspection_reference="KL 12/2026, 01/02/2026",
        concluded_on=signed_on - timedelta(days=2),
        actor=None,
        act=act(signed_on=signed_on),
    )


def catalogue():
    today = timezone.localdate()
    son_dong = ProducerFactory(
        name="HTX Bún Minh Dương",
        commune=commune("Xã Sơn Đồng"),
        district=district("274"),
        phone="024 3825 1234",
        email="bun@minhduong.vn",
        website="https://minhduong.vn",
        contact_public=True,
    )
    tay_ho = ProducerFactory(
        name="Công ty Trà sen",
        commune=commune("Phường Tây Hồ"),
        district=district("003"),
        phone="0912 345 678",
        email="secret@trasen.vn",
        website="https://trasen-private.vn",
        contact_public=False,
        representative_name="Trần Văn Bí Mật",
    )
    products = {
        "bun": ProductFactory(
            name="Bún khô Minh Dương",
            producer=son_dong,
            stars=4,
            product_set=ProductSet.objects.get(number=6),
        ),
        "tra": ProductFactory(
            name="Trà sen Tây Hồ",
            producer=tay_ho,
            stars=5,
            product_set=ProductSet.objects.get(number=11),
        ),
        "rau": ProductFactory(
            name="Rau Đông Anh",
            stars=3,
            producer__commune=commune("Xã Đông Anh"),
            producer__district=district("017"),
        ),
        "two_stars": ProductFactory(name="Bún hai sao", producer=son_dong, stars=2),
        "unpublished": ProductFactory(name="Bún chưa công bố", producer=son_dong, stars=4),
        "expired": ProductFactory(name="Bún hết hạn", producer=son_dong, stars=4, certified=False),
        "revoked": ProductFactory(name="Bún bị thu hồi", producer=son_dong, stars=4),
        "withdrawn_only": ProductFactory(
            name="Miến ẩn", stars=4, producer__name="HTX chỉ có sản phẩm ẩn"
        ),
    }
    products["unpublished"].is_published = False
    products["unpublished"].save()
    products["withdrawn_only"].is_published = False
    products["withdrawn_only"].save()
    certify(products["expired"], issued_on=today - timedelta(days=4 * 365))
    revoke(certificate_of(products["revoked"]))
    return products


PUBLIC = {"Bún khô Minh Dương", "Trà sen Tây Hồ", "Rau Đông Anh"}
