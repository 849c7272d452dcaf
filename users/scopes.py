"""The registry of API scope objects and the rules for matching a key's scopes against a requirement."""

from typing import Literal

Action = Literal["read", "write"]

# Scope objects a personal API key may carry. An endpoint declares one of these as its `scope_object`.
SCOPE_OBJECTS: tuple[str, ...] = (
    "activity_log",
    "project",
    "organization",
    "personal_api_key",
    "query",
    "user",
    "user_interview_DO_NOT_USE",
    "warehouse_table",
    "warehouse_view",
)
# Endpoints that keys may never reach, whatever their scopes (PostHog's "INTERNAL").
INTERNAL = "INTERNAL"
ACTIONS: tuple[Action, ...] = ("read", "write")

ALL_SCOPES: tuple[str, ...] = ("*",) + tuple(f"{obj}:{action}" for obj in SCOPE_OBJECTS for action in ACTIONS)


def invalid_scopes(scopes: list[str]) -> list[str]:
    """The entries of `scopes` that are not `*` or a known `object:action`."""
    return [scope for scope in scopes if scope not in ALL_SCOPES]


def scopes_grant(granted: list[str] | None, required: str) -> bool:
    """Whether a key holding `granted` may do `required`; `*` grants all and `x:write` implies `x:read`."""
    granted_set = set(granted or [])
    if "*" in granted_set or required in granted_set:
        return True
    scope_object, _, action = required.partition(":")
    return action == "read" and f"{scope_object}:write" in granted_set
