from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("thong-bao/", views.notification_list, name="list"),
    path("thong-bao/da-doc/", views.mark_all_read, name="mark_all_read"),
    path("thong-bao/<int:pk>/", views.notification_open, name="open"),
    path("thong-bao/<int:pk>/da-doc/", views.mark_read, name="mark_read"),
    path("tai-khoan/thong-bao/", views.preferences, name="preferences"),
    path("ho-so/<int:pk>/nhac-nop-phieu/", views.remind, name="remind"),
]
