"""Keyboard only: the skip link comes first, every control is reachable in order, focus shows."""

from __future__ import annotations

import pytest

from tests.browser.helpers import active_element, focusables, goto, has_visible_focus, tab_through
from tests.browser.pages import PAGES, page_id

JS = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])


@JS
@pytest.mark.parametrize("page_type", PAGES, ids=page_id)
def test_tab_reaches_every_control_in_order_with_a_visible_focus_ring(
        open_as, page_type, javascript):
    page = open_as(page_type, java_script_enabled=javascript)
    goto(page, page_type.path, page_type.status)
    expected = focusables(page)
    assert len(expected) >= 3, expected
    unfocused = {str(item["index"]): item for item in expected}

    reached = tab_through(page, limit=len(expected) + 5)

    assert [item["index"] for item in reached] == [str(item["index"]) for item in expected], (
        [item["label"] for item in reached], [item["label"] for item in expected])
    invisible = [item["label"] for item in reached
                 if not has_visible_focus(item, unfocused[item["index"]])]
    assert invisible == [], f"no visible focus indicator on {invisible}"
    page.watch.assert_clean()


@JS
def test_skip_link_is_first_and_moves_focus_to_main(open_page, javascript):
    page = open_page(java_script_enabled=javascript)
    goto(page, "/plan/measures/1-2")

    page.keyboard.press("Tab")
    first = active_element(page)
    assert "本文へ移動" in first["label"]
    box, viewport = first["box"], first["viewport"]
    assert box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    assert box["height"] >= 44, "the skip link is a touch target too"

    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    assert active_element(page)["id"] == "main"

    # the next Tab continues inside main, past the header and menu
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")
    page.watch.assert_clean()
