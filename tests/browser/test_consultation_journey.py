"""Consultations in a real phone-sized browser: voting one card at a time without
JavaScript (plain forms, the page comes back with the next card) and with htmx (the
next card swaps in, focus stays on the buttons), by keyboard; writing a statement;
changing a vote."""

from __future__ import annotations

import pytest

from komoro_engage.extensions import db
from tests.browser.helpers import active_element, goto, htmx_settled, small_targets
from tests.browser.world import session_cookie
from tests.consultations.helpers import make_consultation, make_statement
from tests.factories import make_user

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect


def fresh_consultation(site, title: str) -> tuple[int, list]:
    """A consultation with two seeds and one statement, and a resident's session cookie."""
    with site.app.app_context():
        consultation = make_consultation(title=title)
        make_statement(consultation, "図書館の開館時間を延ばしてほしい")
        resident = make_user(nickname=f"{title}の住民")
        db.session.commit()
        cookie = session_cookie(site.app, resident)
        consultation_id = consultation.id
        db.session.remove()
    return consultation_id, [{"name": "session", "value": cookie, "url": site.url}]


def test_voting_without_javascript_on_a_phone(open_page, site):
    consultation_id, cookies = fresh_consultation(site, "JSなしの投票")
    page = open_page(java_script_enabled=False, cookies=cookies)
    goto(page, f"/consultations/{consultation_id}")
    expect(page.get_by_text("残り3件")).to_be_visible()
    assert small_targets(page) == []
    page.get_by_role("button", name="賛成", exact=True).click()
    expect(page.get_by_text("残り2件")).to_be_visible()
    page.get_by_role("button", name="反対", exact=True).click()
    page.get_by_role("button", name="パス", exact=True).click()
    expect(page.get_by_text("いまある意見すべてに賛否を示しました")).to_be_visible()
    expect(page.get_by_role("heading", name="あなたの投票（3件）")).to_be_visible()

    page.get_by_role("button", name="賛成に変える").first.click()
    expect(page.get_by_text("投票を変更しました。")).to_be_visible()

    # The refused form comes back with 422, on purpose: not a console error.
    page.watch.expected_failures.add(f"{site.url}/consultations/{consultation_id}/statements")
    page.get_by_label("あなたの意見").fill("あ" * 141)
    page.get_by_role("button", name="意見を送る").click()
    expect(page.get_by_text("140文字以内で入力してください（今は141文字）。")).to_be_visible()
    expect(page.get_by_label("あなたの意見")).to_have_value("あ" * 141)
    page.get_by_label("あなたの意見").fill("バス停に屋根をつけてほしい")
    page.get_by_role("button", name="意見を送る").click()
    expect(page.get_by_text("確認後に公開されます。")).to_be_visible()
    page.watch.assert_clean()


def test_voting_in_place_with_htmx_by_keyboard(open_page, site):
    consultation_id, cookies = fresh_consultation(site, "htmxの投票")
    page = open_page(cookies=cookies)
    goto(page, f"/consultations/{consultation_id}")
    page.evaluate("window.__sameDocument = true")
    first = page.locator(".statement-text").inner_text()
    page.get_by_role("button", name="賛成", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("残り2件")).to_be_visible()
    htmx_settled(page)
    assert page.locator(".statement-text").inner_text() != first
    assert page.evaluate("window.__sameDocument") is True  # swapped in, no reload
    assert active_element(page)["id"] == "vote-agree"  # focus stays on the buttons
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # 反対
    expect(page.get_by_text("残り1件")).to_be_visible()
    htmx_settled(page)
    page.get_by_role("button", name="パス", exact=True).click()
    expect(page.get_by_text("いまある意見すべてに賛否を示しました")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True
    page.watch.assert_clean()
