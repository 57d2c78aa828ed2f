import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from registry.models import Producer, Product, ProductPhoto

pytestmark = pytest.mark.django_db


def test_demo_builds_named_and_generated_products_once(capsys):
    call_command("load_demo", products=40)
    counts = (Producer.objects.count(), Product.objects.count(), ProductPhoto.objects.count())
    assert Product.objects.filter(name="Bún khô Minh Dương", stars=4).exists()
    assert Product.objects.filter(name="Trà sen Tây Hồ").exists()
    assert Product.objects.filter(name="Gốm men lam Quang Vinh", stars=5).exists()
    assert counts[1] == 12 + 40
    assert Product.objects.public().count() > 40
    call_command("load_demo", products=40)
    assert (
        Producer.objects.count(),
        Product.objects.count(),
        ProductPhoto.objects.count(),
    ) == counts
    assert get_user_model().objects.filter(username="admin", is_superuser=True).count() == 1
    assert "0 producers and 0 products created" in capsys.readouterr().out


def test_demo_can_grow_later(capsys):
    call_command("load_demo", products=10)
    call_command("load_demo", products=30)
    assert Product.objects.filter(slug__regex=r"-g[0-9]+$").count() == 30


def test_named_products_have_real_photos_with_thumbnails():
    call_command("load_demo", products=0)
    photo = ProductPhoto.objects.get(product__name="Trà sen Tây Hồ")
    assert photo.image.size > 5000
    assert photo.thumbnail.storage.exists(photo.thumbnail.name)
