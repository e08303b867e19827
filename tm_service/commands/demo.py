"""`tm demo`: build the demo memory from the bundled sample releases."""
from __future__ import annotations

import click
from flask import current_app

from memories import repository
from tm_service import matching
from tm_service.commands.common import get_session, tm_command
from tm_service.commands.index import echo_summary
from tm_service.demo import build_demo


@click.command("demo", help="Create the demo memory from the bundled releases (idempotent).")
@click.option("--memory", "memory_name", default=None, help="Default: the DEMO_MEMORY setting.")
@tm_command
def demo_command(memory_name: str | None) -> None:
    memory_name = memory_name or current_app.config["DEMO_MEMORY"]
    session = get_session()
    report = build_demo(session, memory_name)
    units = repository.count_units(session, repository.memory_by_name(session, memory_name).id)
    click.echo(
        f"demo memory {memory_name}: {report.releases} releases, {report.units_added} units added, {units} in all"
    )
    echo_summary(matching.update_index())


COMMANDS = (demo_command,)
