"""Align in the browser: pairs with their confidence, unticking, saving with a write key."""
from __future__ import annotations

import json
import re
from urllib.request import urlopen

from tests.browser.conftest import SAVE_MEMORY
from tests.browser.pages import align, expect, open_view

FRENCH = (
    "Le festival culturel aura lieu à Caraquet du 5 au 9 août. "
    "Plus de 40 artistes y participeront. "
    "Les billets sont en vente en ligne."
)
ENGLISH = (
    "The cultural festival will take place in Caraquet from August 5 to 9. "
    "More than 40 artists will take part. "
    "Tickets are on sale online."
)


def tick_all(view) -> None:
    """Tick every pair, whatever the aligner's confidence (its calibration is not this page's)."""
    expect(view.locator("table.pairs-table tbody tr")).to_have_count(3)
    for position in (1, 2, 3):
        view.get_by_label(f"Keep pair {position}").check()


def units_in(live_server, memory: str) -> int:
    with urlopen(f"{live_server.url}api/v1/memories") as answer:
        return next(m["units"] for m in json.load(answer)["memories"] if m["name"] == memory)


def test_aligned_pairs_can_be_unticked_and_the_rest_saved(page, live_server, screenshot):
    view = open_view(page, "align")
    align(view, FRENCH, ENGLISH)
    rows = view.locator("table.pairs-table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(1).locator("td[lang=fr]")).to_have_text("Plus de 40 artistes y participeront.")
    expect(rows.nth(1).locator("td[lang=en]")).to_have_text("More than 40 artists will take part.")
    expect(rows.nth(0).locator("td.number")).to_have_text(re.compile(r"^\s*\d{1,3}%"))
    before = units_in(live_server, SAVE_MEMORY)

    view.get_by_label("Keep pair 1").check()
    view.get_by_label("Keep pair 2").uncheck()
    view.get_by_label("Keep pair 3").check()
    save = view.locator("#save-form")
    save.get_by_label("Memory").select_option(SAVE_MEMORY)
    save.get_by_label("Write key").fill(live_server.write_key)
    screenshot("align")
    save.get_by_role("button", name="Save 2 ticked pairs").click()
    expect(view.get_by_role("status")).to_have_text(f"Saved 2 pairs into {SAVE_MEMORY}.")
    screenshot("align-saved")
    assert units_in(live_server, SAVE_MEMORY) == before + 2
    assert saved_targets(live_server, "billets") == ["Tickets are on sale online."]
    assert saved_targets(live_server, "artistes") == []
    expect(save.get_by_label("Memory")).to_have_value(SAVE_MEMORY)


def test_doubtful_pairs_start_unticked_and_marked(page):
    answer = {"source_lang": "fr", "target_lang": "en", "links_dropped": 0, "stored": None, "pairs": [
        {"source": "Bonjour.", "target": "Hello.", "score": 0.97},
        {"source": "Merci.", "target": "Goodbye.", "score": 0.12},
    ]}
    page.route("**/api/v1/align", lambda route: route.fulfill(json=answer))
    view = open_view(page, "align")
    align(view, "Bonjour. Merci.", "Hello. Goodbye.")
    rows = view.locator("table.pairs-table tbody tr")
    expect(rows.nth(0)).not_to_have_class("doubtful")
    expect(view.get_by_label("Keep pair 1")).to_be_checked()
    expect(rows.nth(1)).to_have_class("doubtful")
    expect(rows.nth(1).locator("td.number")).to_have_text("12% check")
    expect(view.get_by_label("Keep pair 2")).not_to_be_checked()
    expect(view.locator("#save-form button")).to_have_text("Save 1 ticked pair")


def saved_targets(live_server, word: str) -> list[str]:
    query = f"concordance?q={word}&lang=fr&memory={SAVE_MEMORY}"
    with urlopen(f"{live_server.url}api/v1/{query}") as answer:
        return [item["target"] for item in json.load(answer)["items"]]


def test_a_wrong_key_gets_a_readable_message_and_saves_nothing(page, live_server, screenshot):
    view = open_view(page, "align")
    align(view, FRENCH, ENGLISH)
    expect(view.locator("table.pairs-table tbody tr")).to_have_count(3)
    before = units_in(live_server, SAVE_MEMORY)
    tick_all(view)
    save = view.locator("#save-form")
    save.get_by_label("Memory").select_option(SAVE_MEMORY)
    save.get_by_label("Write key").fill("not-a-key")
    save.get_by_role("button", name="Save 3 ticked pairs").click()
    problem = view.locator("#save-problem")
    expect(problem).to_have_text("Unauthorized — the API key is not valid")
    screenshot("align-error")
    expect(problem).to_have_attribute("role", "alert")
    assert units_in(live_server, SAVE_MEMORY) == before


def test_a_key_for_another_memory_is_refused_readably(page, live_server):
    view = open_view(page, "align")
    align(view, FRENCH, ENGLISH)
    tick_all(view)
    save = view.locator("#save-form")
    save.get_by_label("Memory").select_option("demo")
    save.get_by_label("Write key").fill(live_server.write_key)
    save.get_by_role("button", name="Save 3 ticked pairs").click()
    expect(view.locator("#save-problem")).to_have_text(
        f"Forbidden — this key serves memory '{SAVE_MEMORY}' only and cannot write to memory 'demo'")


def test_saving_without_a_key_or_a_ticked_pair_says_what_is_missing(page):
    view = open_view(page, "align")
    align(view, FRENCH, ENGLISH)
    tick_all(view)
    save = view.locator("#save-form")
    save.get_by_role("button", name="Save 3 ticked pairs").click()
    expect(view.locator("#save-problem")).to_have_text("A write key is needed — Paste a write key for this memory.")
    for position in (1, 2, 3):
        view.get_by_label(f"Keep pair {position}").uncheck()
    save.get_by_role("button", name="Save 0 ticked pairs").click()
    expect(view.locator("#save-problem")).to_have_text("Nothing to save — Tick at least one pair.")


def test_an_empty_release_gets_a_readable_message(page):
    view = open_view(page, "align")
    align(view, FRENCH, "")
    problem = view.get_by_role("alert").filter(has_text="Unprocessable Content")
    expect(problem).to_contain_text("English release: is empty")


def test_the_save_form_waits_for_pairs(page):
    view = open_view(page, "align")
    expect(view.locator("#save-form")).to_be_hidden()
    align(view, FRENCH, ENGLISH)
    expect(view.locator("#save-form")).to_be_visible()
