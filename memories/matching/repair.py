"""Placeable repair: carry the query's numbers, amounts, dates and times into a match's target."""
from __future__ import annotations

from dataclasses import dataclass

from memories.matching.scores import Comparison
from memories.matching.tokens import PLACEABLE
from memories.placeables import extract_placeables, render


@dataclass(frozen=True, slots=True)
class Repair:
    """The query's `query_text` was written `repaired_text` in place of the target's `replaced_text`."""

    kind: str
    query_text: str
    replaced_text: str
    repaired_text: str

    def as_dict(self) -> dict:
        return {"kind": self.kind, "from": self.query_text, "to": self.repaired_text, "replaced": self.replaced_text}


def repair(comparison: Comparison, target: str, target_lang: str) -> tuple[str | None, tuple[Repair, ...]]:
    """Rewrite `target` with the query's placeables when the query differs from the source only
    there; return (None, ()) when it does not, or when a source placeable has no counterpart
    of equal value in the target.

    Values are compared language-neutrally, so the source's ``75 millions de dollars`` is found
    as ``$75 million`` in the target and replaced by the query's value written the target's way.
    """
    if comparison.word_distance != 0:
        return None, ()
    changed = [
        (q.placeable, s.placeable)
        for q, s in zip(comparison.query_words, comparison.source_words)
        if q.kind == PLACEABLE and q.placeable.value != s.placeable.value
    ]
    if not changed:
        return None, ()
    available = extract_placeables(target, target_lang)
    edits = []
    for query_placeable, source_placeable in changed:
        counterpart = next(
            (p for p in available if p.kind == source_placeable.kind and p.value == source_placeable.value), None
        )
        if counterpart is None:
            return None, ()
        available.remove(counterpart)
        edits.append((counterpart, query_placeable))
    repaired, repairs = target, []
    for counterpart, query_placeable in sorted(edits, key=lambda edit: edit[0].start, reverse=True):
        text = render(query_placeable.value, target_lang)
        repaired = repaired[: counterpart.start] + text + repaired[counterpart.end :]
        repairs.append(Repair(query_placeable.kind, query_placeable.text, counterpart.text, text))
    repairs.reverse()
    return repaired, tuple(repairs)
