"""The two pagination styles PostHog's endpoints use."""

from rest_framework import pagination


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """`?limit=&offset=`, 100 by default and uncapped, like PostHog; a bad limit means 100, a bad offset 0."""

    default_limit = 100
    max_limit = None


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=`, 1000 a page, no page-size parameter (PostHog's warehouse endpoints)."""

    page_size = 1000
    page_size_query_param = None
