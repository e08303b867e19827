"""The page as a whole: nothing from elsewhere, labelled for screen readers, the keyboard alone, a phone."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.request import urlopen

import pytest

from tests.browser.pages import QUERY, VIEWS, align, concordance, expect, has_no_sideways_scroll, open_view, suggest
from tests.browser.test_align import ENGLISH, FRENCH

STATIC = Path(__file__).resolve().parents[2] / "tm_service" / "web" / "static"


def test_the_page_is_served_at_the_root_with_a_same_origin_policy(live_server):
    with urlopen(live_server.url) as answer:
        assert answer.status == 200 and answer.headers.get_content_type() == "text/html"
        assert "default-src 'self'" in answer.headers["Content-Security-Policy"]
        assert "<script src=\"static/app.js\" defer>" in answer.read().decode()


def test_the_static_files_name_no_other_host():
    for path in STATIC.iterdir():
        assert not re.search(r"(src|href|url)\s*[=(]\s*[\"']?(https?:)?//", path.read_text("utf-8")), path.name


def test_using_every_view_asks_nothing_of_another_origin(page, live_server):
    origins = set()
    page.on("request", lambda request: origins.add(re.match(r"^[a-z]+:(//[^/]*)?", request.url).group(0)))
    view = open_view(page, "suggest")
    suggest(view, QUERY)
    expect(view.locator("li.match")).to_have_count(1)
    concordance(open_view(page, "concordance"), "Nashwaak")
    align(open_view(page, "align"), FRENCH, ENGLISH)
    expect(page.locator("table.pairs-table tbody tr")).to_have_count(3)
    assert origins <= {live_server.url.rstrip("/"), "data:"}


def fill_view(page, name: str):
    """Open a view and bring up its results, so their controls are checked too."""
    view = open_view(page, name)
    if name == "suggest":
        suggest(view, QUERY)
        expect(view.locator("li.match")).to_have_count(1)
    elif name == "concordance":
        concordance(view, "Nashwaak")
        expect(view.locator("li.hit-pair")).to_have_count(1)
    elif name == "align":
        align(view, FRENCH, ENGLISH)
        expect(view.locator("table.pairs-table tbody tr")).to_have_count(3)
    return view


@pytest.mark.parametrize("name", VIEWS)
def test_every_control_has_a_name_and_results_are_announced(page, name):
    view = fill_view(page, name)
    controls = view.locator("input, select, textarea, button")
    visible = [controls.nth(index) for index in range(controls.count()) if controls.nth(index).is_visible()]
    assert len(visible) >= 3
    for control in visible:
        expect(control).to_have_accessible_name(re.compile(r"\w"))
    expect(view.locator(f"#{name}-results")).to_have_attribute("aria-live", "polite")
    expect(view.locator(f"#{name}-problem")).to_have_attribute("role", "alert")
    expect(page.get_by_role("navigation", name="Views").get_by_role("link", name=name.capitalize())).to_have_attribute(
        "aria-current", "page")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)


def tab_until(page, test: str, *, limit: int = 30, key: str = "Tab") -> None:
    """Press Tab (or `key`) until `test` (a JS expression about document.activeElement) holds."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(f"(element => {test})(document.activeElement)"):
            return
    pytest.fail(f"Tab never reached an element where {test}")


def test_the_keyboard_alone_reaches_submits_and_copies(page):
    open_view(page, "suggest")
    tab_until(page, "element.classList.contains('skip-link')")
    page.keyboard.press("Enter")
    expect(page.locator("#suggest-q")).to_be_focused()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.type(QUERY)
    page.keyboard.press("Enter")
    expect(page.locator("#suggest-results li.match")).to_have_count(1)
    tab_until(page, "element.classList.contains('copy')")
    page.keyboard.press("Enter")
    expect(page.locator("#suggest-results button.copy")).to_contain_text("Copied")


def test_the_keyboard_alone_changes_view_and_searches(page):
    open_view(page, "suggest")
    tab_until(page, "element.textContent === 'Concordance'")
    page.keyboard.press("Enter")
    expect(page.locator("#concordance-title")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#concordance-q")).to_be_focused()
    tab_until(page, "element.classList.contains('skip-link')", key="Shift+Tab")  # back to the top
    page.keyboard.press("Enter")
    expect(page.locator("#concordance-q")).to_be_focused()  # the skip link keeps the view
    expect(page.locator("section#concordance")).to_be_visible()
    page.keyboard.type("Nashwaak")
    page.keyboard.press("Enter")
    expect(page.locator("#concordance-results mark")).to_have_count(2)
    expect(page).to_have_title("Concordance – Translation memory")


def test_the_keyboard_alone_unticks_a_pair(page):
    view = fill_view(page, "align")
    ticked = view.locator("input[name=keep]:checked").count()
    view.get_by_label("Keep pair 1").check()
    view.get_by_label("Keep pair 1").focus()
    page.keyboard.press("Space")
    expect(view.get_by_label("Keep pair 1")).not_to_be_checked()
    expect(view.locator("#save-form button")).to_have_text(re.compile(rf"^Save {ticked - 1} ticked pairs?$"))


@pytest.mark.parametrize("name", VIEWS)
def test_a_narrow_screen_needs_no_sideways_scrolling(page, screenshot, name):
    page.set_viewport_size({"width": 375, "height": 740})
    fill_view(page, name)
    screenshot(f"{name}-narrow")
    assert has_no_sideways_scroll(page)
