"""`tm import` and `tm export`: TMX 1.4b and TSV files in and out of a memory."""
from __future__ import annotations

import os
from pathlib import Path

import click
from tqdm import tqdm

from memories import repository, service, transfer
from memories.errors import NotFound
from tm_service import matching
from tm_service.commands.common import get_session, tm_command
from tm_service.commands.index import echo_summary


@click.command("import", help="Import a TMX or TSV file into a memory, all or nothing.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--memory", "memory_name", required=True, help="Created when it does not exist.")
@click.option("--src-lang", default=None, help="Source language (default: the memory's).")
@click.option("--tgt-lang", default=None, help="Target language (default: the memory's).")
@click.option("--format", "file_format", type=click.Choice(transfer.FORMATS), default=None)
@tm_command
def import_command(file: Path, memory_name: str, src_lang: str | None, tgt_lang: str | None, file_format: str | None) -> None:
    session = get_session()
    file_format = transfer.format_for(file.name, file_format)
    try:
        repository.memory_by_name(session, memory_name)
    except NotFound:
        service.create_memory(
            session,
            memory_name,
            source_lang=src_lang or service.DEFAULT_SOURCE_LANG,
            target_lang=tgt_lang or service.DEFAULT_TARGET_LANG,
        )
        click.echo(f"created memory {memory_name}")
    with open(file, "rb") as raw, tqdm.wrapattr(
        raw, "read", total=os.path.getsize(file), desc=file.name, unit="B", unit_scale=True, disable=None
    ) as stream:
        result = transfer.import_file(
            session, memory_name, stream, file_format=file_format, source_lang=src_lang, target_lang=tgt_lang
        )
    click.echo(
        f"{file.name}: {result.read} units read, {result.added} added, "
        f"{result.duplicates} duplicates, {result.skipped} skipped"
    )
    echo_summary(matching.update_index())


@click.command("export", help="Export a memory to FILE.tmx or FILE.tsv.")
@click.option("--memory", "memory_name", required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--format", "file_format", type=click.Choice(transfer.FORMATS), default=None)
@tm_command
def export_command(memory_name: str, output: Path, file_format: str | None) -> None:
    session = get_session()
    file_format = transfer.format_for(output.name, file_format)
    total = repository.count_units(session, repository.memory_by_name(session, memory_name).id)
    partial = output.with_name(output.name + ".partial")
    try:
        with open(partial, "wb") as raw, tqdm.wrapattr(raw, "write", desc=output.name, unit="B", unit_scale=True, disable=None) as stream:
            written = transfer.export_file(session, memory_name, stream, file_format=file_format)
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    click.echo(f"{output}: {written} of {total} units written")


COMMANDS = (import_command, export_command)
