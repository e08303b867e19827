"""Sentence alignment of French/English (and other) document pairs for the translation memory.

Pure Python with numpy, sentencepiece and lxml; works offline with no downloaded
model. See `align`, `align_corpus`, `read_document` and `split_sentences`.
"""
from __future__ import annotations

from alignment.aligner import Aligner, AlignerSettings, CorpusAlignment, align, align_corpus
from alignment.beads import BEAD_SHAPES, Bead
from alignment.documents import DOCUMENT_KINDS, Document, read_document
from alignment.formats import DEFAULT_MIN_SCORE, format_links, pairs, parse_links
from alignment.lexicon import Lexicon
from alignment.splitting import sentence_spans, split_sentences

__all__ = [
    "Aligner", "AlignerSettings", "BEAD_SHAPES", "Bead", "CorpusAlignment", "DEFAULT_MIN_SCORE",
    "DOCUMENT_KINDS", "Document", "Lexicon", "align", "align_corpus", "format_links", "pairs",
    "parse_links", "read_document", "sentence_spans", "split_sentences",
]
