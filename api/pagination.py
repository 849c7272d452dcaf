"""The two pagination styles PostHog's endpoints use; their links never carry a key sent in the query string."""

from rest_framework import pagination
from rest_framework.utils.urls import remove_query_param

from api.authentication import KEY_FIELD


class KeyFreeLinksMixin:
    """`next`/`previous` without `personal_api_key`: a response body must not echo a credential (the client has it)."""

    def get_next_link(self) -> str | None:
        return _without_key(super().get_next_link())  # type: ignore[misc]

    def get_previous_link(self) -> str | None:
        return _without_key(super().get_previous_link())  # type: ignore[misc]


def _without_key(url: str | None) -> str | None:
    return None if url is None else remove_query_param(url, KEY_FIELD)


class LimitOffsetPagination(KeyFreeLinksMixin, pagination.LimitOffsetPagination):
    """`?limit=&offset=`, 100 by default and uncapped, like PostHog; a bad limit means 100, a bad offset 0."""

    default_limit = 100
    max_limit = None


class PageNumberPagination(KeyFreeLinksMixin, pagination.PageNumberPagination):
    """`?page=`, 1000 a page, no page-size parameter (PostHog's warehouse endpoints)."""

    page_size = 1000
    page_size_query_param = None
