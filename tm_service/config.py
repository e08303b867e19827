"""Settings and their defaults; each can be overridden by a `TM_<NAME>` environment variable."""
from __future__ import annotations

from memories.matching import MAX_PAGE_SIZE

DEFAULTS: dict[str, object] = {
    # SQLAlchemy URL of the memory of record; None means SQLite in the instance folder.
    "DATABASE_URL": None,
    # Bring the schema to the newest migration when the app starts.
    "AUTO_MIGRATE": True,
    # Name of the memory `make serve` builds from the bundled releases.
    "DEMO_MEMORY": "demo",
    # Largest request body, in bytes (JSON and forms); uploads have their own limit.
    "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
    # Largest file upload to POST /api/v1/memories/NAME/import, in bytes.
    "MAX_UPLOAD_SIZE": 64 * 1024 * 1024,
    # Longest query text accepted, in characters.
    "MAX_QUERY_LENGTH": 2000,
    # Longest text per side that POST /api/v1/align accepts, in characters.
    "MAX_ALIGN_LENGTH": 200_000,
    # Concordance results per page when the client does not say, and the most it may ask for.
    "PAGE_SIZE": 20,
    "MAX_PAGE_SIZE": MAX_PAGE_SIZE,
    # Reading (suggest, concordance, export, tmserver, MyMemory) needs a read or write key.
    "READ_KEYS_REQUIRED": False,
    # Writes each key may make per minute, per worker process (0: no limit), and the burst.
    "WRITE_RATE_LIMIT": 120,
    "WRITE_BURST": 30,
    # Seconds the tmserver answers may be cached by clients and proxies.
    "TMSERVER_CACHE_SECONDS": 60,
    # Log level of the service's own loggers.
    "LOG_LEVEL": "WARNING",
    # Folder of the match index files every worker maps; None: beside a SQLite database file
    # (FILE.index), else in the instance folder. An in-memory SQLite database keeps the index in memory.
    "INDEX_DIR": None,
}

# One line per setting for the README and `tm settings`.
DESCRIPTIONS: dict[str, str] = {
    "DATABASE_URL": "SQLAlchemy URL, e.g. sqlite:////path/tm.sqlite or postgresql+psycopg://user@host/db "
    "(default: SQLite file tm.sqlite in the instance folder)",
    "AUTO_MIGRATE": "apply schema migrations at start-up (default true)",
    "DEMO_MEMORY": "name of the demo memory built by `tm demo` (default demo)",
    "MAX_CONTENT_LENGTH": "largest JSON or form request body in bytes (default 8388608); larger answers 413",
    "MAX_UPLOAD_SIZE": "largest TMX/TSV upload to /api/v1/memories/NAME/import in bytes (default 67108864)",
    "MAX_QUERY_LENGTH": "longest query in characters (default 2000); longer answers 422",
    "MAX_ALIGN_LENGTH": "longest text per side for POST /api/v1/align in characters (default 200000)",
    "PAGE_SIZE": "concordance results per page by default (default 20)",
    "MAX_PAGE_SIZE": f"most concordance results per page a client may ask for (default {MAX_PAGE_SIZE}; "
    "larger requests are clamped)",
    "READ_KEYS_REQUIRED": "reads need a read or write API key too (default false: reading is open)",
    "WRITE_RATE_LIMIT": "writes per minute per API key, per worker process; 0 turns the limit off (default 120)",
    "WRITE_BURST": "writes a key may make at once before the rate applies (default 30)",
    "TMSERVER_CACHE_SECONDS": "max-age of the tmserver answers' Cache-Control (default 60)",
    "LOG_LEVEL": "log level of the service's loggers (default WARNING)",
    "INDEX_DIR": "folder of the shared, memory-mapped match index files (default: beside a SQLite database "
    "file as FILE.index, otherwise index/ in the instance folder); `tm import`, `tm ingest` and "
    "`tm index build` keep it current, and workers refresh from the change log",
}
