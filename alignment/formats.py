"""Input and output formats of alignments: vecalign link lines and text pairs."""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from alignment.beads import Bead

#: Links scoring below this confidence are not stored as translation pairs.
DEFAULT_MIN_SCORE = 0.5

_LINK = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\](?:\s*:\s*([-+0-9.eE]+))?\s*$")


def format_link(bead: Bead) -> str:
    """Format one bead as a vecalign line, e.g. ``[0, 1]:[2]:0.873``."""
    source = ", ".join(str(index) for index in bead.source_indices)
    target = ", ".join(str(index) for index in bead.target_indices)
    return f"[{source}]:[{target}]:{bead.score:.3f}"


def format_links(beads: Iterable[Bead]) -> str:
    """Format beads as vecalign lines, one link a line, with a final newline.

    >>> format_links([Bead((0, 1), (2,), 0.8734), Bead((), (3,), 0.0)])
    '[0, 1]:[2]:0.873\\n[]:[3]:0.000\\n'
    """
    lines = [format_link(bead) for bead in beads]
    return "".join(line + "\n" for line in lines)


def parse_links(lines: Iterable[str]) -> list[Bead]:
    """Parse vecalign lines (score optional, 1.0 when absent) back into beads.

    Raises:
        ValueError: on a line that is neither blank nor a link.
    """
    beads = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        match = _LINK.match(line)
        if match is None:
            raise ValueError(f"line {number} is not a link: {line.strip()[:60]!r}")
        source = tuple(int(x) for x in match.group(1).replace(",", " ").split())
        target = tuple(int(x) for x in match.group(2).replace(",", " ").split())
        score = float(match.group(3)) if match.group(3) else 1.0
        beads.append(Bead(source, target, min(max(score, 0.0), 1.0)))
    return beads


def pairs(
    beads: Iterable[Bead],
    source_sentences: Sequence[str],
    target_sentences: Sequence[str],
    *,
    min_score: float = DEFAULT_MIN_SCORE,
) -> list[tuple[str, str, float]]:
    """Return (source_text, target_text, score) for the links worth storing.

    Deletions are left out, and so are links scoring below `min_score` or with an empty
    side (empty lines of a pre-split file). Sentences of a many-to-one link are joined with
    a space.
    """
    result = []
    for bead in beads:
        if bead.is_deletion or bead.score < min_score:
            continue
        source = " ".join(source_sentences[i] for i in bead.source_indices).strip()
        target = " ".join(target_sentences[j] for j in bead.target_indices).strip()
        if source and target:
            result.append((source, target, bead.score))
    return result


def check_coverage(beads: Sequence[Bead], source_count: int, target_count: int) -> None:
    """Raise ValueError unless the beads cover every sentence exactly once, in order."""
    next_source = next_target = 0
    for bead in beads:
        for index in bead.source_indices:
            if index != next_source:
                raise ValueError(f"source sentence {next_source} expected, got {index}")
            next_source += 1
        for index in bead.target_indices:
            if index != next_target:
                raise ValueError(f"target sentence {next_target} expected, got {index}")
            next_target += 1
    if (next_source, next_target) != (source_count, target_count):
        raise ValueError(
            f"beads cover {next_source}/{source_count} source and "
            f"{next_target}/{target_count} target sentences"
        )
