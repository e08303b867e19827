"""The WSGI entry point for gunicorn: `gunicorn -w 2 wsgi:app`, run from the project root so that
gunicorn.conf.py applies (threaded workers, a request line long enough for a 2,000-character
query, gunicorn's own errors as problem+json). Settings come from `TM_*` environment variables."""
from __future__ import annotations

from tm_service import create_app

app = create_app()
