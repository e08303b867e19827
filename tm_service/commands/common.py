"""What every `tm` command shares: one session, and one clear line for each error."""
from __future__ import annotations

import functools
from collections.abc import Callable

import click
from flask.cli import with_appcontext

from memories.errors import TranslationMemoryError
from tm_service.db import get_session

__all__ = ["tm_command", "get_session"]


def tm_command(function: Callable) -> Callable:
    """Run a command inside the app context; turn domain errors into one line and exit 1."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except TranslationMemoryError as error:
            raise click.ClickException(str(error)) from None
        except OSError as error:  # an unwritable output file, a vanished input
            raise click.ClickException(f"{error.strerror or error}: {error.filename or ''}".rstrip(": ")) from None

    return with_appcontext(wrapper)
