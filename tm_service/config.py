"""Settings and their defaults; each can be overridden by a `TM_<NAME>` environment variable."""
from __future__ import annotations

DEFAULTS: dict[str, object] = {
    # SQLAlchemy URL of the memory of record; None means SQLite in the instance folder.
    "DATABASE_URL": None,
    # Bring the schema to the newest migration when the app starts.
    "AUTO_MIGRATE": True,
    # Name of the memory `make serve` builds from the bundled releases.
    "DEMO_MEMORY": "demo",
    # Largest request body, in bytes (uploads included).
    "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
    # Longest query text accepted, in characters.
    "MAX_QUERY_LENGTH": 2000,
    # Log level of the service's own loggers.
    "LOG_LEVEL": "WARNING",
}

# One line per setting for the README and `tm settings`.
DESCRIPTIONS: dict[str, str] = {
    "DATABASE_URL": "SQLAlchemy URL, e.g. sqlite:////path/tm.sqlite or postgresql+psycopg://user@host/db "
    "(default: SQLite file tm.sqlite in the instance folder)",
    "AUTO_MIGRATE": "apply schema migrations at start-up (default true)",
    "DEMO_MEMORY": "name of the demo memory built by `tm demo` (default demo)",
    "MAX_CONTENT_LENGTH": "largest request body in bytes (default 67108864)",
    "MAX_QUERY_LENGTH": "longest query in characters (default 2000)",
    "LOG_LEVEL": "log level of the service's loggers (default WARNING)",
}
