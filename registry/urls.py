from django.urls import path

from registry import views

app_name = "registry"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("san-pham/<slug:slug>/", views.product_detail, name="product"),
    path("diem-ban/", views.sales_points, name="sales_points"),
]
