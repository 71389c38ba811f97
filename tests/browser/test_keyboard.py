"""Keyboard only: the skip link comes first, every control is reachable in order, focus shows,
and supporting and commenting work with Tab and Enter, focus following the htmx swaps."""

from __future__ import annotations

import pytest

from tests.browser.helpers import active_element, focusables, goto, has_visible_focus, tab_through
from tests.browser.pages import PAGES, PUBLIC_PAGES, sign_in

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect

JS = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])


# Every page type with JavaScript; without it, the public ones (the signed-in pages
# have the same controls either way: only the copy-link button needs JavaScript).
CASES = ([pytest.param(p, True, id=f"{p}-js") for p in PAGES]
         + [pytest.param(p, False, id=f"{p}-no-js") for p in PUBLIC_PAGES])


@pytest.mark.page_sweep
@pytest.mark.parametrize(("page_type", "javascript"), CASES)
def test_tab_reaches_every_control_in_order_with_a_visible_focus_ring(
        open_as, site, page_type, javascript):
    page = open_as(page_type, java_script_enabled=javascript)
    goto(page, page_type.url(site), page_type.status)
    expected = focusables(page)
    assert len(expected) >= 3, expected
    unfocused = {str(item["index"]): item for item in expected}

    reached = tab_through(page, limit=len(expected) + 5)

    assert [item["index"] for item in reached] == [str(item["index"]) for item in expected], (
        "reached: " + " | ".join(f"{item['index']} {item['label']}" for item in reached)
        + "\nexpected: " + " | ".join(f"{item['index']} {item['label']}" for item in expected))
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


def tab_to(page, label: str, limit: int = 80) -> dict:
    """Press Tab until the focused element's text (or value) is ``label``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        current = active_element(page)
        if current and current["label"] == label:
            return current
    raise AssertionError(f"Tab never reached {label!r}")


def test_support_and_comment_with_the_keyboard_alone(open_page, site):
    """Enter on 賛同する moves focus to the words saying it is done (a second Enter does
    nothing), the next Tab reaches 賛同を取り消す; a comment sent with Enter takes focus
    to itself once it is shown."""
    from komoro_engage.extensions import db
    from tests.proposals.helpers import make_proposal

    with site.app.app_context():
        proposal_id = make_proposal(title="キーボードだけで賛同できる提案").id
        db.session.commit()
    page = open_page()
    sign_in(page, site, "manager")
    goto(page, f"/proposals/{proposal_id}")
    assert page.locator("#support").get_attribute("aria-live") == "polite"

    tab_to(page, "賛同する")
    page.keyboard.press("Enter")
    expect(page.locator("#support strong")).to_have_text("1")
    focused = active_element(page)
    assert focused["id"] == "support-action" and "賛同しました" in focused["label"]
    page.keyboard.press("Enter")  # a second Enter lands on words, not on 賛同を取り消す
    page.wait_for_timeout(300)
    expect(page.locator("#support strong")).to_have_text("1")
    page.keyboard.press("Tab")
    assert active_element(page)["label"] == "賛同を取り消す"

    for _ in range(40):  # on through the share links to the comment box
        page.keyboard.press("Tab")
        if active_element(page)["tag"] == "textarea":
            break
    page.keyboard.type("キーボードだけで書きました。")
    tab_to(page, "コメントする")
    page.keyboard.press("Enter")
    comment = page.locator(".comment", has_text="キーボードだけで書きました")
    expect(comment).to_have_count(1)
    expect(comment).to_be_focused()
    page.watch.assert_clean()
