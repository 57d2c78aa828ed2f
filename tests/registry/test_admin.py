"""Every admin page loads, in Vietnamese, for every registry model."""

import pytest
from django.contrib import admin
from django.urls import reverse

from registry.models import AdministrativeUnit
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(as_user, people):
    return as_user(people["admin"])


def registry_models():
    return [m for m in admin.site._registry if m._meta.app_label == "registry"]


@pytest.mark.parametrize("model", registry_models(), ids=lambda m: m.__name__)
def test_changelist_add_and_change_pages_load(staff_client, model):
    ProductFactory()
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    changelist = reverse(f"{prefix}_changelist")
    assert staff_client.get(changelist).status_code == 200
    assert staff_client.get(changelist, {"q": "hoai"}).status_code == 200
    # Rows only the application writes (e.g. import batches) have no add page.
    can_add = admin.site._registry[model].has_add_permission(
        staff_client.get(changelist).wsgi_request
    )
    assert staff_client.get(reverse(f"{prefix}_add")).status_code == (200 if can_add else 403)
    obj = model.objects.first()
    if obj is not None:
        assert staff_client.get(reverse(f"{prefix}_change", args=[obj.pk])).status_code == 200


def test_admin_speaks_vietnamese(staff_client):
    body = staff_client.get(reverse("admin:registry_product_changelist")).content.decode()
    assert "sản phẩm" in body.lower()
    assert "Tìm kiếm" in body or "Tìm" in body


def test_admin_refuses_anonymous(client):
    response = client.get(reverse("admin:registry_product_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_unit_admin_search_by_code(staff_client):
    unit = AdministrativeUnit.objects.get(level="district", code="274")
    response = staff_client.get(
        reverse("admin:registry_administrativeunit_changelist"), {"q": "274"}
    )
    assert unit.name in response.content.decode()
