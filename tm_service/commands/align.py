"""`tm align` (two files to links or pairs) and `tm ingest` (a folder of releases into a memory)."""
from __future__ import annotations

import json
from pathlib import Path

import click
from tqdm import tqdm

import alignment
from memories import repository, service
from memories.errors import NotFound
from tm_service import matching
from tm_service.commands.common import get_session, tm_command
from tm_service.commands.index import echo_summary
from tm_service.ingest import ingest_folder, read_text

OUTPUT_FORMATS = ("links", "jsonl", "tsv")


@click.command("align", help="Align two documents; print vecalign links, JSON lines or TSV pairs.")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("target", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--src-lang", default="fr", show_default=True)
@click.option("--tgt-lang", default="en", show_default=True)
@click.option("--pre-split", is_flag=True, help="One sentence a line; blank lines separate paragraphs.")
@click.option("--format", "output_format", type=click.Choice(OUTPUT_FORMATS), default="links", show_default=True)
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Leave out pairs below this confidence (jsonl and tsv).")
@tm_command
def align_command(source: Path, target: Path, src_lang: str, tgt_lang: str, pre_split: bool,
                  output_format: str, min_score: float) -> None:
    kind = "pre-split" if pre_split else "auto"
    source_document = alignment.read_document(read_text(source), kind=kind, lang=src_lang)
    target_document = alignment.read_document(read_text(target), kind=kind, lang=tgt_lang)
    beads = alignment.align(source_document, target_document, source_lang=src_lang, target_lang=tgt_lang)
    if output_format == "links":
        click.echo(alignment.format_links(beads), nl=False)
        return
    for source_text, target_text, score in alignment.pairs(
        beads, source_document.sentences, target_document.sentences, min_score=min_score
    ):
        if output_format == "jsonl":
            click.echo(json.dumps({"source": source_text, "target": target_text, "score": round(score, 4)}, ensure_ascii=False))
        else:
            click.echo(f"{source_text}\t{target_text}\t{score:.4f}")


@click.command("ingest", help="Align every release pair in DIR and store the pairs in a memory.")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--memory", "memory_name", required=True, help="Created (fr-en unless told) when absent.")
@click.option("--src-lang", default=service.DEFAULT_SOURCE_LANG, show_default=True, help="For a new memory.")
@click.option("--tgt-lang", default=service.DEFAULT_TARGET_LANG, show_default=True, help="For a new memory.")
@click.option("--pre-split", is_flag=True, help="Files hold one sentence a line.")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help="Aligner processes.")
@click.option("--min-score", type=click.FloatRange(0, 1), default=alignment.DEFAULT_MIN_SCORE, show_default=True,
              help="Links below this confidence are not stored.")
@tm_command
def ingest_command(folder: Path, memory_name: str, src_lang: str, tgt_lang: str, pre_split: bool,
                   jobs: int, min_score: float) -> None:
    session = get_session()
    try:
        repository.memory_by_name(session, memory_name)
    except NotFound:
        memory = service.create_memory(session, memory_name, source_lang=src_lang, target_lang=tgt_lang)
        click.echo(f"created memory {memory_name} ({memory.source_lang}-{memory.target_lang})")
    with tqdm(desc="releases", unit="release", disable=None) as progress:
        report = ingest_folder(
            session, memory_name, folder, kind="pre-split" if pre_split else "auto", jobs=jobs,
            min_score=min_score, creator="tm ingest",
            on_found=lambda count: progress.reset(total=count), on_release=lambda _release: progress.update(),
        )
    click.echo(
        f"{report.releases} releases: {report.releases - report.already_stored} aligned, "
        f"{report.already_stored} already stored; {report.units_added} units added, "
        f"{report.duplicates} duplicates, {report.links_dropped} links below {min_score} not stored"
    )
    echo_summary(matching.update_index())


COMMANDS = (align_command, ingest_command)
