"""`tm index`: the shared match index files (`tm import` and `tm ingest` keep them current)."""
from __future__ import annotations

import json

import click

from memories.matching import store
from tm_service import matching
from tm_service.commands.common import get_session, tm_command


def echo_summary(summary: store.Summary | None) -> None:
    """Print one line saying what an index update did (nothing when the index is in memory)."""
    if summary is not None:
        action = "rebuilt" if summary.rebuilt else "updated"
        click.echo(
            f"match index {action}: {summary.sides:,} unit sides in {summary.segments} segments, "
            f"{summary.bytes / 2**20:,.1f} MiB, {summary.seconds:.1f} s"
        )


@click.group("index", help="Build or inspect the match index files shared by every worker.")
def index_group() -> None:
    pass


@index_group.command("build", help="Rebuild the index files from the database.\n\nExample: tm index build --json")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@tm_command
def build_command(as_json: bool) -> None:
    summary = matching.update_index(full=True)
    if summary is None:
        raise click.ClickException("the database is in memory: the index has no files to build")
    click.echo(json.dumps(summary.as_dict())) if as_json else echo_summary(summary)


@index_group.command("status", help="Show the index files' version against the database's.\n\nExample: tm index status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@tm_command
def status_command(as_json: bool) -> None:
    from memories.matching import changes

    folder = matching.get_matcher().index.folder
    state = changes.current(get_session())
    manifest = store.read_manifest(folder) if folder is not None else None
    status = {
        "folder": str(folder) if folder is not None else None,
        "database_version": state.version,
        "index_version": manifest["version"] if manifest else None,
        "generation": manifest["generation"] if manifest else None,
        "segments": len(manifest["segments"]) if manifest else 0,
        "bytes": store.size_on_disk(folder) if folder is not None else 0,
        "current": bool(manifest) and store.trusted(manifest, state) and manifest["version"] == state.version,
    }
    if as_json:
        click.echo(json.dumps(status))
        return
    for name, value in status.items():
        click.echo(f"{name:<17} {value}")


COMMANDS = (index_group,)
