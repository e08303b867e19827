"""`tm memories list|create|delete` and `tm stats`."""
from __future__ import annotations

import json

import click

from memories import repository, service
from tm_service.commands.common import get_session, tm_command


@click.group("memories", help="List, create and delete memories.")
def memories_group() -> None:
    pass


@memories_group.command("list")
@tm_command
def list_memories() -> None:
    summaries = repository.memory_summaries(get_session())
    if not summaries:
        click.echo("no memories")
    for summary in summaries:
        click.echo(
            f"{summary.name}\t{summary.source_lang}-{summary.target_lang}\t{summary.units} units\t{summary.description}"
        )


@memories_group.command("create")
@click.argument("name")
@click.option("--description", default="", help="What the memory holds.")
@click.option("--src-lang", default=service.DEFAULT_SOURCE_LANG, show_default=True)
@click.option("--tgt-lang", default=service.DEFAULT_TARGET_LANG, show_default=True)
@tm_command
def create_memory(name: str, description: str, src_lang: str, tgt_lang: str) -> None:
    memory = service.create_memory(
        get_session(), name, description=description, source_lang=src_lang, target_lang=tgt_lang
    )
    click.echo(f"created memory {memory.name} ({memory.source_lang}-{memory.target_lang})")


@memories_group.command("delete")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@tm_command
def delete_memory(name: str, yes: bool) -> None:
    session = get_session()
    units = repository.count_units(session, repository.memory_by_name(session, name).id)
    if not yes:
        click.confirm(f"delete memory {name} and its {units} units?", abort=True)
    service.delete_memory(session, name)
    click.echo(f"deleted memory {name} ({units} units)")


@click.command("stats", help="Show a memory's counts and averages.")
@click.option("--memory", "memory_name", required=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@tm_command
def stats(memory_name: str, as_json: bool) -> None:
    session = get_session()
    statistics = repository.memory_statistics(session, repository.memory_by_name(session, memory_name))
    if as_json:
        click.echo(json.dumps(statistics, ensure_ascii=False, indent=2))
        return
    for key, value in statistics.items():
        click.echo(f"{key:24} {value}")


COMMANDS = (memories_group, stats)
