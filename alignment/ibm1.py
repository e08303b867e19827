"""IBM Model 1 (Brown et al. 1993) by EM, both directions at once, vectorised over all the
co-occurring word pairs of the training sentences."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from alignment.sides import TokenRows

#: EM iterations; the table barely moves after five (fewer cost alignment quality).
DEFAULT_ITERATIONS = 5
_NULL = -1

#: t(produced | given) of an earlier table, vectorised over word-id arrays: seeds EM.
Seed = Callable[[np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class CountArrays:
    """IBM Model 1 expected counts as parallel arrays over word ids (NULL is -1)."""

    given: np.ndarray
    produced: np.ndarray
    counts: np.ndarray

    def probabilities(self) -> np.ndarray:
        """t(produced | given) for every entry: its count over the given word's total."""
        index = self.given + 1
        totals = np.bincount(index, weights=self.counts)
        return self.counts / np.maximum(totals[index], 1e-300)


def ibm1_both_directions(
    source_ids: Sequence[Sequence[int]],
    target_ids: Sequence[Sequence[int]],
    *,
    iterations: int = DEFAULT_ITERATIONS,
    forward_seed: Seed | None = None,
    backward_seed: Seed | None = None,
) -> tuple[CountArrays, CountArrays]:
    """IBM Model 1 EM for t(target | source) and t(source | target) at once.

    Both directions share one table of co-occurring word pairs (NULL on either side), which
    is where the time goes. A seed is `probability(given_ids, produced_ids)` over id arrays.
    """
    return ibm1_token_rows(
        TokenRows.from_lists(source_ids), TokenRows.from_lists(target_ids),
        iterations=iterations, forward_seed=forward_seed, backward_seed=backward_seed,
    )


def ibm1_token_rows(
    source: TokenRows,
    target: TokenRows,
    *,
    iterations: int = DEFAULT_ITERATIONS,
    forward_seed: Seed | None = None,
    backward_seed: Seed | None = None,
) -> tuple[CountArrays, CountArrays]:
    """`ibm1_both_directions` on compressed rows: pair k is source row k and target row k."""
    source_lengths = np.diff(source.indptr)
    target_lengths = np.diff(target.indptr)
    kept = (source_lengths > 0) & (target_lengths > 0)
    if not kept.any():
        empty = np.zeros(0, dtype=np.int64)
        return CountArrays(empty, empty, np.zeros(0)), CountArrays(empty, empty, np.zeros(0))
    source_flat = _with_null(source, kept)
    target_flat = _with_null(target, kept)
    source_lengths = source_lengths[kept] + 1  # + NULL
    target_lengths = target_lengths[kept] + 1
    # One entry per (source token or NULL, target token or NULL) of each pair: int32 where
    # it fits, as these arrays are the memory peak of the whole aligner.
    sizes = source_lengths * target_lengths
    index = np.int32 if int(sizes.sum()) < 2**31 - 1 else np.int64
    pair = np.repeat(np.arange(len(sizes), dtype=index), sizes)
    within = np.arange(int(sizes.sum()), dtype=index)
    within -= np.repeat((np.cumsum(sizes) - sizes).astype(index), sizes)
    row_length = source_lengths.astype(index)[pair]
    target_position = (np.cumsum(target_lengths) - target_lengths).astype(index)[pair]
    target_position += within // row_length
    source_position = (np.cumsum(source_lengths) - source_lengths).astype(index)[pair]
    source_position += within % row_length
    del pair, within, row_length
    source_entry = source_flat[source_position]
    target_entry = target_flat[target_position]
    real = (source_entry >= 0) | (target_entry >= 0)  # NULL-NULL links nothing
    target_span = int(target_flat.max()) + 2
    keys = (source_entry[real] + 1) * target_span + (target_entry[real] + 1)
    del source_entry, target_entry
    source_position, target_position = source_position[real], target_position[real]
    del real
    # Sorted by word pair once, the EM sums over a pair become contiguous runs.
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    source_position, target_position = source_position[order], target_position[order]
    del order
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
    unique = keys[starts]
    del keys
    run_lengths = np.diff(np.append(starts, len(source_position)))
    key_source = unique // target_span - 1
    key_target = unique % target_span - 1
    forward = _em(run_lengths, target_position, key_source, key_target, key_target >= 0,
                  iterations, forward_seed)
    backward = _em(run_lengths, source_position, key_target, key_source, key_source >= 0,
                   iterations, backward_seed)
    return forward, backward


def _with_null(rows: TokenRows, kept: np.ndarray) -> np.ndarray:
    """The kept rows' ids, each row followed by NULL (-1), flattened."""
    gathered = rows.gather(np.flatnonzero(kept))
    lengths = np.diff(gathered.indptr)
    flat = np.full(len(gathered.ids) + len(lengths), _NULL, dtype=np.int64)
    shift = np.repeat(np.arange(len(lengths)), lengths)
    flat[np.arange(len(gathered.ids)) + shift] = gathered.ids
    return flat


def _em(run_lengths: np.ndarray, produced_position: np.ndarray, key_given: np.ndarray,
        key_produced: np.ndarray, applies: np.ndarray, iterations: int, seed: Seed | None) -> CountArrays:
    """EM over the entries of one direction.

    Entries come in runs, one run per word pair (key); `applies` marks the keys this
    direction uses (the other direction's NULL is not a word here).
    """
    entry_applies = np.repeat(applies, run_lengths)
    produced_position = produced_position[entry_applies]
    lengths = run_lengths[applies]
    starts = np.cumsum(lengths) - lengths
    key_given, key_produced = key_given[applies], key_produced[applies]
    given_index = key_given + 1  # NULL (-1) becomes 0
    distinct = np.bincount(given_index)
    theta = 1.0 / distinct[given_index]
    if seed is not None:
        theta = 0.5 * theta + 0.5 * seed(key_given, key_produced) + 1e-12
    counts = np.zeros(len(key_given))
    for _ in range(max(iterations, 1)):
        weights = np.repeat(theta, lengths)
        norm = np.bincount(produced_position, weights=weights)
        counts = np.add.reduceat(weights / norm[produced_position], starts) if len(starts) else counts
        totals = np.bincount(given_index, weights=counts)
        theta = counts / np.maximum(totals[given_index], 1e-300)
    return CountArrays(key_given, key_produced, counts)
