"""Shared subword units from a sentencepiece BPE model trained on both languages at once
(Kudo & Richardson 2018): names, numbers and cognates end up as the same pieces on both sides."""
from __future__ import annotations

import io
import logging
from collections.abc import Sequence

import sentencepiece

logger = logging.getLogger(__name__)

#: Upper bound of the shared vocabulary; small batches get a smaller one.
MAX_VOCABULARY = 8000
_CHARACTERS_PER_PIECE = 60
_MIN_VOCABULARY = 200
_TRAINING_SENTENCES = 10_000  # a sample: BPE merges settle long before
#: Pieces shorter than this (word-boundary mark aside) are dropped: "s", "▁de" or "er" are
#: spelling, not shared vocabulary, and only add noise to the similarity.
MIN_PIECE_LETTERS = 4


class SubwordModel:
    """A sentencepiece model trained in memory; nothing is downloaded or written to disk."""

    def __init__(self, processor: sentencepiece.SentencePieceProcessor) -> None:
        self._processor = processor
        self._kept = [
            len(processor.id_to_piece(piece).lstrip("\u2581")) >= MIN_PIECE_LETTERS
            and not processor.is_unknown(piece) and not processor.is_control(piece)
            for piece in range(processor.get_piece_size())
        ]

    @classmethod
    def train(cls, sentences: Sequence[str], *, max_vocabulary: int = MAX_VOCABULARY) -> SubwordModel | None:
        """Train BPE on the sentences of both languages; None when there is too little text."""
        text = [sentence for sentence in sentences if sentence.strip()]
        characters = sum(len(sentence) for sentence in text)
        vocabulary = min(max_vocabulary, characters // _CHARACTERS_PER_PIECE)
        if vocabulary < _MIN_VOCABULARY:
            return None
        model = io.BytesIO()
        # An evenly spaced sample, chosen here: sentencepiece's own sampling is not repeatable
        # from one process to the next, and alignments should be.
        step = max(1, len(text) // _TRAINING_SENTENCES)
        text = text[::step]
        try:
            sentencepiece.SentencePieceTrainer.train(
                sentence_iterator=iter(text), model_writer=model, vocab_size=vocabulary,
                model_type="bpe", character_coverage=1.0, hard_vocab_limit=False,
                input_sentence_size=0, shuffle_input_sentence=False,
                num_threads=1, minloglevel=2, split_digits=False, max_sentence_length=20000,
                bos_id=-1, eos_id=-1, unk_id=0, pad_id=-1,
            )
        except RuntimeError as error:  # sentencepiece refuses degenerate inputs
            logger.info("no subword model: %s", error)
            return None
        return cls(sentencepiece.SentencePieceProcessor(model_proto=model.getvalue()))

    @property
    def vocabulary_size(self) -> int:
        return self._processor.get_piece_size()

    def encode(self, sentences: Sequence[str]) -> list[list[int]]:
        """Ids of the long pieces of every sentence (see MIN_PIECE_LETTERS)."""
        split = [sentence.split() for sentence in sentences]
        distinct = list(dict.fromkeys(word for words in split for word in words))
        pieces = dict(zip(distinct, self.encode_words(distinct)))
        return [[piece for word in words for piece in pieces[word]] for words in split]

    def encode_words(self, words: Sequence[str]) -> list[list[int]]:
        """Ids of the long pieces of each word, encoded on its own (as after a space)."""
        kept = self._kept
        return [[piece for piece in encoded if kept[piece]] for encoded in self._processor.encode(list(words))]
