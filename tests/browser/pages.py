"""What the browser tests do on the page, by the names a user sees (labels, buttons, headings)."""
from __future__ import annotations

import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[dev]'")
expect = sync_api.expect
PlaywrightError = sync_api.Error
# Playwright's 5 s default for assertions is short on a loaded CI machine; nothing here is timed.
expect.set_options(timeout=15_000)

VIEWS = ("suggest", "concordance", "review", "align")

#: From the demo release 2026-03-12-highway-investment: one date differs from the stored sentence.
QUERY = "Les travaux sur le pont devraient commencer le 5 mai 2026 et se terminer à l’automne 2027."
STORED_TARGET = "Work on the bridge is scheduled to begin on May 4, 2026, and should be completed in the fall of 2027."
REPAIRED_TARGET = STORED_TARGET.replace("May 4", "May 5")


def open_view(page, view: str):
    """Open the page on one view, once it has listed the memories; return the view's section.

    Every view is in the document (the others hidden), so labels are looked up within one.
    """
    page.goto(f"/#{view}")
    section = page.locator(f"section#{view}")
    expect(section).to_be_visible()
    expect(page.locator("#save-memory option[value=demo]")).to_have_count(1)
    return section


def has_no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def suggest(view, text: str) -> None:
    """Type into the suggest box and let the page look up by itself (no Enter)."""
    view.get_by_label("Text to translate").fill(text)


def concordance(view, phrase: str, *, lang: str = "fr") -> None:
    view.get_by_label("Word or phrase").fill(phrase)
    view.get_by_label("Language of the phrase").select_option(lang)
    view.get_by_role("button", name="Search").click()


def review(view, source: str, draft: str, *, documents: bool = False) -> None:
    if documents:
        view.get_by_label("Whole documents").check()
    view.locator("#review-source").fill(source)
    view.locator("#review-draft").fill(draft)
    view.get_by_role("button", name="Score the draft").click()


def align(view, french: str, english: str) -> None:
    view.get_by_label("French release").fill(french)
    view.get_by_label("English release").fill(english)
    view.get_by_role("button", name="Align", exact=True).click()
