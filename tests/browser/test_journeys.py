"""A resident on a phone reads the plan, with and without JavaScript, in both languages.

The sign-up → proposal → approval → support → comment journeys are in
test_proposal_journey.py.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.helpers import follow, goto


def browse_the_plan(page, site) -> None:
    """Home → policy area 1 → measure 1-2 → a priority item citing it → districts."""
    goto(page, "/")
    assert page.locator("h1").inner_text() == "こもろ協働ひろば"

    follow(page, page.get_by_role("link", name=re.compile("子育て・教育")))
    page.wait_for_url(f"{site.url}/plan/areas/1")
    assert "子育て・教育" in page.locator("h1").inner_text()

    follow(page, page.get_by_role("link", name=re.compile("施策 1-2")))
    page.wait_for_url(f"{site.url}/plan/measures/1-2")
    assert "施策 1-2" in page.locator("h1").inner_text()
    assert page.get_by_role("heading", name="成果指標").count() == 1

    follow(page, page.get_by_role("link", name=re.compile("重点項目2")).first)
    page.wait_for_url(f"{site.url}/plan/priorities/2")
    assert "子育てが楽しいまち" in page.locator("h1").inner_text()
    # the measure we came from is listed among the item's measures
    assert page.get_by_role("link", name=re.compile("施策 1-2")).count() == 1

    menu = page.get_by_role("navigation", name="メインメニュー")
    follow(page, menu.get_by_role("link", name="地区"))
    page.wait_for_url(f"{site.url}/plan/districts")
    assert page.locator("h1").inner_text() == "地区と区"
    assert page.get_by_text("ひばりヶ丘").count() >= 1

    follow(page, page.get_by_role("navigation", name="現在地").get_by_role("link", name="ホーム"))
    page.wait_for_url(f"{site.url}/")


def test_browse_the_plan_on_a_phone(page, site):
    browse_the_plan(page, site)
    page.watch.assert_clean()


def test_browse_the_plan_without_javascript(js_disabled_page, site):
    browse_the_plan(js_disabled_page, site)
    js_disabled_page.watch.assert_clean()


@pytest.mark.parametrize("fixture", ["page", "js_disabled_page"])
def test_switch_to_english_and_back_stays_on_the_same_page(fixture, request, site):
    page = request.getfixturevalue(fixture)
    goto(page, "/plan/measures/1-2?edition=basic-plan-9")
    assert page.locator("html").get_attribute("lang") == "ja"

    follow(page, page.get_by_role("button", name="English"))
    page.wait_for_url(f"{site.url}/plan/measures/1-2?edition=basic-plan-9")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Measure 1-2" in page.locator("h1").inner_text()
    assert page.get_by_role("link", name="Skip to main content").count() == 1

    # the choice is remembered on the next page
    follow(page, page.get_by_role("link", name="Districts").first)
    page.wait_for_url(f"{site.url}/plan/districts")
    assert page.locator("html").get_attribute("lang") == "en"

    follow(page, page.get_by_role("button", name="日本語"))
    page.wait_for_url(f"{site.url}/plan/districts")
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.locator("h1").inner_text() == "地区と区"
    page.watch.assert_clean()


def test_htmx_is_loaded_under_the_strict_csp(page, site):
    goto(page, "/")
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.evaluate("window.htmx.version") == "2.0.4"
    # htmx read its config from <meta name="htmx-config"> and did not inject a <style>
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    assert page.evaluate("htmx.config.allowEval") is False
    assert page.evaluate("document.querySelectorAll('style').length") == 0
    page.watch.assert_clean()


def test_csp_violations_are_caught_by_the_watch(page, site):
    """The instrument itself: an inline script the CSP blocks is reported, not missed."""
    goto(page, "/")
    page.evaluate("""() => {
      const s = document.createElement('script');
      s.textContent = 'window.__ran = true';
      document.body.appendChild(s);
    }""")
    page.wait_for_function("window.__komoroCsp.length > 0")
    assert page.evaluate("window.__ran === undefined")
    assert any("script-src" in violation for violation in page.watch.csp_violations())
