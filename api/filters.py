"""The `?search=` parameter every list shares: bounded in length before it reaches a pattern or the database."""

from django.conf import settings
from rest_framework import exceptions, filters


def search_term(request, param: str = "search") -> str:
    """The request's search text, stripped; a 400 naming the parameter when it is longer than SEARCH_MAX_LENGTH."""
    text = request.query_params.get(param, "")
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
        search_term(request, self.search_param)
        return super().get_search_terms(request)
