"""The two scores of a match: amaGama's character-level `quality` and a CAT-style word-level `similarity`.

`quality` is what amaGama and the Translate Toolkit report (translate.search.lshtein):
``100 * (1 - levenshtein(query, source) / max(len(query), len(source)))`` on the raw strings.

`similarity` is what a translator reads, in [0, 100] (101 for an in-context match):

- 100 only when the source is the query (Unicode NFC, surrounding whitespace ignored);
- 95-99 when the words are the same and only case, punctuation, whitespace or placeables
  differ: 100 minus one point per kind of difference (case, punctuation, whitespace) and one
  point per placeable whose text differs, at most `MAX_MINOR_PENALTY` points in all;
- otherwise the word-level score ``100 * (1 - D / max(n_query, n_source))``, where D is the
  Levenshtein distance between the two sequences of word keys (words case-folded, placeables
  as their kind, punctuation left out), minus the same minor penalties, and never above
  `MAX_FUZZY_SIMILARITY` (94): a word that differs always leaves the 95-99 band.

Rounded to two decimals. The word-level score before penalties and cap is an upper bound of
`similarity`, which is what lets the index rank candidates before reading them.
"""
from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from memories.matching.tokens import PLACEABLE, PUNCTUATION, Token, prepare, tokenize

SIGNATURE = "similarity:words|case:1|punct:1|space:1|placeable:1|max-minor:5|fuzzy-cap:94|quality:lev-raw|v1"
MAX_MINOR_PENALTY = 5
MAX_FUZZY_SIMILARITY = 94.0
IN_CONTEXT = 101.0
IDENTICAL = 100.0

#: Bands as CAT tools show them; below 50 a match is "<50" (only with min_similarity < 50).
BANDS = ((101.0, "101"), (100.0, "100"), (95.0, "95-99"), (85.0, "85-94"), (75.0, "75-84"), (50.0, "50-74"))
BELOW_BANDS = "<50"


def quality(query: str, source: str) -> float:
    """Return amaGama's character-level score of `source` for `query`, in [0, 100].

    >>> quality("The cat sat.", "The cat sat.")
    100.0
    >>> round(quality("kitten", "sitting"), 2)
    57.14
    """
    return Levenshtein.normalized_similarity(query, source) * 100.0


def band(similarity: float) -> str:
    """Name the band of a similarity: "101", "100", "95-99", "85-94", "75-84", "50-74" or "<50".

    >>> band(96.0), band(84.99), band(12)
    ('95-99', '75-84', '<50')
    """
    for floor, name in BANDS:
        if similarity >= floor:
            return name
    return BELOW_BANDS


@dataclass(frozen=True, slots=True)
class Comparison:
    """How a source compares with a query, word by word: the scores and the aligned tokens."""

    similarity: float
    word_distance: int
    penalty: int
    query_words: tuple[Token, ...]
    source_words: tuple[Token, ...]
    opcodes: tuple[tuple[str, int, int, int, int], ...]


def words_of(tokens: list[Token]) -> tuple[Token, ...]:
    return tuple(token for token in tokens if token.kind != PUNCTUATION)


def compare(query: str, query_tokens: list[Token], source: str, source_tokens: list[Token]) -> Comparison:
    """Compare a prepared query and source, tokenised by `tokens.tokenize`."""
    query_words = words_of(query_tokens)
    source_words = words_of(source_tokens)
    query_keys = [token.key for token in query_words]
    source_keys = [token.key for token in source_words]
    opcodes = tuple(
        (op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
        for op in Levenshtein.opcodes(query_keys, source_keys)
    )
    distance = sum(
        max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in opcodes if tag != "equal"
    )
    if query == source:
        return Comparison(IDENTICAL, 0, 0, query_words, source_words, opcodes)
    penalty = _minor_penalty(query, query_tokens, query_words, source, source_tokens, source_words, opcodes)
    longest = max(len(query_keys), len(source_keys))
    if distance == 0:
        score = IDENTICAL - min(MAX_MINOR_PENALTY, max(1, penalty))
    else:
        word_score = 100.0 * (1.0 - distance / longest)
        score = max(0.0, min(MAX_FUZZY_SIMILARITY, word_score - min(MAX_MINOR_PENALTY, penalty)))
    return Comparison(round(score, 2), distance, penalty, query_words, source_words, opcodes)


def _minor_penalty(query, query_tokens, query_words, source, source_tokens, source_words, opcodes) -> int:
    """Count the differences that do not change a word: case, punctuation, whitespace, placeables."""
    case = apostrophe = placeables = 0
    for tag, i1, i2, j1, j2 in opcodes:
        if tag != "equal":
            continue
        for query_token, source_token in zip(query_words[i1:i2], source_words[j1:j2]):
            if query_token.text == source_token.text:
                continue
            if query_token.kind == PLACEABLE:
                placeables += 1
            elif query_token.text.casefold() == source_token.text.casefold():
                case = 1
            else:  # the same key, so the words differ only in their apostrophes
                apostrophe = 1
    query_marks = [token.text for token in query_tokens if token.kind == PUNCTUATION]
    source_marks = [token.text for token in source_tokens if token.kind == PUNCTUATION]
    punctuation = int(query_marks != source_marks or apostrophe)
    # Whitespace is compared where the token sequences line up; a mark added or removed
    # already costs its point as punctuation.
    whitespace = int(
        len(query_tokens) == len(source_tokens) and _spaces(query_tokens, query) != _spaces(source_tokens, source)
    )
    return case + punctuation + whitespace + placeables


def _spaces(tokens: list[Token], text: str) -> tuple[str, ...]:
    """The whitespace between consecutive tokens, so a missing or doubled space is seen."""
    return tuple(text[left.end : right.start] for left, right in zip(tokens, tokens[1:]))


def similarity(query: str, source: str, lang: str) -> float:
    """Return the CAT-style similarity of `source` for `query`, both in language `lang`.

    This is the reference the index's ranking must agree with.

    >>> similarity("Le chat dort.", "Le chat dort.", "fr")
    100.0
    >>> similarity("Le chat dort.", "le chat dort", "fr")
    98.0
    >>> similarity("Il a 12 chats.", "Il a 15 chats.", "fr")
    99.0
    """
    query, source = prepare(query), prepare(source)
    return compare(query, tokenize(query, lang), source, tokenize(source, lang)).similarity
