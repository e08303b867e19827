"""A minimal compressed-sparse-row matrix over numpy, enough for bag-of-features similarities."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SparseRows:
    """Rows of (column, value) entries; columns are unique and sorted within a row."""

    indptr: np.ndarray
    columns: np.ndarray
    values: np.ndarray
    column_count: int

    @classmethod
    def from_lists(cls, rows: Sequence[Sequence[int]], column_count: int) -> SparseRows:
        """Count occurrences: row r gets value k at column c when c appears k times."""
        lengths = np.fromiter((len(row) for row in rows), dtype=np.int64, count=len(rows))
        flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=int(lengths.sum()))
        row_ids = np.repeat(np.arange(len(rows), dtype=np.int64), lengths)
        return cls.from_entries(row_ids, flat, np.ones(len(flat)), len(rows), column_count)

    @classmethod
    def from_entries(
        cls, row_ids: np.ndarray, columns: np.ndarray, values: np.ndarray, row_count: int,
        column_count: int,
    ) -> SparseRows:
        """Sum duplicate (row, column) entries and build the rows."""
        keys = row_ids.astype(np.int64) * max(column_count, 1) + columns.astype(np.int64)
        unique, inverse = np.unique(keys, return_inverse=True)
        summed = np.bincount(inverse, weights=values, minlength=len(unique))
        unique_rows = unique // max(column_count, 1)
        indptr = np.zeros(row_count + 1, dtype=np.int64)
        np.cumsum(np.bincount(unique_rows, minlength=row_count), out=indptr[1:])
        return cls(indptr, unique % max(column_count, 1), summed, column_count)

    @classmethod
    def stack_columns(cls, blocks: Sequence[SparseRows]) -> SparseRows:
        """Put matrices with the same rows side by side (their column spaces concatenated)."""
        row_count = len(blocks[0].indptr) - 1
        lengths = [np.diff(block.indptr) for block in blocks]
        indptr = np.zeros(row_count + 1, dtype=np.int64)
        np.cumsum(sum(lengths), out=indptr[1:])
        columns = np.empty(int(indptr[-1]), dtype=np.int64)
        values = np.empty(int(indptr[-1]), dtype=np.float64)
        # Each block's entries go after the earlier blocks' in the same row: rows stay sorted
        # by column with no sort, as every block's columns come after the earlier ones'.
        free = indptr[:-1].copy()
        offset = 0
        for block, length in zip(blocks, lengths):
            rows = block.row_ids()
            positions = free[rows] + np.arange(len(block.columns)) - block.indptr[rows]
            columns[positions] = block.columns + offset
            values[positions] = block.values
            free += length
            offset += block.column_count
        return cls(indptr, columns, values, offset)

    @property
    def row_count(self) -> int:
        return len(self.indptr) - 1

    def row_ids(self) -> np.ndarray:
        return np.repeat(np.arange(self.row_count, dtype=np.int64), np.diff(self.indptr))

    def gather_rows(self, rows: np.ndarray) -> SparseRows:
        """The given rows, in that order (rows may repeat)."""
        indptr, positions = gathered(self.indptr, rows)
        return SparseRows(indptr, self.columns[positions], self.values[positions], self.column_count)

    def row_dots(self, other: SparseRows) -> np.ndarray:
        """Dot product of row r of this matrix with row r of `other` (same row count)."""
        result = np.zeros(self.row_count)
        if not len(self.columns) or not len(other.columns):
            return result
        width = max(self.column_count, other.column_count, 1)
        keys = self.row_ids() * width + self.columns  # sorted
        wanted = other.row_ids() * width + other.columns
        found = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        hit = keys[found] == wanted
        rows = other.row_ids()[hit]
        return result + np.bincount(rows, weights=self.values[found[hit]] * other.values[hit],
                                    minlength=self.row_count)

    def scale_columns(self, factors: np.ndarray) -> SparseRows:
        return SparseRows(self.indptr, self.columns, self.values * factors[self.columns], self.column_count)

    def map_values(self, function: Callable[[np.ndarray], np.ndarray]) -> SparseRows:
        return SparseRows(self.indptr, self.columns, function(self.values), self.column_count)

    def document_frequency(self) -> np.ndarray:
        return np.bincount(self.columns, minlength=self.column_count)

    def squared_norms(self) -> np.ndarray:
        return np.bincount(self.row_ids(), weights=self.values ** 2, minlength=self.row_count)

    def shifted_dots(self, shift: int) -> np.ndarray:
        """Dot product of every row r with row r + shift (0 where r + shift is past the end)."""
        result = np.zeros(self.row_count)
        if shift >= self.row_count or not len(self.columns):
            return result
        rows = self.row_ids()
        width = max(self.column_count, 1)
        keys = rows * width + self.columns  # sorted: rows in order, columns sorted within
        later = rows >= shift
        wanted = (rows[later] - shift) * width + self.columns[later]
        found = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        hit = keys[found] == wanted
        products = self.values[found[hit]] * self.values[later][hit]
        result += np.bincount(rows[found[hit]], weights=products, minlength=self.row_count)
        return result

    def dense_block(self, start: int, stop: int, local_index: np.ndarray, width: int) -> np.ndarray:
        """Rows start..stop-1 as a dense matrix; column c goes to local_index[c] (< 0: dropped)."""
        lo, hi = self.indptr[start], self.indptr[stop]
        block = np.zeros((stop - start, width), dtype=np.float32)
        rows = np.repeat(np.arange(stop - start), np.diff(self.indptr[start:stop + 1]))
        positions = local_index[self.columns[lo:hi]]
        kept = positions >= 0
        block[rows[kept], positions[kept]] = self.values[lo:hi][kept]
        return block

    def columns_of(self, start: int, stop: int) -> np.ndarray:
        return self.columns[self.indptr[start]:self.indptr[stop]]

    def multiply(self, table: SparseRows) -> SparseRows:
        """Matrix product self @ table, where table maps this matrix's columns to new ones."""
        entry_rows = self.row_ids()
        starts = table.indptr[self.columns]
        counts = table.indptr[self.columns + 1] - starts
        total = int(counts.sum())
        if total == 0:
            return SparseRows(np.zeros(self.row_count + 1, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0), table.column_count)
        expanded = np.repeat(np.arange(len(self.columns)), counts)
        within = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        positions = starts[expanded] + within
        return SparseRows.from_entries(
            entry_rows[expanded], table.columns[positions],
            self.values[expanded] * table.values[positions], self.row_count, table.column_count,
        )


def gathered(indptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pick rows of a compressed-row layout: the new row pointer and the positions to take."""
    rows = np.asarray(rows, dtype=np.int64)
    starts = indptr[rows]
    lengths = indptr[rows + 1] - starts
    new_indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=new_indptr[1:])
    positions = np.repeat(starts - new_indptr[:-1], lengths) + np.arange(int(new_indptr[-1]))
    return new_indptr, positions
