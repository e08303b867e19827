"""Rule-based sentence splitting for French, English and, with generic rules, other languages.

In the spirit of the Moses/Punkt splitters (Koehn et al. 2007; Kiss & Strunk 2006): a boundary
follows terminal punctuation unless an abbreviation, an initial or a lower-case continuation
says otherwise. Headings and list items are cut at line level first.
"""
from __future__ import annotations

import re

from alignment import abbreviations

_BLANK_LINE = re.compile(r"\n[ \t\u00a0\u202f]*\n\s*")
_SPACE = re.compile(r"\s+")
# Terminal punctuation, optional closing quotes or brackets (French puts a space before »),
# then the white space where the boundary may fall.
_CANDIDATE = re.compile(
    r"(?P<punct>[.!?\u2026\u203c\u2047-\u2049]+)"
    r"(?P<close>(?:[ \u00a0\u202f]?[\u00bb\u201d\u2019\"')\]])*)"
    r"(?P<space>\s+)"
)
_WORD_BEFORE = re.compile(r"(\S*)$")
_OPENERS = "\u00ab\u201c\u201e\u2018\"'([¿¡\u2014\u2013-*\u2022 \u00a0\u202f"
_LIST_ITEM = re.compile(
    r"^\s*(?:[-\u2013\u2014\u2022\u25aa\u25cf\u25e6\u00b7*>\u2023\u2043]\s+"
    r"|(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,4})[.)]\s+|\((?:\d{1,3}|[a-zA-Z]|[ivx]{1,4})\)\s+)"
)
_ENUMERATOR = re.compile(r"^\s*\(?(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,4})$")
_INITIALS = re.compile(r"^(?:[^\W\d_][.-]{1,2}){1,4}$")
_TERMINAL = tuple(".!?\u2026:;\u00bb\u201d\"')]")
_CONTINUING = tuple(",\u2013\u2014-/&(")
_HEADING_MAX_WORDS = 12


def split_sentences(text: str, lang: str) -> list[str]:
    """Split a paragraph or a whole text into sentences, white space normalised.

    >>> split_sentences("M. Gallant est arrivé. Il a parlé de 89,2 millions.", "fr")
    ['M. Gallant est arrivé.', 'Il a parlé de 89,2 millions.']
    """
    return [_SPACE.sub(" ", text[start:end]) for start, end in sentence_spans(text, lang)]


def sentence_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """Return the (start, end) character offsets of the sentences of `text`."""
    spans = []
    for start, end in paragraph_spans(text):
        spans.extend(paragraph_sentence_spans(text, start, end, lang))
    return spans


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Return the spans of the paragraphs of `text` (separated by blank lines), stripped."""
    spans = []
    position = 0
    for match in _BLANK_LINE.finditer(text):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(text)))
    return [stripped for span in spans if (stripped := _strip(text, *span)) is not None]


def paragraph_sentence_spans(text: str, start: int, end: int, lang: str) -> list[tuple[int, int]]:
    """Split the paragraph text[start:end] into sentence spans (headings, items, sentences)."""
    spans = []
    for segment_start, segment_end in _line_segments(text, start, end):
        spans.extend(_split_segment(text, segment_start, segment_end, lang))
    return spans


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _line_segments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a paragraph at list items and headings; wrapped lines stay together."""
    lines = []
    position = start
    for line in text[start:end].split("\n"):
        span = _strip(text, position, position + len(line))
        if span is not None:
            lines.append(span)
        position += len(line) + 1
    if not lines:
        return []
    longest = max(line_end - line_start for line_start, line_end in lines)
    segments = [list(lines[0])]
    for previous, current in zip(lines, lines[1:]):
        previous_text = text[previous[0]:previous[1]]
        current_text = text[current[0]:current[1]]
        if _LIST_ITEM.match(current_text) or _is_heading(previous_text, current_text, longest):
            segments.append(list(current))
        else:
            segments[-1][1] = current[1]
    return [(segment[0], segment[1]) for segment in segments]


def _is_heading(line: str, next_line: str, longest: int) -> bool:
    """A short unpunctuated line before a capitalised one, shorter than the wrapped lines."""
    if line.endswith(_TERMINAL) or line.endswith(_CONTINUING):
        return False
    if len(line.split()) > _HEADING_MAX_WORDS:
        return False
    first = next_line.lstrip(_OPENERS)[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    return line.isupper() or len(line) < 0.75 * longest or _LIST_ITEM.match(line) is not None


def _split_segment(text: str, start: int, end: int, lang: str) -> list[tuple[int, int]]:
    spans = []
    sentence_start = start
    segment = text[start:end]
    for match in _CANDIDATE.finditer(segment):
        boundary = start + match.end("close")
        following = text[start + match.end():end]
        if not following:
            break
        before = text[sentence_start:start + match.start("punct")]
        if _is_boundary(before, match.group("punct"), following, lang):
            spans.append((sentence_start, boundary))
            sentence_start = start + match.end()
    span = _strip(text, sentence_start, end)
    if span is not None:
        spans.append(span)
    return spans


def _is_boundary(before: str, punct: str, following: str, lang: str) -> bool:
    """Decide whether terminal punctuation `punct` after `before` ends the sentence."""
    next_word = _next_word(following)
    if not next_word:
        return False
    first = next_word[0]
    if first.islower():
        return False
    starts_like_sentence = first.isupper() or first.isdigit()
    if not starts_like_sentence:
        return False
    if punct != ".":
        return True
    if _ENUMERATOR.match(before):
        return False  # "1. Lire le texte": a list label, not a sentence
    word = _WORD_BEFORE.search(before).group(1).lstrip(_OPENERS)
    if not word:
        return True  # tokenised text: "fin ." is a plain full stop
    token = word + "."
    lowered = token.lower()
    if token in abbreviations.titles() or lowered in abbreviations.non_breaking(lang):
        return False
    if first.isdigit():
        return lowered not in abbreviations.before_number() and not _is_initial(word)
    bare_word = next_word.rstrip(".,;:!?")
    if word.isdigit() and abbreviations.is_month_before_ordinal(bare_word, lang):
        return False
    if _is_initial(word):
        # "M. Gallant", "N.-B. Le": an initial ends a sentence only before a clear opener.
        return _starts_sentence(bare_word, lang)
    return True  # "etc.", "Inc.", "8 m." and plain words end the sentence


def _is_initial(word: str) -> bool:
    """Initials and dotted acronyms: "J", "N.-B", "U.S", "J.-P" (the final dot is cut off)."""
    if len(word) == 1:
        return word.isupper()
    return _INITIALS.match(word + ".") is not None and any(c.isupper() for c in word)


def _starts_sentence(word: str, lang: str) -> bool:
    head = re.split(r"['\u2019]", word, maxsplit=1)[0]
    return head in abbreviations.sentence_starters(lang)


def _next_word(following: str) -> str:
    stripped = following.lstrip(_OPENERS)
    match = re.match(r"\S+", stripped)
    return match.group(0) if match else ""
