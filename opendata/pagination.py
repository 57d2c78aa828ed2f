from django.utils.translation import gettext_lazy as _
from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M`; the page size is capped so one request stays cheap."""

    page_size_query_param = "page_size"
    max_page_size = 100
    # Said in the schema's language (DRF's own words have no Vietnamese).
    page_query_description = _("Page number, from 1.")
    page_size_query_description = _("Items a page, at most 100 (50 if not given).")
