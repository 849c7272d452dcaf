"""The `?search=` parameter every list shares: bounded in length before it reaches a pattern or the database."""

from django.conf import settings
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, filters


def bounded_search(text: str, param: str = "search") -> str:
    """The search text, stripped; a 400 naming the parameter when it is longer than SEARCH_MAX_LENGTH."""
    limit = settings.SEARCH_MAX_LENGTH
    if len(text) > limit:
        raise exceptions.ValidationError(
            {
                param: [
                    exceptions.ErrorDetail(
                        f"Ensure this value has at most {limit} characters.", code="max_length"
                    )
                ]
            }
        )
    return text.strip()


class SearchFilter(filters.SearchFilter):
    """DRF's search filter (one OR of `icontains` per word) behind the same length bound."""

    def get_search_terms(self, request):
        bounded_search(request.query_params.get(self.search_param, ""), self.search_param)
        return super().get_search_terms(request)


class ListFilterBackend(DjangoFilterBackend):
    """django-filter's backend (a viewset's `filterset_class`) on lists only: a detail URL names its object."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) != "list":
            return queryset
        return super().filter_queryset(request, queryset, view)
