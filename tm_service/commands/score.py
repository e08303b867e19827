"""`tm score`: review a draft translation against the memory (or given references)."""
from __future__ import annotations

import json
from pathlib import Path

import click

from memories.errors import InvalidInput
from tm_service.commands.common import get_session, tm_command
from tm_service.ingest import read_text
from tm_service.matching import get_matcher
from tm_service.review import report
from tm_service.review.metrics import METRICS
from tm_service.review.review import DEFAULT_MIN_SIMILARITY, SegmentInput, review_documents, review_segments

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("score", help="Score a draft against the memory, segment by segment, with sacrebleu.")
@click.option("--source", "source_file", type=_FILE, required=True, help="Source text, one segment a line.")
@click.option("--draft", "draft_file", type=_FILE, required=True, help="Draft translation, one segment a line.")
@click.option("--reference", "reference_file", type=_FILE, default=None, help="Reference translation, one a line.")
@click.option("--memory", "memory_name", default=None, help="Look references up in this memory only.")
@click.option("--src-lang", default="fr", show_default=True)
@click.option("--tgt-lang", default="en", show_default=True)
@click.option("--documents", is_flag=True, help="Whole documents: split and align them first.")
@click.option("--min-similarity", type=click.FloatRange(0, 100), default=DEFAULT_MIN_SIMILARITY, show_default=True)
@click.option("--metrics", default=",".join(METRICS), show_default=True, help="Comma-separated: bleu,chrf,ter.")
@click.option("--format", "output_format", type=click.Choice(report.FORMATS), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write here.")
@tm_command
def score_command(source_file, draft_file, reference_file, memory_name, src_lang, tgt_lang, documents,
                  min_similarity, metrics, output_format, output) -> None:
    chosen = tuple(name.strip() for name in metrics.split(",") if name.strip())
    if not chosen or set(chosen) - set(METRICS):
        raise InvalidInput(f"--metrics takes a comma-separated choice of {', '.join(METRICS)}")
    options = dict(source_lang=src_lang, target_lang=tgt_lang, memory=memory_name, metrics=chosen,
                   min_similarity=min_similarity)
    session, matcher = get_session(), get_matcher()
    if documents:
        if reference_file:
            raise InvalidInput("--reference goes with segment files, not --documents")
        review = review_documents(session, matcher, read_text(source_file), read_text(draft_file), **options)
    else:
        review = review_segments(session, matcher, _segments(source_file, draft_file, reference_file), **options)
    rendered = {
        "table": report.as_table,
        "tsv": report.as_tsv,
        "html": report.as_html,
        "json": lambda r: json.dumps(r.as_dict(), ensure_ascii=False, indent=2) + "\n",
    }[output_format](review)
    if output:
        output.write_text(rendered, "utf-8")
        click.echo(f"{output}: {len(review.segments)} segments reviewed")
    else:
        click.echo(rendered, nl=False)


def _segments(source_file: Path, draft_file: Path, reference_file: Path | None) -> list[SegmentInput]:
    sources = read_text(source_file).splitlines()
    drafts = read_text(draft_file).splitlines()
    references = read_text(reference_file).splitlines() if reference_file else [None] * len(sources)
    if len(drafts) != len(sources) or len(references) != len(sources):
        raise InvalidInput(
            f"segment files differ in length: {len(sources)} source, {len(drafts)} draft"
            + (f", {len(references)} reference lines" if reference_file else " lines")
            + " (use --documents for unsegmented texts)"
        )
    return [SegmentInput(s, d, r) for s, d, r in zip(sources, drafts, references)]


COMMANDS = (score_command,)
