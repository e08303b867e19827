"""Placeables: numbers, amounts, percentages, dates and times, read in one language and written in another.

A placeable is a span a translator copies rather than translates, but writes the target
language's way: ``89,2 millions de dollars`` is ``$89.2 million``, ``1 500`` is ``1,500``,
``27 novembre 2026`` is ``November 27, 2026`` and ``14 h 30`` is ``2:30 p.m.``. Each placeable
carries a language-neutral `value`, so the same quantity written in French and in English
compares equal:

>>> [p.value for p in extract_placeables("Il coûte 89,2 millions de dollars.", "fr")] == \\
...     [p.value for p in extract_placeables("It costs $89.2 million.", "en")]
True
>>> render(extract_placeables("le 1er janvier 2027", "fr")[0].value, "en")
'January 1, 2027'

French rules apply to French (`fr`, `fr-CA`, ...); English rules to every other language.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Union

#: French typography separates thousands, `%`, currency symbols and the `h` of times with a
#: no-break space; readers also accept U+0020 and U+202F (narrow no-break space).
FRENCH_SPACE = "\u00a0"

_SP = "[ \u00a0\u202f]"
_FR_NUMBER = r"\d{1,3}(?:" + _SP + r"\d{3})+(?:,\d+)?(?!\d)|\d+(?:,\d+)?"
_EN_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?"
# Not inside a word or a longer number: `G7`, `A380`, `3.14.15` are words, not placeables.
_BEFORE = r"(?<![\w.,\-])"
_AFTER = r"(?![\w]|[.,]\d)"

MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
MONTHS_FR = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)
_MONTH_FR_LOOKUP = {name: index for index, name in enumerate(MONTHS_FR, 1)} | {
    "fevrier": 2, "aout": 8, "decembre": 12,
}
_MONTH_EN_LOOKUP = {name: index for index, name in enumerate(MONTHS_EN, 1)}

# Scale words: English billion = French milliard; French billion = English trillion.
_SCALES_EN = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12}
_SCALES_FR = {"mille": 3, "million": 6, "millions": 6, "milliard": 9, "milliards": 9, "billion": 12, "billions": 12}
_SCALE_WORD_EN = {3: "thousand", 6: "million", 9: "billion", 12: "trillion"}
_SCALE_WORD_FR = {
    3: ("mille", "mille"), 6: ("million", "millions"), 9: ("milliard", "milliards"), 12: ("billion", "billions")
}

_CURRENCY_SYMBOLS = {"$": "dollar", "US$": "dollar", "C$": "dollar", "CA$": "dollar", "€": "euro", "£": "pound"}
_CURRENCY_WORDS_EN = {"dollar": "dollar", "dollars": "dollar", "euro": "euro", "euros": "euro"}
_CURRENCY_WORDS_FR = {"dollar": "dollar", "dollars": "dollar", "euro": "euro", "euros": "euro"}
_SYMBOL_OF = {"dollar": "$", "euro": "€", "pound": "£"}
_FRENCH_CURRENCY_PHRASE = {"dollar": "de dollars", "euro": "d’euros", "pound": "de livres"}


@dataclass(frozen=True, slots=True)
class Number:
    """A plain number; `grouped` records whether it was written with thousands separators."""

    value: Decimal
    grouped: bool = field(default=False, compare=False)


@dataclass(frozen=True, slots=True)
class Percent:
    value: Decimal
    grouped: bool = field(default=False, compare=False)


@dataclass(frozen=True, slots=True, eq=False)
class Amount:
    """`value` times 10**`scale` of `currency` (None for a bare ``89,2 millions``).

    Two amounts are equal when their magnitudes and currencies are: ``89,2 millions de
    dollars`` = ``$89.2 million`` = ``$89,200,000``.
    """

    value: Decimal
    scale: int = 0
    currency: str | None = None
    grouped: bool = False

    @property
    def magnitude(self) -> Decimal:
        return self.value.scaleb(self.scale)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Amount):
            return NotImplemented
        return (self.magnitude, self.currency) == (other.magnitude, other.currency)

    def __hash__(self) -> int:
        return hash((Amount, self.magnitude, self.currency))


@dataclass(frozen=True, slots=True)
class Date:
    day: int
    month: int
    year: int | None = None


@dataclass(frozen=True, slots=True)
class Time:
    """A time of day on the 24-hour clock."""

    hour: int
    minute: int = 0


Value = Union[Number, Percent, Amount, Date, Time]

KINDS = ("date", "time", "amount", "percent", "number")


@dataclass(frozen=True, slots=True)
class Placeable:
    """One placeable found in a text: its kind, its span and its language-neutral value."""

    kind: str
    text: str
    start: int
    end: int
    value: Value

    @property
    def term(self) -> str:
        """A language-neutral search term for the value: ``amount:89200000:dollar``."""
        return f"{self.kind}:{canonical(self.value)}"


def is_french(lang: str) -> bool:
    return lang.replace("_", "-").split("-", 1)[0].lower() == "fr"


def extract_placeables(text: str, lang: str) -> list[Placeable]:
    """Find the placeables of `text` written the `lang` way, in text order, never overlapping.

    >>> [(p.kind, p.text) for p in extract_placeables("Le 27 novembre 2026 à 14 h 30 : 12,5 % de 1 500", "fr")]
    [('date', '27 novembre 2026'), ('time', '14 h 30'), ('percent', '12,5 %'), ('number', '1 500')]
    """
    if not _DIGIT.search(text):
        return []
    pattern, builders = _FRENCH if is_french(lang) else _ENGLISH
    found: list[Placeable] = []
    # One alternation in priority order: at each position the first rule that matches wins.
    for match in pattern.finditer(text):
        kind, build, names = builders[match.lastgroup]
        value = build({name: match.group(inner) for name, inner in names.items()})
        if value is not None:
            found.append(Placeable(kind, match.group(), match.start(), match.end(), value))
    return found


def render(value: Value, lang: str) -> str:
    """Write `value` the way `lang` writes it.

    >>> render(Amount(Decimal("89.2"), 6, "dollar"), "en")
    '$89.2 million'
    >>> render(Time(14, 30), "en")
    '2:30 p.m.'
    """
    french = is_french(lang)
    if isinstance(value, Number):
        return format_number(value.value, french=french, grouped=value.grouped)
    if isinstance(value, Percent):
        number = format_number(value.value, french=french, grouped=value.grouped)
        return f"{number}{FRENCH_SPACE}%" if french else f"{number}%"
    if isinstance(value, Amount):
        return _render_amount(value, french)
    if isinstance(value, Date):
        return _render_date(value, french)
    if isinstance(value, Time):
        return _render_time(value, french)
    raise TypeError(f"not a placeable value: {value!r}")


def canonical(value: Value) -> str:
    """Return a language-neutral spelling of `value`, equal for equal values."""
    if isinstance(value, (Number, Percent)):
        return _plain(value.value)
    if isinstance(value, Amount):
        return f"{_plain(value.magnitude)}:{value.currency or ''}"
    if isinstance(value, Date):
        return f"{value.year or ''}-{value.month:02d}-{value.day:02d}"
    if isinstance(value, Time):
        return f"{value.hour:02d}:{value.minute:02d}"
    raise TypeError(f"not a placeable value: {value!r}")


def format_number(number: Decimal, *, french: bool, grouped: bool = False) -> str:
    """Write a decimal number with the language's decimal mark, grouping thousands if asked.

    >>> format_number(Decimal("1500.5"), french=True, grouped=True)
    '1\\xa0500,5'
    """
    text = f"{number:f}"
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    whole, _, fraction = text.partition(".")
    if grouped and len(whole) > 3:
        separator = FRENCH_SPACE if french else ","
        head = len(whole) % 3 or 3
        whole = separator.join([whole[:head]] + [whole[i : i + 3] for i in range(head, len(whole), 3)])
    if fraction:
        whole += ("," if french else ".") + fraction
    return sign + whole


def _plain(number: Decimal) -> str:
    text = f"{number.normalize():f}"
    return text


# -- reading ---------------------------------------------------------------------------------

_DIGIT = re.compile(r"\d")


def _decimal(text: str, french: bool) -> tuple[Decimal, bool] | None:
    grouped = False
    if french:
        cleaned = re.sub(_SP, "", text)
        grouped = cleaned != text
        cleaned = cleaned.replace(",", ".")
    else:
        cleaned = text.replace(",", "")
        grouped = cleaned != text
    try:
        return Decimal(cleaned), grouped
    except InvalidOperation:  # pragma: no cover - the patterns only pass digits
        return None


def _number_builder(french: bool, cls):
    def build(groups: dict) -> Value | None:
        parsed = _decimal(groups["n"], french)
        return cls(parsed[0], parsed[1]) if parsed else None

    return build


def _amount_builder(french: bool):
    scales = _SCALES_FR if french else _SCALES_EN
    words = _CURRENCY_WORDS_FR if french else _CURRENCY_WORDS_EN

    def build(groups: dict) -> Value | None:
        parsed = _decimal(groups["n"], french)
        if parsed is None:
            return None
        scale = 0
        if groups.get("scale"):
            scale = scales[groups["scale"].lower()]
        elif groups.get("mscale"):
            scale = {"k": 3, "M": 6, "G": 9}[groups["mscale"]]
        currency = None
        if groups.get("symbol"):
            currency = _CURRENCY_SYMBOLS[groups["symbol"]]
        elif groups.get("word"):
            word = groups["word"].lower()
            word = re.sub(r"^(?:de\s+|d['’])", "", word)
            currency = words.get(word)
        if scale == 0 and currency is None:
            return None
        return Amount(parsed[0], scale, currency, parsed[1])

    return build


def _date_builder(french: bool):
    def build(groups: dict) -> Value | None:
        day_text = groups["day"]
        day = 1 if day_text.lower().startswith("1er") or day_text == "1ᵉʳ" else int(re.sub(r"\D", "", day_text))
        if french:
            month = _MONTH_FR_LOOKUP.get(groups["month"].lower())
        else:
            month = _MONTH_EN_LOOKUP.get(groups["month"])
        if not month or not 1 <= day <= 31:
            return None
        year = groups.get("year")
        return Date(day, month, int(year) if year else None)

    return build


def _time_builder(french: bool):
    def build(groups: dict) -> Value | None:
        hour = int(groups["hour"])
        minute = int(groups.get("minute") or 0)
        suffix = (groups.get("suffix") or "").lower().replace(".", "")
        if suffix:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if suffix == "pm" else 0)
        if hour > 23 or minute > 59:
            return None
        return Time(hour, minute)

    return build


def _compile(pattern: str, flags: int = 0) -> str:
    """Keep a rule's pattern as text, its flags inline, to join all rules in one alternation."""
    if flags & re.IGNORECASE:
        return f"(?i:{pattern})"
    return pattern


def _rules(french: bool) -> list[tuple[str, str, object]]:
    number = _FR_NUMBER if french else _EN_NUMBER
    n = f"(?P<n>{number})"
    if french:
        months = "|".join(sorted(_MONTH_FR_LOOKUP, key=len, reverse=True))
        date = (
            rf"(?<![\w])(?P<day>1er|1ᵉʳ|3[01]|[12]\d|0?[1-9]){_SP}+(?P<month>{months})"
            rf"(?:{_SP}+(?P<year>\d{{4}}))?(?![\w])"
        )
        dates = [_compile(date, re.IGNORECASE)]
        times = [
            _compile(rf"{_BEFORE}(?P<hour>2[0-3]|[01]?\d){_SP}?h(?:{_SP}?(?P<minute>[0-5]\d))?(?![\w])"),
            _compile(rf"{_BEFORE}(?P<hour>2[0-3]|[01]?\d):(?P<minute>[0-5]\d)(?![\w:])"),
        ]
        scale_words = "millions?|milliards?|billions?"
        amounts = [
            _compile(
                rf"{_BEFORE}{n}{_SP}*(?P<scale>{scale_words})(?:{_SP}+(?P<word>de{_SP}+dollars|d['’]euros))?(?![\w])",
                re.IGNORECASE,
            ),
            _compile(rf"{_BEFORE}{n}{_SP}*(?P<mscale>[kMG])(?P<symbol>\$|€)(?![\w])"),
            _compile(rf"{_BEFORE}{n}{_SP}*(?P<symbol>\$|€|£)"),
            _compile(rf"{_BEFORE}{n}{_SP}+(?P<word>dollars|euros)(?![\w])", re.IGNORECASE),
        ]
        percents = [_compile(rf"{_BEFORE}{n}{_SP}?(?:%|pour{_SP}+cent(?![\w]))")]
    else:
        months = "|".join(MONTHS_EN)
        dates = [
            _compile(
                rf"(?<![\w])(?P<month>{months}){_SP}+(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
                rf"(?:,?{_SP}+(?P<year>\d{{4}}))?(?![\w])"
            ),
            _compile(
                rf"(?<![\w])(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?{_SP}+(?P<month>{months})"
                rf"(?:,?{_SP}+(?P<year>\d{{4}}))?(?![\w])"
            ),
        ]
        times = [
            _compile(
                rf"{_BEFORE}(?P<hour>1[0-2]|0?[1-9])(?::(?P<minute>[0-5]\d))?{_SP}?"
                r"(?P<suffix>[ap]\.m\.|[ap]\.m(?![\w])|[ap]m(?![\w])|[AP]\.M\.|[AP]M(?![\w]))"
            ),
            _compile(rf"{_BEFORE}(?P<hour>2[0-3]|[01]?\d):(?P<minute>[0-5]\d)(?![\w:])"),
        ]
        amounts = [
            _compile(
                rf"(?<![\w$])(?P<symbol>US\$|CA\$|C\$|\$|€|£){_SP}?{n}"
                rf"(?:[ \-](?P<scale>thousand|million|billion|trillion))?(?![\w])"
            ),
            _compile(
                rf"{_BEFORE}{n}{_SP}+(?P<scale>million|billion|trillion)(?:{_SP}+(?P<word>dollars|euros))?(?![\w])"
            ),
            _compile(rf"{_BEFORE}{n}{_SP}+(?P<word>dollars|euros)(?![\w])"),
        ]
        percents = [_compile(rf"{_BEFORE}{n}{_SP}?(?:%|percent(?![\w])|per{_SP}+cent(?![\w]))")]
    numbers = [_compile(rf"{_BEFORE}{n}{_AFTER}")]
    rules = []
    rules += [("date", pattern, _date_builder(french)) for pattern in dates]
    rules += [("time", pattern, _time_builder(french)) for pattern in times]
    rules += [("amount", pattern, _amount_builder(french)) for pattern in amounts]
    rules += [("percent", pattern, _number_builder(french, Percent)) for pattern in percents]
    rules += [("number", pattern, _number_builder(french, Number)) for pattern in numbers]
    return rules


def _joined(rules: list[tuple[str, str, object]], first: str) -> tuple[re.Pattern, dict]:
    """Join the rules into one pattern whose outer group `rN` names the rule that matched.

    `first` matches where a placeable can start; checking it first keeps the scan fast.
    """
    parts, builders = [], {}
    for index, (kind, pattern, build) in enumerate(rules):
        names = re.findall(r"\(\?P<(\w+)>", pattern)
        renamed = re.sub(r"\(\?P<(\w+)>", lambda m: f"(?P<r{index}_{m.group(1)}>", pattern)
        parts.append(f"(?P<r{index}>{renamed})")
        builders[f"r{index}"] = (kind, build, {name: f"r{index}_{name}" for name in names})
    return re.compile(f"(?={first})(?:" + "|".join(parts) + ")"), builders


_FRENCH = _joined(_rules(True), r"\d")
_ENGLISH = _joined(_rules(False), r"[\d$€£]|US\$|CA?\$|[JFMASOND][a-z]+ ")


# -- writing ---------------------------------------------------------------------------------


def _render_amount(value: Amount, french: bool) -> str:
    number = format_number(value.value, french=french, grouped=value.grouped)
    if french:
        if value.scale:
            singular, plural = _SCALE_WORD_FR[value.scale]
            word = singular if value.scale == 3 or abs(value.value) < 2 else plural
            text = f"{number} {word}"
            if value.currency:
                text += " " + _FRENCH_CURRENCY_PHRASE[value.currency]
            return text
        symbol = _SYMBOL_OF.get(value.currency or "", "")
        return f"{number}{FRENCH_SPACE}{symbol}"
    text = number
    if value.scale:
        text += " " + _SCALE_WORD_EN[value.scale]
    if value.currency:
        text = _SYMBOL_OF[value.currency] + text
    return text


def _render_date(value: Date, french: bool) -> str:
    if french:
        day = "1er" if value.day == 1 else str(value.day)
        text = f"{day} {MONTHS_FR[value.month - 1]}"
        return f"{text} {value.year}" if value.year else text
    text = f"{MONTHS_EN[value.month - 1]} {value.day}"
    return f"{text}, {value.year}" if value.year else text


def _render_time(value: Time, french: bool) -> str:
    if french:
        text = f"{value.hour}{FRENCH_SPACE}h"
        return f"{text}{FRENCH_SPACE}{value.minute:02d}" if value.minute else text
    hour = value.hour % 12 or 12
    suffix = "a.m." if value.hour < 12 else "p.m."
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes} {suffix}"
