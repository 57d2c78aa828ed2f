from django.urls import path

from imports import views

app_name = "imports"
urlpatterns = [
    path("nhap-du-lieu/", views.import_upload, name="upload"),
    path("nhap-du-lieu/xac-nhan/", views.import_confirm, name="confirm"),
    path("nhap-du-lieu/xem/<str:token>/", views.import_preview, name="preview"),
    path("nhap-du-lieu/xem/<str:token>/tien-do/", views.preview_progress, name="preview_progress"),
    path("nhap-du-lieu/xem/<str:token>/loi.xlsx", views.import_preview_held, name="preview_held"),
    path("nhap-du-lieu/lan/<int:pk>/", views.batch_detail, name="batch"),
    path("nhap-du-lieu/lan/<int:pk>/tien-do/", views.batch_progress, name="batch_progress"),
    path("nhap-du-lieu/lan/<int:pk>/dong-chua-nhap.xlsx", views.batch_held, name="batch_held"),
    path("nhap-du-lieu/lan/<int:pk>/hoan-tac/", views.batch_undo, name="batch_undo"),
    path("nhap-du-lieu/cot/", views.import_columns, name="columns"),
    path("nhap-du-lieu/mau.csv", views.template_csv_download, name="template_csv"),
    path("nhap-du-lieu/mau.xlsx", views.template_xlsx_download, name="template_xlsx"),
]
