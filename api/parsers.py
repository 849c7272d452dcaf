"""The JSON body parser every endpoint uses: bounded in size and nesting, so no body can crash or exhaust a worker."""

from django.conf import settings
from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a nesting cap (REQUEST_JSON_MAX_DEPTH). The size cap is Django's: DRF reads JSON through
    `request.body`, which refuses more than DATA_UPLOAD_MAX_MEMORY_SIZE bytes (413)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise too_deep() from error
        if nesting_depth(data) > settings.REQUEST_JSON_MAX_DEPTH:
            raise too_deep()
        return data


def too_deep() -> exceptions.ParseError:
    limit = settings.REQUEST_JSON_MAX_DEPTH
    return exceptions.ParseError(
        f"JSON parse error - arrays and objects may be nested at most {limit} levels deep."
    )


def nesting_depth(value: object) -> int:
    """How many arrays/objects deep `value` goes (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest
