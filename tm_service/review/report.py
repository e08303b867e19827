"""A review as a terminal table, TSV, or a self-contained HTML page."""
from __future__ import annotations

import difflib
import html
import re

from tm_service.review.metrics import METRICS
from tm_service.review.review import Review, SegmentReview

FORMATS = ("table", "json", "tsv", "html")
_LABELS = {"bleu": "BLEU", "chrf": "chrF2++", "ter": "TER"}
_WORD = re.compile(r"\S+|\s+")


def _score_text(segment: SegmentReview, name: str) -> str:
    score = segment.scores.get(name)
    return f"{score.score:.1f}" if score else "-"


def as_table(review: Review, *, width: int = 60) -> str:
    """Render one line per segment, worst BLEU first being the reader's job: order is the draft's."""
    names = [name for name in METRICS if name in review.metrics]
    header = ["#", *(_LABELS[n] for n in names), "match", "flags", "source"]
    rows = []
    for number, segment in enumerate(review.segments, start=1):
        similarity = segment.references.similarity
        origin = segment.references.origin
        match = f"{similarity:.0f}" if similarity is not None else ("given" if origin == "given" else "-")
        source = segment.source if len(segment.source) <= width else segment.source[: width - 1] + "…"
        rows.append([str(number), *(_score_text(segment, n) for n in names), match,
                     ",".join(f.code for f in segment.flags) or "-", source])
    rows.append(["all", *(f"{review.corpus[n].score:.1f}" if n in review.corpus else "-" for n in names), "", "", ""])
    widths = [max(len(row[k]) for row in [header, *rows]) for k in range(len(header))]
    lines = ["  ".join(cell.ljust(widths[k]) for k, cell in enumerate(row)).rstrip() for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    for name in names:
        if name in review.corpus:
            lines.append(f"{_LABELS[name]} signature: {review.corpus[name].signature}")
    return "\n".join(lines) + "\n"


def as_tsv(review: Review) -> str:
    names = [name for name in METRICS if name in review.metrics]
    lines = ["\t".join(["segment", "source", "draft", "reference", "reference_origin", "match_similarity", *names, "flags"])]
    for number, segment in enumerate(review.segments, start=1):
        similarity = segment.references.similarity
        lines.append("\t".join([
            str(number), _cell(segment.source), _cell(segment.draft),
            _cell(segment.references.texts[0] if segment.references.texts else ""),
            segment.references.origin, "" if similarity is None else f"{similarity:.1f}",
            *(f"{segment.scores[n].score:.4f}" if n in segment.scores else "" for n in names),
            ";".join(f"{f.code}: {f.detail}" for f in segment.flags),
        ]))
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.split())


def marked_difference(draft: str, reference: str) -> tuple[str, str]:
    """Return the draft and reference as HTML with the words that differ marked."""
    draft_words, reference_words = _WORD.findall(draft), _WORD.findall(reference)
    matcher = difflib.SequenceMatcher(a=draft_words, b=reference_words, autojunk=False)
    draft_html, reference_html = [], []
    for operation, a0, a1, b0, b1 in matcher.get_opcodes():
        left, right = html.escape("".join(draft_words[a0:a1])), html.escape("".join(reference_words[b0:b1]))
        if operation == "equal":
            draft_html.append(left)
            reference_html.append(right)
            continue
        if left:
            draft_html.append(f"<del>{left}</del>")
        if right:
            reference_html.append(f"<ins>{right}</ins>")
    return "".join(draft_html), "".join(reference_html)


def _colour(segment: SegmentReview) -> str:
    chrf = segment.scores.get("chrf") or segment.scores.get("bleu")
    if chrf is None:
        return "none"
    if chrf.score >= 80:
        return "good"
    if chrf.score >= 50:
        return "fair"
    return "poor"


_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:1.5rem;color:#1b1b1b}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:.4rem;vertical-align:top;text-align:left}
th{background:#f2f2f2}tr.good td.score{background:#d8f3dc}tr.fair td.score{background:#fff3bf}
tr.poor td.score{background:#ffd6d6}tr.none td.score{background:#eee}
del{background:#ffd6d6;text-decoration:line-through}ins{background:#d8f3dc;text-decoration:none}
.flag{display:inline-block;background:#7a1f1f;color:#fff;border-radius:3px;padding:0 .3rem;margin:.1rem;font-size:12px}
.sig{font:12px monospace;color:#555}
"""


def as_html(review: Review) -> str:
    """A self-contained page: no script, no external file; colours by chrF (or BLEU)."""
    names = [name for name in METRICS if name in review.metrics]
    corpus = "".join(
        f"<li><b>{_LABELS[n]}</b> {review.corpus[n].score:.2f} <span class=sig>{html.escape(review.corpus[n].signature)}</span></li>"
        for n in names if n in review.corpus
    )
    rows = []
    for number, segment in enumerate(review.segments, start=1):
        reference = segment.references.texts[0] if segment.references.texts else ""
        draft_html, reference_html = marked_difference(segment.draft, reference) if reference else (html.escape(segment.draft), "")
        origin = segment.references.origin
        if segment.references.similarity is not None:
            origin += f" {segment.references.similarity:.0f}%"
        flags = "".join(
            f"<span class=flag title=\"{html.escape(f.detail)}\">{html.escape(f.code)}</span>" for f in segment.flags
        )
        scores = "".join(f"<td class=score>{_score_text(segment, n)}</td>" for n in names)
        rows.append(
            f"<tr class={_colour(segment)}><td>{number}</td><td>{html.escape(segment.source)}</td>"
            f"<td>{draft_html}</td><td>{reference_html}<br><small>{html.escape(origin)}</small></td>{scores}<td>{flags}</td></tr>"
        )
    header = "".join(f"<th>{_LABELS[n]}</th>" for n in names)
    summary = review.summary()
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width,initial-scale=1'>"
        f"<title>Translation review</title><style>{_STYLE}</style></head><body>"
        f"<h1>Translation review ({html.escape(review.source_lang)} → {html.escape(review.target_lang)})</h1>"
        f"<p>{summary['segments']} segments, {summary['with_reference']} with a reference, {summary['flagged']} flagged.</p>"
        f"<ul>{corpus}</ul>"
        f"<table><thead><tr><th>#</th><th>Source</th><th>Draft</th><th>Reference</th>{header}<th>Flags</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></body></html>\n"
    )
