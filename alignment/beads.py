"""Beads: the links of a sentence alignment (Gale & Church 1993 call them beads)."""
from __future__ import annotations

from dataclasses import dataclass

#: Bead shapes the aligner's dynamic program may use, as (source count, target count).
BEAD_SHAPES: tuple[tuple[int, int], ...] = (
    (0, 1), (1, 0), (1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1),
)


@dataclass(frozen=True)
class Bead:
    """One link: consecutive source sentences aligned to consecutive target sentences.

    Either side may be empty (a deletion). `score` is the aligner's confidence in [0, 1]
    that the link is a correct translation pair.
    """

    source_indices: tuple[int, ...]
    target_indices: tuple[int, ...]
    score: float

    def __post_init__(self) -> None:
        if not self.source_indices and not self.target_indices:
            raise ValueError("a bead needs at least one sentence")
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"score {self.score!r} is outside [0, 1]")

    @property
    def kind(self) -> str:
        """The bead's shape, e.g. "1-1", "2-1" or "0-1"."""
        return f"{len(self.source_indices)}-{len(self.target_indices)}"

    @property
    def is_deletion(self) -> bool:
        """True when one side is empty: such beads are never stored as pairs."""
        return not self.source_indices or not self.target_indices
