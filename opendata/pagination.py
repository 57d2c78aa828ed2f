from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M`; the page size is capped so one request stays cheap."""

    page_size_query_param = "page_size"
    max_page_size = 100
