"""Suggest in the browser: matches as the user types, bands, differences, repairs, copying, errors."""
from __future__ import annotations

from datetime import datetime

import pytest

from tests.browser.pages import QUERY, REPAIRED_TARGET, PlaywrightError, expect, open_view, suggest

DEBOUNCE_MS = 250  # app.js DEBOUNCE_MS
EXACT = "Le ministère estime que les travaux soutiendront quelque 1 500 emplois directs et indirects."


def test_typing_a_sentence_from_the_demo_lists_its_match(page, screenshot):
    view = open_view(page, "suggest")
    suggest(view, QUERY)
    match = view.locator("li.match").first
    expect(match).to_be_visible()
    screenshot("suggest")
    badge = match.locator(".badge")
    expect(badge).to_have_text("Similarity 99%, band 95-99")
    expect(badge).to_have_class("badge band-95")
    expect(match.locator(".diff-placeable ins")).to_have_text("yours: 5 mai 2026")
    expect(match.locator(".diff-placeable del")).to_have_text("memory has: 4 mai 2026")
    expect(match.locator("dd.target")).to_have_text(REPAIRED_TARGET.replace("May 5, 2026", "repaired: May 5, 2026"))
    expect(match.locator("dd.target mark.repaired")).to_contain_text("May 5, 2026")
    expect(match.locator(".repairs")).to_contain_text("“May 4, 2026” → May 5, 2026 (date)")


def test_an_exact_match_has_the_100_badge_and_no_difference(page):
    view = open_view(page, "suggest")
    suggest(view, EXACT)
    match = view.locator("li.match").first
    expect(match.locator(".badge")).to_have_class("badge band-100")
    expect(match.locator(".diff")).to_have_count(0)


def test_the_copy_button_puts_the_translation_on_the_clipboard(page):
    view = open_view(page, "suggest")
    suggest(view, QUERY)
    button = view.locator("button.copy").first
    expect(button).to_have_accessible_name("Copy translation of match 1")
    button.click()
    expect(button).to_contain_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == REPAIRED_TARGET


def test_the_copy_button_falls_back_where_the_clipboard_api_is_refused(page):
    view = open_view(page, "suggest")
    page.evaluate("() => { navigator.clipboard.writeText = () => Promise.reject(new DOMException('no', 'NotAllowedError')); }")
    suggest(view, QUERY)
    button = view.locator("button.copy").first
    button.click()
    expect(button).to_contain_text("Copied")
    expect(button).to_be_focused()
    assert page.evaluate("navigator.clipboard.readText()") == REPAIRED_TARGET


def test_a_changed_minimum_or_direction_looks_up_again(page):
    view = open_view(page, "suggest")
    suggest(view, QUERY)
    expect(view.locator("li.match")).to_have_count(1)
    view.get_by_label("Minimum similarity (%)").fill("100")
    expect(view.locator(".empty")).to_have_text(
        "No match at 100% or above. Lower the minimum similarity to see more.")
    view.get_by_label("Direction").select_option(label="English → French")
    suggest(view, "The department estimates that the work will support roughly 1,500 direct and indirect jobs.")
    expect(view.locator("li.match dd.target")).to_have_text(EXACT)


def test_typing_sends_one_lookup_per_pause(page):
    page.clock.install(time=datetime(2026, 5, 1, 9, 0))
    view = open_view(page, "suggest")
    page.clock.pause_at(datetime(2026, 5, 1, 9, 1))  # time moves only when the test says so
    lookups = []
    page.on("request", lambda request: lookups.append(request.url) if "/api/v1/suggest" in request.url else None)
    view.get_by_label("Text to translate").press_sequentially(QUERY)
    assert lookups == []
    page.clock.run_for(DEBOUNCE_MS + 10)
    expect(view.locator("li.match .badge")).to_contain_text("99%")
    assert len(lookups) == 1


def test_a_newer_query_cancels_the_lookup_still_on_its_way(page):
    page.clock.install(time=datetime(2026, 5, 1, 9, 0))
    view = open_view(page, "suggest")
    page.clock.pause_at(datetime(2026, 5, 1, 9, 1))  # no debounce timer fires: Enter alone looks up
    held = []
    page.route("**/api/v1/suggest?**", lambda route: held.append(route))
    field = view.get_by_label("Text to translate")
    field.fill("Les travaux sur le pont")
    field.press("Enter")
    with page.expect_event("requestfailed") as cancelled:
        field.fill(QUERY)
        field.press("Enter")
    assert "q=Les+travaux+sur+le+pont&" in cancelled.value.url
    page.unroute("**/api/v1/suggest?**")
    for route in held:
        try:
            route.continue_()
        except PlaywrightError:
            pass  # the cancelled one: nothing left to answer
    expect(view.locator("li.match .badge")).to_contain_text("99%")


def test_a_query_longer_than_the_limit_gets_a_readable_message(page, screenshot):
    view = open_view(page, "suggest")
    field = view.get_by_label("Text to translate")
    field.fill("x" * 2001)
    field.press("Enter")
    problem = view.get_by_role("alert")
    expect(problem).to_contain_text("Unprocessable Content")
    screenshot("suggest-error")
    expect(problem).to_contain_text("Text to translate: is longer than 2000 characters (2001)")
    expect(problem).not_to_contain_text("{")
    expect(field).to_have_attribute("aria-invalid", "true")
    field.fill(QUERY)
    expect(problem).to_be_hidden()
    expect(field).not_to_have_attribute("aria-invalid", "true")


def test_a_minimum_out_of_range_is_named_by_its_label(page):
    view = open_view(page, "suggest")
    view.get_by_label("Minimum similarity (%)").fill("150")
    suggest(view, QUERY)
    expect(view.get_by_role("alert")).to_contain_text("Minimum similarity (%): must be from 0 to 100")


def test_a_memory_deleted_since_the_page_loaded_gets_a_readable_message(page):
    view = open_view(page, "suggest")
    page.evaluate("document.querySelector('#suggest-memory').add(new Option('gone', 'gone'))")
    view.get_by_label("Memory").select_option("gone")
    suggest(view, QUERY)
    expect(view.get_by_role("alert")).to_have_text("Not Found — no memory named 'gone'")
    expect(view.locator("#suggest-results")).to_be_empty()


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"status": 502, "content_type": "text/html", "body": "<h1>Bad Gateway</h1>"},
         "The service answered 502 Bad Gateway — Its answer was not one this page understands"),
        (None, "The service could not be reached — Check the connection, then try again."),
    ],
    ids=["html-from-a-proxy", "no-answer"],
)
def test_an_answer_that_is_not_the_api_gets_a_readable_message(page, answer, message):
    view = open_view(page, "suggest")
    page.route("**/api/v1/suggest?**", lambda route: route.fulfill(**answer) if answer else route.abort())
    suggest(view, QUERY)
    expect(view.get_by_role("alert")).to_contain_text(message)
