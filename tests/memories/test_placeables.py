"""Placeables: every conversion both ways, and values that compare across languages."""
from __future__ import annotations

from decimal import Decimal

import pytest

from memories.placeables import (
    FRENCH_SPACE as NB,
    Amount,
    Date,
    Number,
    Percent,
    Time,
    extract_placeables,
    render,
)

# (French as read, English as read, value, French as written, English as written)
CONVERSIONS = [
    ("89,2 millions de dollars", "$89.2 million", Amount(Decimal("89.2"), 6, "dollar"), "89,2 millions de dollars", "$89.2 million"),
    ("1 million de dollars", "$1 million", Amount(Decimal("1"), 6, "dollar"), "1 million de dollars", "$1 million"),
    ("1,5 milliard de dollars", "$1.5 billion", Amount(Decimal("1.5"), 9, "dollar"), "1,5 milliard de dollars", "$1.5 billion"),
    ("3 milliards de dollars", "$3 billion", Amount(Decimal("3"), 9, "dollar"), "3 milliards de dollars", "$3 billion"),
    ("2 millions d’euros", "€2 million", Amount(Decimal("2"), 6, "euro"), "2 millions d’euros", "€2 million"),
    ("89,2 millions", "89.2 million", Amount(Decimal("89.2"), 6, None), "89,2 millions", "89.2 million"),
    ("1 500 $", "$1,500", Amount(Decimal("1500"), 0, "dollar", True), f"1{NB}500{NB}$", "$1,500"),
    ("1 500", "1,500", Number(Decimal("1500"), True), f"1{NB}500", "1,500"),
    ("1\u00a0500", "1,500", Number(Decimal("1500"), True), f"1{NB}500", "1,500"),
    ("1\u202f500\u202f000", "1,500,000", Number(Decimal("1500000"), True), f"1{NB}500{NB}000", "1,500,000"),
    ("3,75", "3.75", Number(Decimal("3.75")), "3,75", "3.75"),
    ("2026", "2026", Number(Decimal("2026")), "2026", "2026"),
    ("12,5 %", "12.5%", Percent(Decimal("12.5")), f"12,5{NB}%", "12.5%"),
    ("27 novembre 2026", "November 27, 2026", Date(27, 11, 2026), "27 novembre 2026", "November 27, 2026"),
    ("1er janvier", "January 1", Date(1, 1), "1er janvier", "January 1"),
    ("1er août 2027", "August 1, 2027", Date(1, 8, 2027), "1er août 2027", "August 1, 2027"),
    ("14 h 30", "2:30 p.m.", Time(14, 30), f"14{NB}h{NB}30", "2:30 p.m."),
    ("9 h", "9 a.m.", Time(9), f"9{NB}h", "9 a.m."),
    ("12 h 15", "12:15 p.m.", Time(12, 15), f"12{NB}h{NB}15", "12:15 p.m."),
    ("0 h 05", "12:05 a.m.", Time(0, 5), f"0{NB}h{NB}05", "12:05 a.m."),
]


@pytest.mark.parametrize("french, english, value, french_written, english_written", CONVERSIONS)
def test_french_reads_writes_and_converts(french, english, value, french_written, english_written):
    [found] = extract_placeables(f"Il y a {french} ici.", "fr")
    assert (found.text, found.value) == (french, value)
    assert render(found.value, "en") == english_written
    assert render(found.value, "fr") == french_written


@pytest.mark.parametrize("french, english, value, french_written, english_written", CONVERSIONS)
def test_english_reads_writes_and_converts(french, english, value, french_written, english_written):
    [found] = extract_placeables(f"There is {english} here.", "en")
    assert (found.text, found.value) == (english, value)
    assert render(found.value, "fr") == french_written
    assert render(found.value, "en") == english_written


@pytest.mark.parametrize(
    "french, english",
    [
        ("89,2 millions de dollars", "$89,200,000"),
        ("89,2 M$", "$89.2 million"),
        ("89 200 000 $", "$89.2 million"),
        ("12,5 pour cent", "12.5 percent"),
        ("14h30", "14:30"),
        ("27 novembre 2026", "27 November 2026"),
        ("le 5 mai", "on May 5th"),
    ],
)
def test_values_compare_across_languages_and_spellings(french, english):
    assert [p.value for p in extract_placeables(french, "fr")] == [p.value for p in extract_placeables(english, "en")]


def test_the_same_digits_read_differently_by_language():
    assert extract_placeables("1,500", "fr")[0].value == Number(Decimal("1.5"))
    assert extract_placeables("1,500", "en")[0].value == Number(Decimal("1500"))


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Le G7 et l’A380 pendant la COVID-19", "fr"),
        ("le 3e arrondissement", "fr"),
        ("The G7 and the A380", "en"),
        ("you may go", "en"),
    ],
)
def test_words_with_digits_are_not_placeables(text, lang):
    assert extract_placeables(text, lang) == []


def test_spans_and_order():
    text = "Le 27 novembre 2026 à 14 h 30, 12,5 % des 1 500 employés ont reçu 89,2 millions de dollars."
    found = extract_placeables(text, "fr")
    assert [p.kind for p in found] == ["date", "time", "percent", "number", "amount"]
    assert all(text[p.start : p.end] == p.text for p in found)


def test_value_terms_are_language_neutral():
    [french] = extract_placeables("89,2 millions de dollars", "fr")
    [english] = extract_placeables("$89.2 million", "en")
    assert french.term == english.term == "amount:89200000:dollar"
