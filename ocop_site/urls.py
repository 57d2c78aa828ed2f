from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.i18n import set_language

from catalogue import seo
from ocop_site import views as site_views
from ocop_site.forms import SignInForm

admin.site.site_header = "OCOP"
admin.site.site_title = "OCOP"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("opendata.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("ping/", site_views.ping, name="ping"),
    path("health/", site_views.health, name="health"),
    path("health/live/", site_views.live, name="health_live"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": seo.SITEMAPS}, name="sitemap_index"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": seo.SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]
# Vietnamese lives at the root, English under /en/: each language has its own URL.
urlpatterns += i18n_patterns(
    path(
        "tai-khoan/dang-nhap/",
        auth_views.LoginView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("tai-khoan/dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    # The public pages first: Django tries the patterns in order, and the catalogue and
    # product pages are most of the traffic (no other app's address begins like them).
    path("", include("catalogue.urls")),
    path("", include("accounts.urls")),
    path("", include("notifications.urls")),
    path("", include("evaluation.urls")),
    path("", include("imports.urls")),
    # After the API's own "api/" above, which leaves "api/docs/" to this page.
    path("", include("opendata.page_urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
