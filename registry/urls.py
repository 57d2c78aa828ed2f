from django.urls import path

from registry import views, views_import

app_name = "registry"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("san-pham/<slug:slug>/", views.product_detail, name="product"),
    path("diem-ban/", views.sales_points, name="sales_points"),
    path("minh-chung/<int:pk>/", views.evidence_download, name="evidence"),
    path("nhap-du-lieu/", views_import.import_upload, name="import"),
    path("nhap-du-lieu/xac-nhan/", views_import.import_confirm, name="import_confirm"),
    path("nhap-du-lieu/mau.csv", views_import.template_csv_download, name="import_template_csv"),
    path("nhap-du-lieu/mau.xlsx", views_import.template_xlsx_download, name="import_template_xlsx"),
]
