"""The checks a reviewer wants flagged, each with a code and a short reason."""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from memories.normalise import normalise_text
from memories.placeables import extract_placeables, render

#: A draft whose log length ratio lies this many standard deviations from the memory's mean is flagged.
LENGTH_RATIO_Z = 3.0
#: Sources shorter than this are too short for a length ratio to mean anything.
LENGTH_RATIO_MIN_CHARS = 20
#: A floor on the per-character variance, so a very uniform memory does not flag every draft.
MIN_LENGTH_VARIANCE = 2.0
_LETTER = re.compile(r"[^\W\d_]")

FLAG_CODES = (
    "empty_draft",
    "untranslated",
    "number_mismatch",
    "length_ratio",
    "differs_from_exact_match",
    "inconsistent_translation",
    "unpaired",
)


@dataclass(frozen=True, slots=True)
class Flag:
    code: str
    detail: str

    def as_dict(self) -> dict:
        return {"code": self.code, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class LengthProfile:
    """How long translations run for a pair, in Gale & Church's (1993) model.

    A target of a source of `s` characters has about `ratio * s` characters, with a variance
    that grows with `s` (`variance * s`): short segments may stray further, relatively.
    """

    ratio: float
    variance: float
    units: int

    def z(self, source: str, draft: str) -> float:
        expected = self.ratio * len(source)
        return (len(draft) - expected) / math.sqrt(self.variance * len(source))

    @classmethod
    def fit(cls, lengths: Sequence[tuple[int, int]]) -> LengthProfile:
        """Estimate the ratio and per-character variance from (source, target) lengths."""
        ratio = sum(t for _, t in lengths) / sum(s for s, _ in lengths)
        variance = sum((t - ratio * s) ** 2 / s for s, t in lengths) / max(len(lengths) - 1, 1)
        return cls(ratio, max(variance, MIN_LENGTH_VARIANCE), len(lengths))


def segment_flags(
    source: str,
    draft: str,
    *,
    source_lang: str,
    target_lang: str,
    exact_references: Sequence[str],
    profile: LengthProfile | None,
) -> list[Flag]:
    """Flag what is wrong with one draft segment on its own."""
    if not draft.strip():
        return [Flag("empty_draft", "the draft segment is empty")]
    flags = []
    normalised_draft = normalise_text(draft)
    if normalised_draft == normalise_text(source) and _LETTER.search(source):
        flags.append(Flag("untranslated", "the draft is identical to the source"))
    mismatch = placeable_mismatch(source, draft, source_lang=source_lang, target_lang=target_lang)
    if mismatch:
        flags.append(Flag("number_mismatch", mismatch))
    if profile is not None and len(source.strip()) >= LENGTH_RATIO_MIN_CHARS:
        z = profile.z(source.strip(), draft.strip())
        if abs(z) > LENGTH_RATIO_Z:
            ratio = len(draft.strip()) / len(source.strip())
            flags.append(
                Flag("length_ratio", f"draft/source length ratio {ratio:.2f}; the memory's pairs run {profile.ratio:.2f}")
            )
    if exact_references and normalised_draft not in {normalise_text(r) for r in exact_references}:
        flags.append(
            Flag("differs_from_exact_match", f"the memory holds an exact match translated as: {exact_references[0]}")
        )
    return flags


def placeable_mismatch(source: str, draft: str, *, source_lang: str, target_lang: str) -> str | None:
    """Describe the numbers, amounts, dates and times of the source that the draft lacks or changes.

    Values are compared across languages: `89,2 millions` in French equals `89.2 million`.
    """
    wanted = Counter(p.term for p in extract_placeables(source, source_lang))
    if not wanted:
        return None
    found = Counter(p.term for p in extract_placeables(draft, target_lang))
    missing = wanted - found
    if not missing:
        return None
    by_term = {p.term: p for p in extract_placeables(source, source_lang)}
    described = [f"{by_term[term].text} ({render(by_term[term].value, target_lang)})" for term in missing]
    extra = [p.text for p in extract_placeables(draft, target_lang) if (found - wanted)[p.term] > 0]
    detail = "missing or different in the draft: " + ", ".join(described)
    if extra:
        detail += "; the draft has " + ", ".join(extra)
    return detail


def consistency_flags(sources: Sequence[str], drafts: Sequence[str]) -> dict[int, Flag]:
    """Flag segments whose source is translated two different ways within the draft."""
    translations: dict[str, dict[str, int]] = {}
    for index, (source, draft) in enumerate(zip(sources, drafts)):
        if draft.strip():
            translations.setdefault(normalise_text(source), {}).setdefault(normalise_text(draft), index)
    flags = {}
    for index, source in enumerate(sources):
        variants = translations.get(normalise_text(source), {})
        if len(variants) > 1:
            others = [text for text in variants if text != normalise_text(drafts[index])]
            flags[index] = Flag(
                "inconsistent_translation",
                f"the same source is translated {len(variants)} ways in this draft; also as: {others[0]}",
            )
    return flags
