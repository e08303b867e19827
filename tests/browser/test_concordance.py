"""Concordance in the browser: hits marked in both languages, more pages on demand, errors."""
from __future__ import annotations

from tests.browser.pages import concordance, expect, open_view


def test_a_name_is_marked_in_both_languages(page, screenshot):
    view = open_view(page, "concordance")
    concordance(view, "Nashwaak")
    hit = view.locator("li.hit-pair")
    expect(hit).to_have_count(1)
    screenshot("concordance")
    expect(view.locator(".summary")).to_have_text("1 unit holds “Nashwaak”")
    expect(hit.locator("p[lang=fr] mark")).to_have_text("Nashwaak")
    expect(hit.locator("p[lang=en] mark")).to_have_text("Nashwaak")
    expect(hit.locator("p[lang=en]")).to_contain_text("the Nashwaak River bridge on Route 8")


def test_an_english_phrase_is_searched_on_the_english_side(page):
    view = open_view(page, "concordance")
    concordance(view, "the bridge", lang="en")
    first = view.locator("li.hit-pair").first
    expect(first.locator("p[lang=en] mark").first).to_have_text("the bridge")
    expect(first.locator("p[lang=fr]")).to_contain_text("pont")


def test_show_more_appends_the_next_page(page):
    view = open_view(page, "concordance")
    concordance(view, "le")
    hits = view.locator("li.hit-pair")
    expect(hits).to_have_count(20)
    view.get_by_role("button", name="Show more").click()
    expect(hits).not_to_have_count(20)
    assert 20 < hits.count() <= 40


def test_a_phrase_without_a_word_gets_a_readable_message(page):
    view = open_view(page, "concordance")
    concordance(view, "« ! »")
    problem = view.get_by_role("alert")
    expect(problem).to_contain_text("the phrase holds no word to search for")
    expect(problem).not_to_contain_text("{")


def test_an_empty_phrase_is_not_sent(page):
    view = open_view(page, "concordance")
    view.get_by_role("button", name="Search").click()
    expect(view.get_by_role("alert")).to_have_text("Nothing to search for — Type a word or phrase first.")
