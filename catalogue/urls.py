from django.urls import path

from catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("san-pham/<slug:slug>/", views.product_detail, name="product"),
    path("diem-ban/", views.sales_points, name="sales_points"),
]
