"""A phone's first screen (issue 20): on 360×740 the list's first item, a proposal's 賛同する
with its count and a project's join are visible without scrolling; the header takes at
most two lines (the menu is one line that scrolls by itself) and keeps sign-in, the
language switch and 表示設定 in reach; the filters wait behind a disclosure that counts
those in use. Screenshots of each first screen go to test-artifacts/screenshots.
"""

from __future__ import annotations

import pytest

from komoro_engage.extensions import db
from tests.browser.helpers import PHONE_WIDTH, goto, scroll_width
from tests.browser.world import session_cookie
from tests.factories import make_user

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect
SCREEN_HEIGHT = 740
# One line of the header is a 44 px control and its padding: two lines stay under this.
TWO_LINES = 2 * 56


def within_first_screen(page, locator) -> None:
    box = locator.first.bounding_box()
    assert box is not None, locator
    assert box["y"] >= 0 and box["y"] + box["height"] <= SCREEN_HEIGHT, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH, box


def header_fits_two_lines(page) -> None:
    assert page.locator("header.site-header").bounding_box()["height"] <= TWO_LINES
    assert scroll_width(page) <= PHONE_WIDTH


@pytest.mark.parametrize("javascript", [True, False])
def test_proposal_list_shows_its_first_proposal_on_the_first_screen(
        open_page, site, screenshot_dir, javascript):
    page = open_page(java_script_enabled=javascript)
    goto(page, "/proposals?area=1")
    header_fits_two_lines(page)
    within_first_screen(page, page.locator(".proposal-card"))
    summary = page.locator("details.filters-toggle > summary")
    expect(summary).to_have_text("絞り込み（1件の条件で表示中）")
    expect(page.get_by_label("並び順")).to_be_hidden()
    expect(page.get_by_label("キーワード")).to_be_visible()
    summary.click()
    expect(page.get_by_label("並び順")).to_be_visible()
    # sign-in, language and display settings stay reachable from the header
    menu = page.get_by_role("navigation", name="メインメニュー")
    expect(menu.get_by_role("link", name="ログイン")).to_have_count(1)
    expect(menu.get_by_role("link", name="表示設定")).to_have_count(1)
    expect(page.get_by_role("button", name="English")).to_be_visible()
    page.screenshot(path=screenshot_dir / f"first-screen-proposal-list-js-{javascript}.png")
    page.watch.assert_clean()


def test_staff_header_takes_two_lines_too(open_page, site, screenshot_dir):
    page = open_page(cookies=[{"name": "session", "value": site.world.sessions["staff"],
                               "url": site.url}])
    goto(page, "/proposals")
    header_fits_two_lines(page)
    menu = page.get_by_role("navigation", name="メインメニュー")
    # the menu scrolls by itself: its last item is reached, the page does not move sideways
    last = menu.get_by_role("link", name="表示設定")
    last.scroll_into_view_if_needed()
    within_first_screen(page, last)
    assert scroll_width(page) <= PHONE_WIDTH
    page.screenshot(path=screenshot_dir / "first-screen-staff-header.png")
    page.watch.assert_clean()


def test_support_and_its_count_are_on_a_proposals_first_screen(
        open_page, site, screenshot_dir):
    page = open_page(cookies=[{"name": "session", "value": site.world.sessions["resident"],
                               "url": site.url}])
    goto(page, f"/proposals/{site.world.ids['proposal']}")
    header_fits_two_lines(page)
    within_first_screen(page, page.get_by_role("button", name="賛同する"))
    within_first_screen(page, page.locator("#support strong"))
    page.screenshot(path=screenshot_dir / "first-screen-proposal-detail.png")
    page.watch.assert_clean()


def test_joining_is_on_a_projects_first_screen(browser, open_page, site, screenshot_dir):
    from tests.projects.helpers import make_project

    with site.app.app_context():
        project = make_project(title="千曲川の河川敷をみんなできれいにする会（最初の画面）",
                               summary="月に一度、みんなで河川敷のごみを拾います。" * 3)
        resident = make_user()
        db.session.commit()
        project_id, cookie = project.id, session_cookie(site.app, resident)
        db.session.remove()
    page = open_page(cookies=[{"name": "session", "value": cookie, "url": site.url}])
    goto(page, f"/projects/{project_id}")
    header_fits_two_lines(page)
    within_first_screen(page, page.get_by_role("link", name="参加を申し込む"))
    page.screenshot(path=screenshot_dir / "first-screen-project-detail.png")
    visitor = open_page()
    goto(visitor, f"/projects/{project_id}")
    within_first_screen(visitor, visitor.get_by_role("link", name="ログインして参加する"))
    goto(visitor, "/projects")
    # the first card begins and its title shows (a long card may run on below)
    within_first_screen(visitor, visitor.locator(".card-list > li a").first)
    page.watch.assert_clean()


def test_display_settings_work_without_javascript(open_page, site, screenshot_dir):
    page = open_page(java_script_enabled=False)
    goto(page, "/proposals")
    menu = page.get_by_role("navigation", name="メインメニュー")
    menu.get_by_role("link", name="表示設定").click()
    page.get_by_role("button", name="特大").click()
    page.wait_for_url(f"{site.url}/proposals")
    assert page.locator("html").get_attribute("class") == "text-xlarge"
    menu.get_by_role("link", name="表示設定").click()
    page.get_by_role("button", name="ふりがなを表示").click()
    page.wait_for_url(f"{site.url}/proposals")
    assert page.locator("main h1 ruby rt").first.inner_text() == "ていあん"
    assert scroll_width(page) <= PHONE_WIDTH
    page.screenshot(path=screenshot_dir / "display-settings-xlarge-ruby-proposals.png")
    # with ruby on, playwright names this link 表示 設定 (a space between two <ruby>;
    # Chromium says 表示設定, readings aria-hidden): found by its address
    menu.locator("a[href^='/settings/display']").click()
    page.locator("button[value='ja_easy']").click()
    page.wait_for_url(f"{site.url}/proposals")
    expect(page.get_by_role("link", name="ていあんする")).to_be_visible()
    page.watch.assert_clean()
