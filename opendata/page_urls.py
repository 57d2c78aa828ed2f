"""The API's documentation page: a page of the site, in each language (/api/docs/ in
Vietnamese, /en/api/docs/ in English), beside the API itself (opendata/urls.py)."""

from django.urls import path

from opendata import views

app_name = "opendata"
urlpatterns = [path("api/docs/", views.docs_page, name="docs")]
