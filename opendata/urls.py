from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from opendata import views

app_name = "api"

router = SimpleRouter()
router.register("products", views.ProductViewSet, basename="product")
router.register("producers", views.ProducerViewSet, basename="producer")
router.register("certificates", views.CertificateViewSet, basename="certificate")

urlpatterns = [
    path("", views.ApiRootView.as_view(), name="root"),
    # Swagger UI and Redoc load their JavaScript from a CDN, which this network cannot
    # reach; the browsable API (all local static files) is the documentation page.
    path("docs/", views.ApiDocsView.as_view(), name="docs"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    *router.urls,
]
