"""Sentence splitting: the cases the issue names, generic rules, and a measured boundary score."""
from __future__ import annotations

import pytest

from alignment import sentence_spans, split_sentences
from alignment.evaluation import boundary_scores

FRENCH = [
    ("title M.", "Hier, M. Gallant a rencontré Michael Evans. Ils ont parlé.",
     ["Hier, M. Gallant a rencontré Michael Evans.", "Ils ont parlé."]),
    ("title Mme", "Mme Tremblay est arrivée. Elle a parlé longtemps.",
     ["Mme Tremblay est arrivée.", "Elle a parlé longtemps."]),
    ("title Dr", "Le Dr Leblanc et le Dr. Roy sont là. Ils parlent.",
     ["Le Dr Leblanc et le Dr. Roy sont là.", "Ils parlent."]),
    ("saint St.", "Il habite à St. John depuis 2010. Il aime la ville.",
     ["Il habite à St. John depuis 2010.", "Il aime la ville."]),
    ("p. ex.", "Des fruits, p. ex. des pommes, sont offerts. Ils sont bons.",
     ["Des fruits, p. ex. des pommes, sont offerts.", "Ils sont bons."]),
    ("province N.-B. mid-sentence", "Fredericton (N.-B.) est une belle ville. Elle est au bord du fleuve.",
     ["Fredericton (N.-B.) est une belle ville.", "Elle est au bord du fleuve."]),
    ("province N.-B. then sentence", "Il vit au N.-B. Le climat y est froid.",
     ["Il vit au N.-B.", "Le climat y est froid."]),
    ("etc. ends a sentence", "Ils vendent des pommes, des poires, etc. Ensuite, ils ferment.",
     ["Ils vendent des pommes, des poires, etc.", "Ensuite, ils ferment."]),
    ("decimal comma", "Les exportations étaient évaluées à 89,2 millions de dollars. Elles ont augmenté.",
     ["Les exportations étaient évaluées à 89,2 millions de dollars.", "Elles ont augmenté."]),
    ("thousands space", "Il y a 1 500 emplois. Et 2 000 de plus en 2018.",
     ["Il y a 1 500 emplois.", "Et 2 000 de plus en 2018."]),
    ("guillemets across sentences",
     "« Alibaba est un outil important, a déclaré M. Gallant. Cette réunion était idéale. » La Chine suit.",
     ["« Alibaba est un outil important, a déclaré M. Gallant.", "Cette réunion était idéale. »",
      "La Chine suit."]),
    ("guillemets then lower case", "« Bienvenue ! » dit-elle en souriant. Puis elle part.",
     ["« Bienvenue ! » dit-elle en souriant.", "Puis elle part."]),
    ("ellipsis then lower case", "Il hésita… puis il partit. Personne ne le revit.",
     ["Il hésita… puis il partit.", "Personne ne le revit."]),
    ("ellipsis then capital", "Il attendit... Rien ne vint.", ["Il attendit...", "Rien ne vint."]),
    ("spaced question mark", "Pourquoi ? Parce que c'est ainsi !", ["Pourquoi ?", "Parce que c'est ainsi !"]),
    ("dateline", "FREDERICTON (GNB) – Alors qu’il était à Toronto, lundi, le premier ministre a rencontré "
     "des dirigeants. Ils ont parlé de commerce.",
     ["FREDERICTON (GNB) – Alors qu’il était à Toronto, lundi, le premier ministre a rencontré des "
      "dirigeants.", "Ils ont parlé de commerce."]),
    ("dateline on its own line", "FRÉDERICTON (GNB) –\nLe gouvernement a annoncé un plan.",
     ["FRÉDERICTON (GNB) – Le gouvernement a annoncé un plan."]),
    ("heading line", "Faits saillants\nLe gouvernement a annoncé aujourd'hui un nouveau plan de croissance.",
     ["Faits saillants", "Le gouvernement a annoncé aujourd'hui un nouveau plan de croissance."]),
    ("list items", "Le plan comprend :\n- des routes\n- des écoles\n• des hôpitaux",
     ["Le plan comprend :", "- des routes", "- des écoles", "• des hôpitaux"]),
    ("numbered list items", "Étapes\n1. Lire le texte\n2. Le traduire",
     ["Étapes", "1. Lire le texte", "2. Le traduire"]),
    ("page before number", "Voir p. 12 du rapport. Il est clair.", ["Voir p. 12 du rapport.", "Il est clair."]),
    ("wrapped lines", "Le premier ministre a rencontré hier\nles dirigeants de la société.",
     ["Le premier ministre a rencontré hier les dirigeants de la société."]),
]

ENGLISH = [
    ("title Mr.", "Mr. Gallant met Michael Evans. They talked.", ["Mr. Gallant met Michael Evans.", "They talked."]),
    ("title Dr.", "Dr. Smith arrived at 3 p.m. on Monday. She left early.",
     ["Dr. Smith arrived at 3 p.m. on Monday.", "She left early."]),
    ("saint St.", "He moved to St. Andrews in 2016. The town is small.",
     ["He moved to St. Andrews in 2016.", "The town is small."]),
    ("dotted acronym", "The U.S. government agreed. The deal was signed.",
     ["The U.S. government agreed.", "The deal was signed."]),
    ("e.g.", "Some fruit, e.g. apples, is offered. It is good.", ["Some fruit, e.g. apples, is offered.", "It is good."]),
    ("quotes", '"It is a great tool," said Premier Gallant. "This meeting was ideal." China follows.',
     ['"It is a great tool," said Premier Gallant.', '"This meeting was ideal."', "China follows."]),
    ("decimal point", "Exports were valued at $89.2 million. They grew.",
     ["Exports were valued at $89.2 million.", "They grew."]),
    ("thousands comma", "There are 1,500 jobs. More will come.", ["There are 1,500 jobs.", "More will come."]),
    ("month before number", "The attacks of Sept. 11, 2001 changed much. Nothing was the same.",
     ["The attacks of Sept. 11, 2001 changed much.", "Nothing was the same."]),
    ("dateline", "FREDERICTON (GNB) – While in Toronto on Monday, Premier Brian Gallant met Michael Evans. "
     "They talked.", ["FREDERICTON (GNB) – While in Toronto on Monday, Premier Brian Gallant met Michael "
                      "Evans.", "They talked."]),
]

GERMAN = [
    ("ordinal before month", "Am 3. Oktober 1990 wurde gefeiert. Dann kam der Winter.",
     ["Am 3. Oktober 1990 wurde gefeiert.", "Dann kam der Winter."]),
    ("z. B.", "Es gibt Obst, z. B. Äpfel, und Gemüse. Alles ist frisch.",
     ["Es gibt Obst, z. B. Äpfel, und Gemüse.", "Alles ist frisch."]),
    ("measure then sentence", "Der Berg ist 8882,2 m. Auch diese Zahl ist alt.",
     ["Der Berg ist 8882,2 m.", "Auch diese Zahl ist alt."]),
    ("nouns are capitalised", "Der Hund schläft. Die Katze spielt im Garten.",
     ["Der Hund schläft.", "Die Katze spielt im Garten."]),
]


@pytest.mark.parametrize(("name", "text", "expected"), FRENCH, ids=[case[0] for case in FRENCH])
def test_french(name: str, text: str, expected: list[str]) -> None:
    assert split_sentences(text, "fr") == expected


@pytest.mark.parametrize(("name", "text", "expected"), ENGLISH, ids=[case[0] for case in ENGLISH])
def test_english(name: str, text: str, expected: list[str]) -> None:
    assert split_sentences(text, "en") == expected


@pytest.mark.parametrize(("name", "text", "expected"), GERMAN, ids=[case[0] for case in GERMAN])
def test_german_generic_rules(name: str, text: str, expected: list[str]) -> None:
    assert split_sentences(text, "de") == expected


@pytest.mark.parametrize("lang", ["es", "it", "xx"])
def test_unknown_languages_use_generic_rules(lang: str) -> None:
    text = "Dr. Pérez llegó ayer. Hoy se fue a Madrid… y volvió. ¿Por qué? No lo sé."
    assert split_sentences(text, lang) == [
        "Dr. Pérez llegó ayer.", "Hoy se fue a Madrid… y volvió.", "¿Por qué?", "No lo sé.",
    ]


def test_paragraphs_are_split_at_blank_lines() -> None:
    text = "Premier paragraphe.\n\n  \nSecond paragraphe. Avec deux phrases.\n"
    assert split_sentences(text, "fr") == ["Premier paragraphe.", "Second paragraphe.", "Avec deux phrases."]


def test_spans_point_into_the_text() -> None:
    text = "Il a vu M. Gallant.  Puis il est parti.\n\nFin."
    spans = sentence_spans(text, "fr")
    assert [text[start:end] for start, end in spans] == ["Il a vu M. Gallant.", "Puis il est parti.", "Fin."]


def test_empty_and_blank_texts() -> None:
    assert split_sentences("", "fr") == []
    assert split_sentences(" \n\n \t", "en") == []


@pytest.mark.parametrize(("lang", "extension"), [("fr", "fra"), ("en", "eng")])
def test_boundaries_on_joined_news_sentences(shared_data, lang: str, extension: str) -> None:
    """Paragraphs joined from known sentences (WMT news) split back at their boundaries.

    Some gold lines hold two sentences and some headlines have no final stop, so neither
    figure can reach 1.
    """
    sentences = []
    for path in sorted((shared_data / "parallel" / "wmt-news").glob(f"*.{extension}")):
        sentences.extend(path.read_text(encoding="utf-8").splitlines())
    scores = boundary_scores(sentences, lang)
    assert scores.precision >= 0.95
    assert scores.recall >= 0.92
