"""Beads and their formats: vecalign link lines and stored pairs."""
from __future__ import annotations

import pytest

from alignment import DEFAULT_MIN_SCORE, Bead, format_links, pairs, parse_links
from alignment.formats import check_coverage

BEADS = [
    Bead((0, 1), (0,), 0.8734),
    Bead((2,), (1, 2), 0.42),
    Bead((), (3,), 0.0),
    Bead((3,), (), 0.0),
    Bead((4,), (4,), 0.5),
]


def test_bead_kind_and_validation() -> None:
    assert [bead.kind for bead in BEADS] == ["2-1", "1-2", "0-1", "1-0", "1-1"]
    assert BEADS[2].is_deletion and not BEADS[0].is_deletion
    with pytest.raises(ValueError):
        Bead((), (), 0.5)
    with pytest.raises(ValueError):
        Bead((0,), (0,), 1.5)
    with pytest.raises(Exception):
        BEADS[0].score = 0.1  # type: ignore[misc]  # frozen


def test_vecalign_lines() -> None:
    assert format_links(BEADS) == (
        "[0, 1]:[0]:0.873\n[2]:[1, 2]:0.420\n[]:[3]:0.000\n[3]:[]:0.000\n[4]:[4]:0.500\n"
    )
    assert format_links([]) == ""


def test_parse_links_round_trip() -> None:
    parsed = parse_links(format_links(BEADS).splitlines())
    assert [(b.source_indices, b.target_indices) for b in parsed] == [
        (b.source_indices, b.target_indices) for b in BEADS]
    assert parse_links(["[0]:[1]", "", "[1, 2]:[]"]) == [Bead((0,), (1,), 1.0), Bead((1, 2), (), 1.0)]
    with pytest.raises(ValueError, match="line 1"):
        parse_links(["0 -> 1"])


def test_pairs_keep_confident_links_with_both_sides() -> None:
    source = ["S0.", "S1.", "S2.", "S3.", "S4."]
    target = ["T0.", "T1.", "T2.", "T3.", "T4."]
    assert DEFAULT_MIN_SCORE == 0.5
    assert pairs(BEADS, source, target) == [("S0. S1.", "T0.", 0.8734), ("S4.", "T4.", 0.5)]
    assert len(pairs(BEADS, source, target, min_score=0.0)) == 3
    assert pairs(BEADS, source, target, min_score=0.9) == []


def test_check_coverage() -> None:
    check_coverage(BEADS, 5, 5)
    with pytest.raises(ValueError):
        check_coverage(BEADS, 6, 5)
    with pytest.raises(ValueError):
        check_coverage([Bead((1,), (0,), 1.0)], 2, 1)
