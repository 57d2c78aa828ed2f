from django.urls import path

from catalogue import qr, views

app_name = "catalogue"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("san-pham/<slug:slug>/", views.product_detail, name="product"),
    # The code to print on the packaging, as SVG or PNG (catalogue/qr.py).
    path("san-pham/<slug:slug>/ma-qr.<slug:fmt>", qr.product_qr, name="product_qr"),
    path("diem-ban/", views.sales_points, name="sales_points"),
]
