"""Isolation in depth on a server: each project's queries run as a ClickHouse user granted only SELECT on its own
database, when the configured user may create users (CLICKHOUSE_PROJECT_USERS=auto, the default; `off` never tries).

- The user is `<database>_reader`, created on the project's first query in each process (idempotent statements, so
  processes and restarts agree): CREATE USER IF NOT EXISTS, ALTER USER (password, default database, readonly = 2),
  GRANT SELECT ON <database>.*; ON CLUSTER when a cluster is named.
- Its password is derived, never stored: HMAC-SHA256 of SECRET_KEY over the user's name, so every process computes
  the same one and nothing needs keeping. It is sent only in those statements and in the user's HTTP login, and is
  masked in any error raised from them. A new SECRET_KEY re-sets the password on each process's first use.
- readonly = 2 on the user (not 1): ClickHouse refuses to change readonly in readonly mode, and 2 still lets the
  statement's own SETTINGS clause carry the warehouse's limits; writes and DDL stay refused. Table functions need
  grants the user does not have, and the compiler's table-function and setting refusals stay regardless.
- The probe is the first CREATE USER: refused for lack of privilege (ACCESS_DENIED), the answer is remembered for
  the transport and every query runs as the configured user, as before (logged once as a warning).
"""

import hashlib
import hmac
import logging
import threading
from dataclasses import replace

from django.conf import settings

from warehouse.engine.base import EngineError
from warehouse.engine.clickhouse.connection import (
    database_name,
    literal,
    message,
    on_cluster,
    quote,
    transport,
)
from warehouse.engine.clickhouse.server import ServerTransport
from warehouse.engine.clickhouse.transport import ClickHouseError, Transport

logger = logging.getLogger(__name__)
ACCESS_DENIED, NOT_IMPLEMENTED = 497, 48
_REFUSED = {ACCESS_DENIED, NOT_IMPLEMENTED}

_available: dict[int, bool] = {}  # id(main transport) -> may it create users (probed once)
_users: dict[tuple[int, str], Transport] = {}  # (id(main transport), user) -> that user's transport
_lock = threading.Lock()


def enabled() -> bool:
    return str(getattr(settings, "CLICKHOUSE_PROJECT_USERS", "auto")).lower() not in (
        "off",
        "false",
        "0",
        "no",
    )


def user_name(project_id: int) -> str:
    return f"{database_name(project_id)}_reader"


def password(user: str) -> str:
    """The user's password: derived from SECRET_KEY, so no process needs to store it."""
    key = str(settings.SECRET_KEY).encode()
    return hmac.new(key, f"clickhouse-project-user:{user}".encode(), hashlib.sha256).hexdigest()


def provisioning_statements(project_id: int) -> list[str]:
    user, database = quote(user_name(project_id)), quote(database_name(project_id))
    cluster = on_cluster()
    secret = literal(password(user_name(project_id)))
    return [
        f"CREATE USER IF NOT EXISTS {user}{cluster} IDENTIFIED WITH sha256_password BY {secret}",
        f"ALTER USER {user}{cluster} IDENTIFIED WITH sha256_password BY {secret} "
        f"DEFAULT DATABASE {database} SETTINGS readonly = 2",
        f"GRANT{cluster} SELECT ON {database}.* TO {user}",
    ]


def query_transport(project_id: int) -> tuple[Transport, bool]:
    """The transport a project's /query/ and typing statements run on, and whether it is the project's own user
    (whose readonly = 2 the statement must not try to change) rather than the configured one."""
    main = transport()
    if main.kind != "server" or not enabled() or _available.get(id(main)) is False:
        return main, False
    user = user_name(project_id)
    key = (id(main), user)
    with _lock:
        if key not in _users:
            if _available.get(id(main)) is False or not _provision(main, project_id):
                return main, False
            _users[key] = _as_user(main, user)
        return _users[key], True


def _provision(main: Transport, project_id: int) -> bool:
    """Create the project's user; False (remembered) when the configured user may not."""
    secret = password(user_name(project_id))
    try:
        for statement in provisioning_statements(project_id):
            main.command(statement)
    except ClickHouseError as err:
        if err.code in _REFUSED:
            _available[id(main)] = False
            logger.warning(
                "ClickHouse: the configured user may not create users, so project queries run as that user "
                "(CLICKHOUSE_PROJECT_USERS=off silences this): %s",
                message(err).replace(secret, "[HIDDEN]"),
            )
            return False
        raise EngineError(
            f"Could not set up the project's ClickHouse user: {message(err).replace(secret, '[HIDDEN]')}"
        ) from None
    _available[id(main)] = True
    return True


def _as_user(main: Transport, user: str) -> Transport:
    assert isinstance(main, ServerTransport)
    connect, send_receive = main.timeouts
    address = replace(main.address, username=user, password=password(user))
    return ServerTransport(address, connect_timeout=connect, send_receive_timeout=send_receive)
