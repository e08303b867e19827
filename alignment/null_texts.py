"""Bundled short parallel texts that small batches are aligned together with, so that their
links' confidence is measured against chance links (the permutation-style null of
`alignment.confidence`) and their words weighed against more text than a few sentences."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

from alignment.dictionary import primary_language
from alignment.documents import Document, read_document

#: Bundled texts by (source language, target language): files under alignment/data, one
#: sentence a line, line k of one file the translation of line k of the other, documents
#: separated by a blank line.
BUNDLED_NULL_TEXTS = {("fr", "en"): ("background-fr.txt", "background-en.txt")}
#: Batches with fewer source sentences than this get the bundled texts: below it, the
#: batch's own unrelated pairs give too few chance links to compare with.
SMALL_BATCH_SENTENCES = 100


def bundled_null_texts(source_lang: str, target_lang: str) -> list[tuple[Document, Document]]:
    """The bundled document pairs for this language pair, in this direction; [] if none."""
    source_lang, target_lang = primary_language(source_lang), primary_language(target_lang)
    if (source_lang, target_lang) in BUNDLED_NULL_TEXTS:
        return list(_load(source_lang, target_lang))
    if (target_lang, source_lang) in BUNDLED_NULL_TEXTS:
        return [(target, source) for source, target in _load(target_lang, source_lang)]
    return []


@lru_cache(maxsize=4)
def _load(source_lang: str, target_lang: str) -> tuple[tuple[Document, Document], ...]:
    source_name, target_name = BUNDLED_NULL_TEXTS[source_lang, target_lang]
    folder = resources.files("alignment") / "data"
    sources = _documents((folder / source_name).read_text(encoding="utf-8"), source_lang)
    targets = _documents((folder / target_name).read_text(encoding="utf-8"), target_lang)
    if [len(d) for d in sources] != [len(d) for d in targets]:
        raise ValueError(f"{source_name} and {target_name} do not have the same documents")
    return tuple(zip(sources, targets))


def _documents(text: str, lang: str) -> list[Document]:
    return [read_document(block, kind="pre-split", lang=lang)
            for block in text.strip().split("\n\n") if block.strip()]
