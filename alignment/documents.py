"""Documents: the sentences of a text, HTML page or pre-split file, with their paragraphs."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from alignment.html import html_paragraphs, looks_like_html
from alignment.splitting import paragraph_sentence_spans, paragraph_spans

#: Kinds of input `read_document` understands ("auto" guesses between html and text).
DOCUMENT_KINDS = ("text", "html", "pre-split", "auto")


@dataclass(frozen=True)
class Document:
    """Sentences in reading order; `paragraph_indices[k]` is the paragraph of sentence k.

    Paragraph boundaries are soft anchors for the aligner: translators rarely move a
    sentence across them.
    """

    sentences: list[str]
    paragraph_indices: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.paragraph_indices:
            object.__setattr__(self, "paragraph_indices", [0] * len(self.sentences))
        if len(self.paragraph_indices) != len(self.sentences):
            raise ValueError("one paragraph index per sentence is needed")

    @classmethod
    def from_sentences(cls, sentences: Sequence[str]) -> Document:
        """Wrap bare sentences as a one-paragraph document."""
        return cls(list(sentences), [0] * len(sentences))

    @property
    def paragraph_starts(self) -> list[int]:
        """Indices of the sentences that open a paragraph."""
        return [
            index for index, paragraph in enumerate(self.paragraph_indices)
            if index == 0 or paragraph != self.paragraph_indices[index - 1]
        ]

    def __len__(self) -> int:
        return len(self.sentences)


def read_document(text: str, *, kind: str = "text", lang: str) -> Document:
    """Read a document and split it into sentences.

    Args:
        text: the whole document.
        kind: "text" (paragraphs separated by blank lines), "html" (visible text),
            "pre-split" (one sentence a line: sentence k is line k, an empty line an empty
            sentence that also ends a paragraph), or "auto" (html when the text looks like
            HTML, else text).
        lang: ISO 639-1 code of the document's language; languages without specific
            rules are split with generic ones.

    Raises:
        ValueError: for an unknown kind.
    """
    if kind == "auto":
        kind = "html" if looks_like_html(text) else "text"
    if kind == "pre-split":
        return _read_pre_split(text)
    if kind == "text":
        blocks = [text[start:end] for start, end in paragraph_spans(text)]
    elif kind == "html":
        blocks = html_paragraphs(text)
    else:
        raise ValueError(f"unknown document kind {kind!r}; expected one of {DOCUMENT_KINDS}")
    return _from_blocks(blocks, lang)


def _from_blocks(blocks: Sequence[str], lang: str) -> Document:
    sentences: list[str] = []
    paragraph_indices: list[int] = []
    for block in blocks:
        spans = paragraph_sentence_spans(block, 0, len(block), lang)
        if not spans:
            continue
        paragraph = paragraph_indices[-1] + 1 if paragraph_indices else 0
        for start, end in spans:
            sentences.append(" ".join(block[start:end].split()))
            paragraph_indices.append(paragraph)
    return Document(sentences, paragraph_indices)


def _read_pre_split(text: str) -> Document:
    """Every line is a sentence, so that sentence indices are line numbers (as in vecalign's
    files); an empty line is an empty sentence that also ends a paragraph."""
    sentences: list[str] = []
    paragraph_indices: list[int] = []
    paragraph = 0
    for line in text.splitlines():
        stripped = line.strip()
        sentences.append(stripped)
        paragraph_indices.append(paragraph)
        if not stripped:
            paragraph += 1
    return Document(sentences, paragraph_indices)
