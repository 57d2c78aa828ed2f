from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("tai-khoan/", views.account, name="account"),
    path("tai-khoan/quen-mat-khau/", views.password_reset, name="password_reset"),
    path("tai-khoan/quen-mat-khau/da-gui/", views.password_reset_done, name="password_reset_done"),
    path(
        "tai-khoan/dat-lai-mat-khau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "tai-khoan/dat-lai-mat-khau/xong/",
        views.password_reset_complete,
        name="password_reset_complete",
    ),
    path("tai-khoan/doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
    path("tai-khoan/loi-moi/<uidb64>/<token>/", views.InvitationView.as_view(), name="invitation"),
]
