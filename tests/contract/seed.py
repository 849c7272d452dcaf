"""Reads PostHog's API reference pages (the documented contract) into endpoint records.

The text is a copy of `../shared/seed/000_86632d59fc2ef756.txt`, kept beside this module so the test runs in any
checkout. Each endpoint section has a title, required scopes, parameter lists, an example request and response.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

REFERENCE = Path(__file__).with_name("posthog_api_reference.txt")
SECTION_TITLE = re.compile(r"^(List all|Create|Retrieve|Update|Delete) environments .+$", re.MULTILINE)
PARAMETER_BLOCKS = {"Path parameters": "path", "Query parameters": "query", "Request parameters": "body"}


@dataclass
class DocumentedEndpoint:
    title: str
    method: str
    path: str  # OpenAPI style: /api/environments/{project_id}/user_interviews/{id}/
    scopes: list[str]
    parameters: dict[str, dict[str, str | None]] = field(default_factory=dict)  # kind -> name -> type
    status: int = 200
    example: object = None
    curl: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return self.method, self.path

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _parameters(block: str) -> dict[str, str | None]:
    params: dict[str, str | None] = {}
    lines = [line.strip() for line in block.splitlines()]
    for index, line in enumerate(lines):
        if line.startswith("• "):
            name = line[2:].strip()
            following = lines[index + 1] if index + 1 < len(lines) else ""
            kind = (
                following
                if following in {"string", "integer", "boolean", "array", "number", "object"}
                else None
            )
            params[name] = kind
    return params


def _section(title: str, text: str) -> DocumentedEndpoint:
    scopes = re.search(r"Required API key scopes\s+(\S+)", text).group(1).split(",")
    request = re.search(r"Example request\s+(GET|POST|PATCH|PUT|DELETE) (\S+)", text)
    method, raw_path = request.group(1), request.group(2)
    path = re.sub(r":(\w+)", r"{\1}", raw_path).rstrip("/") + "/"
    endpoint = DocumentedEndpoint(title=title, method=method, path=path, scopes=scopes)
    headings = "|".join(map(re.escape, [*PARAMETER_BLOCKS, "Response", "Example request"]))
    for heading, kind in PARAMETER_BLOCKS.items():
        match = re.search(rf"{heading}\n(.*?)(?=\n(?:{headings})\n|\Z)", text, re.DOTALL)
        if match:
            endpoint.parameters[kind] = _parameters(match.group(1))
    endpoint.status = int(re.search(r"Status (\d{3})", text).group(1))
    curl = re.search(r"Example request\n.*?\n(export .*?)\nExample response", text, re.DOTALL)
    endpoint.curl = curl.group(1) if curl else ""
    body = re.search(r"RESPONSE\n", text)
    if body:
        endpoint.example, _ = json.JSONDecoder().raw_decode(text[body.end() :].lstrip())
    return endpoint


def documented_endpoints() -> list[DocumentedEndpoint]:
    """Every distinct documented endpoint (the pages repeat some sections)."""
    text = REFERENCE.read_text()
    starts = [match.start() for match in SECTION_TITLE.finditer(text)] + [len(text)]
    endpoints: dict[tuple[str, str], DocumentedEndpoint] = {}
    for start, end in zip(starts, starts[1:], strict=False):
        chunk = text[start:end]
        title, _, body = chunk.partition("\n")
        endpoint = _section(title.strip(), body)
        endpoints.setdefault(endpoint.key, endpoint)
    return list(endpoints.values())
