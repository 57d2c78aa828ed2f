from django.urls import path

from imports import views

app_name = "imports"
urlpatterns = [
    path("nhap-du-lieu/", views.import_upload, name="upload"),
    path("nhap-du-lieu/xac-nhan/", views.import_confirm, name="confirm"),
    path("nhap-du-lieu/cot/", views.import_columns, name="columns"),
    path("nhap-du-lieu/mau.csv", views.template_csv_download, name="template_csv"),
    path("nhap-du-lieu/mau.xlsx", views.template_xlsx_download, name="template_xlsx"),
]
