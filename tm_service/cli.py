"""The `tm` command: Flask's click group plus the memory commands."""
from __future__ import annotations

from flask.cli import FlaskGroup

from tm_service import create_app
from tm_service.commands import align, demo, index, keys, memories, score, transfer

main = FlaskGroup(
    create_app=lambda: create_app(),
    add_version_option=False,
    help="Manage and serve the French/English translation memory.",
)
for command in (*memories.COMMANDS, *transfer.COMMANDS, *align.COMMANDS, *demo.COMMANDS, *keys.COMMANDS, *score.COMMANDS,
                *index.COMMANDS):
    main.add_command(command)
