"""Reading documents: plain text, HTML (visible text only) and pre-split files."""
from __future__ import annotations

import pytest

from alignment import Document, read_document
from alignment.html import html_paragraphs, looks_like_html

PAGE = """<!DOCTYPE html>
<html lang="fr"><head><title>Nouvelles</title>
<script>var tracker = "M. Script. Ne pas lire.";</script><style>p { color: red; }</style></head>
<body>
<nav><ul><li><a href="/">Accueil</a></li><li><a href="/nouvelles">Nouvelles</a></li></ul></nav>
<header><p>Gouvernement du Nouveau-Brunswick</p></header>
<main>
  <article>
    <h1>Le premier ministre rencontre le président d&rsquo;Alibaba</h1>
    <p>FREDERICTON (GNB) &ndash; Alors qu&rsquo;il était à Toronto, lundi, le premier ministre,
       Brian Gallant, a rencontré <b>Michael Evans</b>. Ils ont parlé de 89,2&nbsp;millions de dollars.</p>
    <h2>Faits saillants</h2>
    <ul><li>Vingt-deux organisations y étaient.</li><li>La Chine est un partenaire.</li></ul>
    <p hidden>Texte caché.</p>
    <p style="display: none">Autre texte caché.</p>
    <p>Première ligne<br>Deuxième ligne.</p>
  </article>
</main>
<footer><p>© 2017 Gouvernement du Nouveau-Brunswick</p></footer>
<noscript>Activez JavaScript.</noscript>
</body></html>"""


def test_html_keeps_visible_text_and_drops_scripts_and_navigation() -> None:
    document = read_document(PAGE, kind="html", lang="fr")
    text = " ".join(document.sentences)
    for dropped in ("tracker", "color", "Accueil", "Gouvernement du Nouveau-Brunswick", "caché",
                    "JavaScript", "Nouvelles"):
        assert dropped not in text
    assert document.sentences[:3] == [
        "Le premier ministre rencontre le président d’Alibaba",
        "FREDERICTON (GNB) – Alors qu’il était à Toronto, lundi, le premier ministre, Brian "
        "Gallant, a rencontré Michael Evans.",
        "Ils ont parlé de 89,2 millions de dollars.",
    ]
    assert "Faits saillants" in document.sentences
    assert "Vingt-deux organisations y étaient." in document.sentences


def test_html_headings_and_items_are_paragraphs() -> None:
    document = read_document(PAGE, kind="html", lang="fr")
    starts = set(document.paragraph_starts)
    for sentence in ("Le premier ministre rencontre le président d’Alibaba", "Faits saillants",
                     "Vingt-deux organisations y étaient.", "La Chine est un partenaire."):
        assert document.sentences.index(sentence) in starts
    # The two sentences of the first paragraph share it.
    assert document.paragraph_indices[1] == document.paragraph_indices[2]


def test_html_line_breaks_are_kept_inside_a_paragraph() -> None:
    assert html_paragraphs("<p>Première ligne<br>Deuxième ligne.</p>") == ["Première ligne\nDeuxième ligne."]


def test_auto_guesses_html() -> None:
    assert looks_like_html(PAGE)
    assert looks_like_html("<p>Bonjour.</p>")
    assert not looks_like_html("Le signe < et le signe > ne font pas une balise.")
    auto = read_document(PAGE, kind="auto", lang="fr")
    assert auto == read_document(PAGE, kind="html", lang="fr")
    text = "Un paragraphe. Deux phrases.\n\nUn autre."
    assert read_document(text, kind="auto", lang="fr") == read_document(text, kind="text", lang="fr")


def test_plain_text_paragraphs() -> None:
    text = "Titre du communiqué\n\nPremière phrase. Deuxième phrase.\n\n\nTroisième phrase.\n"
    document = read_document(text, kind="text", lang="fr")
    assert document.sentences == [
        "Titre du communiqué", "Première phrase.", "Deuxième phrase.", "Troisième phrase.",
    ]
    assert document.paragraph_indices == [0, 1, 1, 2]
    assert document.paragraph_starts == [0, 1, 3]


def test_pre_split_keeps_each_line_so_indices_are_line_numbers() -> None:
    text = "Première phrase. Pas coupée.\r\nDeuxième ligne\n\nTroisième ligne\n"
    document = read_document(text, kind="pre-split", lang="fr")
    assert document.sentences == ["Première phrase. Pas coupée.", "Deuxième ligne", "", "Troisième ligne"]
    assert document.paragraph_indices == [0, 0, 0, 1]
    assert document.paragraph_starts == [0, 3]


def test_unknown_kind_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown document kind"):
        read_document("texte", kind="pdf", lang="fr")


def test_document_from_sentences() -> None:
    document = Document.from_sentences(["a", "b"])
    assert len(document) == 2
    assert document.paragraph_starts == [0]
    with pytest.raises(ValueError):
        Document(["a", "b"], [0])


def test_empty_documents() -> None:
    for kind in ("text", "html", "pre-split", "auto"):
        assert read_document("", kind=kind, lang="fr").sentences == []
