"""TMX 1.4b import and export: the reader lives in tmx_read, the writer in tmx_write."""
from __future__ import annotations

from memories.tmx_read import TmxReader, parse_tmx_date, read_tmx
from memories.tmx_write import format_tmx_date, write_tmx

__all__ = ["TmxReader", "format_tmx_date", "parse_tmx_date", "read_tmx", "write_tmx"]
