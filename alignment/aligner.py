"""Two-pass sentence alignment: a first pass on language-independent evidence (and a seed
dictionary where one ships for the language pair), then IBM Model 1 trained on its confident
links, then a second pass in a narrow band around the first path (the scheme of Moore 2002 and
hunalign, Varga et al. 2005), and a confidence for every link."""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from alignment.beads import Bead
from alignment.calibration import Calibration
from alignment.confidence import beads_with_confidence, known_translation_calibration, null_similarities
from alignment.dictionary import SeedDictionary
from alignment.documents import Document
from alignment.evidence import ChannelWeights, SharedFeatures, TranslationTables, lexical_features
from alignment.ibm1 import CountArrays
from alignment.lexicon import Lexicon, TranslationTable
from alignment.null_texts import SMALL_BATCH_SENTENCES, bundled_null_texts
from alignment.passes import (
    bands_around, first_bands, fitted_length_model, initial_length_model, run_pass,
)
from alignment.scoring import BatchEvidence, CostModel, Span
from alignment.sides import Side
from alignment.subwords import SubwordModel

logger = logging.getLogger(__name__)

DocumentLike = Document | Sequence[str]


@dataclass(frozen=True)
class AlignerSettings:
    """Every setting that changes an alignment (record it beside stored scores)."""

    channels: ChannelWeights = field(default_factory=ChannelWeights)
    costs: CostModel = field(default_factory=CostModel)
    #: Half width, in target sentences, of the first pass's diagonal band (it widens as needed).
    first_half_width: int = 16
    #: Half width of the later passes' band around the previous path.
    second_half_width: int = 10
    #: A path this close to its band's edge makes the band widen.
    edge_margin: int = 3
    #: Share of the first pass's 1-1 links, best first, that train the translation table.
    lexicon_fraction: float = 0.7
    passes: int = 2


DEFAULT_SETTINGS = AlignerSettings()


class CorpusAlignment:
    """Beads for every document pair, and the translation table learned on the way.

    The table is built on first access: turning id arrays into a word-keyed table costs
    more than some alignments, and most callers only want the beads.
    """

    def __init__(self, beads: list[list[Bead]], lexicon: Callable[[], Lexicon | None]) -> None:
        self.beads = beads
        self._lexicon = lexicon

    @cached_property
    def lexicon(self) -> Lexicon | None:
        """The batch's table, merged into the aligner's own when it had one."""
        return self._lexicon()


class Aligner:
    """Aligns batches of document pairs, sharing the evidence learned over the whole batch.

    A `lexicon` (say, learned from the memory's own units) joins the evidence from the
    first pass on, and the table learned from the batch is merged into it. The seed
    dictionary of the language pair (`seed_dictionary`) is evidence of its own from the first
    pass on.
    """

    def __init__(
        self,
        *,
        source_lang: str,
        target_lang: str,
        lexicon: Lexicon | None = None,
        settings: AlignerSettings = DEFAULT_SETTINGS,
    ) -> None:
        self.source_lang = source_lang
        self.target_lang = target_lang
        self.lexicon = lexicon.oriented(source_lang, target_lang) if lexicon else None
        self.settings = settings

    def seed_dictionary(self) -> SeedDictionary | None:
        """The dictionary whose word pairs count as shared evidence: the bundled one for the
        language pair (French-English), or None. Override to use another, or none."""
        return SeedDictionary.bundled(self.source_lang, self.target_lang)

    def null_texts(self) -> list[tuple[Document, Document]]:
        """Parallel texts unrelated to any input, aligned together with batches of fewer than
        SMALL_BATCH_SENTENCES source sentences to calibrate their links' confidence: the
        bundled ones for the language pair (French-English), or none. Override to use others."""
        return bundled_null_texts(self.source_lang, self.target_lang)

    def align_corpus(self, pairs: Sequence[tuple[DocumentLike, DocumentLike]]) -> CorpusAlignment:
        """Align every document pair: beads cover each sentence once, in order."""
        documents = [(_as_document(s), _as_document(t)) for s, t in pairs]
        # A pair with an empty side can only be deletions; the rest go through the passes.
        aligned = [d for d, (s, t) in enumerate(documents) if len(s) and len(t)]
        result: list[list[Bead]] = [
            [Bead((i,), (), 0.0) for i in range(len(s))] + [Bead((), (j,), 0.0) for j in range(len(t))]
            for s, t in documents
        ]
        if not aligned:
            return CorpusAlignment(result, lambda: self.lexicon)
        batch = [documents[d] for d in aligned]
        small = sum(len(s) for s, _ in batch) < SMALL_BATCH_SENTENCES
        inner = self._align_nonempty(batch, self.null_texts() if small else [])
        for d, beads in zip(aligned, inner.beads):
            result[d] = beads
        return CorpusAlignment(result, lambda: inner.lexicon)

    def _align_nonempty(self, own: list[tuple[Document, Document]],
                        null_texts: list[tuple[Document, Document]]) -> CorpusAlignment:
        """Align the batch's own document pairs, plus any null texts (beads for `own` only).

        Null texts give a small batch's word weights more sentences to go on, and calibrate
        its links' confidence (`known_translation_calibration`).
        """
        settings = self.settings
        documents = own + null_texts
        spans = _layout(documents)
        source = Side.analyse([s for d, _ in documents for s in d.sentences])
        target = Side.analyse([s for _, d in documents for s in d.sentences])
        logger.debug("aligning %d documents, %d + %d sentences", len(documents),
                     len(source.sentences), len(target.sentences))
        subwords = SubwordModel.train(source.sentences + target.sentences)
        shared = SharedFeatures.build(source, target, subwords, settings.channels, self.seed_dictionary())
        shared_evidence = BatchEvidence(
            shared.source, shared.target, source.lengths, target.lengths,
            _paragraph_flags([s for s, _ in documents]), _paragraph_flags([t for _, t in documents]),
        )
        evidence = shared_evidence
        if self.lexicon is not None:
            evidence = self._with_lexicon(
                shared_evidence, source, target, TranslationTables.from_lexicon(self.lexicon, source, target))
        # What no table learned from this batch: the honest measure of a link's confidence
        # (a table trained on the first pass's links makes those very links look alike).
        unlearned = evidence
        length_model = initial_length_model(source, target, spans)
        model = settings.costs
        current = run_pass(evidence, spans, first_bands(spans, settings.first_half_width),
                           length_model, model, settings.edge_margin)
        learned: list[tuple[CountArrays, CountArrays, int]] = []
        for _ in range(settings.passes - 1):
            confident = current.confident_pairs(spans, settings.lexicon_fraction)
            length_model = fitted_length_model(
                source, target, spans, current.confident_pairs(spans, 1.0), length_model)
            tables, forward_counts, backward_counts = TranslationTables.learn(
                source, target, confident, prior=self.lexicon)
            learned[:] = [(forward_counts, backward_counts, len(confident))]
            evidence = self._with_lexicon(shared_evidence, source, target, tables)
            current = run_pass(evidence, spans, bands_around(current, spans, settings.second_half_width),
                               length_model, model, settings.edge_margin)
        if null_texts:
            # A small batch's own texts give few chance links to compare with: the null texts'
            # translations and the chance links between them say what a similarity means.
            null = np.zeros(0)
            calibration = known_translation_calibration(
                evidence, unlearned, spans[len(own):],
                replace(length_model, ratios=length_model.ratios[len(own):]),
                current.scores.model, settings.first_half_width)
        else:
            null = null_similarities(evidence, unlearned, spans, length_model, current.scores.model,
                                     settings.first_half_width)
            calibration = Calibration()
        beads = beads_with_confidence(current, spans, unlearned, null, calibration)[:len(own)]

        def lexicon() -> Lexicon | None:
            if not learned:
                return self.lexicon
            forward_counts, backward_counts, pair_count = learned[0]
            table = Lexicon(
                self.source_lang, self.target_lang,
                TranslationTable.from_arrays(forward_counts, source.vocabulary, target.vocabulary),
                TranslationTable.from_arrays(backward_counts, target.vocabulary, source.vocabulary),
                pair_count,
            )
            return self.lexicon.merge(table) if self.lexicon is not None else table

        return CorpusAlignment(beads, lexicon)

    def _with_lexicon(self, shared: BatchEvidence, source: Side, target: Side,
                      tables: TranslationTables) -> BatchEvidence:
        source_lexical, target_lexical = lexical_features(
            source, target, tables, self.settings.channels.lexical)
        return shared.with_columns(source_lexical, target_lexical)


def _as_document(value: DocumentLike) -> Document:
    return value if isinstance(value, Document) else Document.from_sentences(list(value))


def _layout(documents: Sequence[tuple[Document, Document]]) -> list[Span]:
    """Where each document pair sits in the batch's concatenated sentences."""
    spans = []
    source_start = target_start = 0
    for source, target in documents:
        uses_paragraphs = len(source.paragraph_starts) > 1 and len(target.paragraph_starts) > 1
        spans.append(Span(source_start, len(source), target_start, len(target), uses_paragraphs))
        source_start += len(source)
        target_start += len(target)
    return spans


def _paragraph_flags(documents: Sequence[Document]) -> np.ndarray:
    flags = []
    for document in documents:
        own = np.zeros(len(document), dtype=bool)
        own[document.paragraph_starts] = True
        flags.append(own)
    return np.concatenate(flags) if flags else np.zeros(0, dtype=bool)


def align_corpus(
    pairs: Sequence[tuple[DocumentLike, DocumentLike]],
    *,
    source_lang: str,
    target_lang: str,
    lexicon: Lexicon | None = None,
) -> list[list[Bead]]:
    """Align many document pairs at once, sharing subwords and the learned translation table.

    Returns one list of beads per pair, covering every sentence exactly once, in order. The
    two-pass scheme learns more from a bigger batch: prefer one call to many.
    """
    aligner = Aligner(source_lang=source_lang, target_lang=target_lang, lexicon=lexicon)
    return aligner.align_corpus(pairs).beads


def align(
    source: DocumentLike,
    target: DocumentLike,
    *,
    source_lang: str,
    target_lang: str,
    lexicon: Lexicon | None = None,
) -> list[Bead]:
    """Align one document pair; see `align_corpus` for batches (they learn more).

    >>> beads = align(["Le chat dort.", "Il pleut."], ["The cat sleeps.", "It rains."],
    ...               source_lang="fr", target_lang="en")
    >>> [bead.kind for bead in beads]
    ['1-1', '1-1']
    """
    return align_corpus([(source, target)], source_lang=source_lang, target_lang=target_lang,
                        lexicon=lexicon)[0]
