"""Every page type in each new display mode (issue 20): ふりがな with the largest text
(特大), やさしい日本語, and the browser's own 200 % zoom.

- 特大 + ふりがな on a 360 px phone: no sideways scrolling, the header's controls never
  overlap, axe finds nothing serious or critical (screenshots as in test_accessibility).
- やさしい日本語: the same checks but the overlap, and the page says it is Japanese.
- 200 % zoom: Chromium's page zoom cannot be set through playwright, and a phone's zoom
  is its CSS pixels: a 360-pixel screen zoomed to 200 % lays pages out in 180 CSS px,
  drawn at twice the density. So the context is 180×370 CSS px at device scale 4 (the
  same physical 360×740 screen of a 2× phone): no sideways scrolling, no overlap.
"""

from __future__ import annotations

import pytest

from tests.browser.helpers import (
    PageWatch,
    goto,
    keep_screenshot,
    load_axe_in_every_page,
    run_axe,
    scroll_width,
)
from tests.browser.pages import PAGES, page_id, sign_in

BLOCKING = {"serious", "critical"}
MODES = {
    "xlarge-ruby": ({"ruby": "on", "text_size": "xlarge"},
                    {"width": 360, "height": 740}, 2),
    "easy-japanese": ({"lang": "ja_easy"}, {"width": 360, "height": 740}, 2),
    "zoom-200": ({}, {"width": 180, "height": 370}, 4),
}

_OVERLAPS = """() => {
  const boxes = [...document.querySelectorAll(
      '.site-header a, .site-header button, .site-header summary')]
    .map((el) => [el, el.getBoundingClientRect()])
    .filter(([el, r]) => r.width > 0 && r.height > 0);
  // an item of the menu scrolled out of its strip is not on the screen: not drawn over
  const strip = document.querySelector('.site-nav ul').getBoundingClientRect();
  const shown = boxes.filter(([el, r]) => !el.closest('.site-nav')
    || (r.left >= strip.left - 1 && r.right <= strip.right + 1));
  const found = [];
  for (let i = 0; i < shown.length; i++) {
    for (let j = i + 1; j < shown.length; j++) {
      const [a, ra] = shown[i], [b, rb] = shown[j];
      if (a.contains(b) || b.contains(a)) continue;
      const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (w > 1 && h > 1) found.push(`${a.textContent.trim()} / ${b.textContent.trim()}`);
    }
  }
  return found;
}"""


@pytest.fixture(scope="module")
def mode_contexts(browser, site):
    """One browser context per (mode, audience), sharing cookies and cached CSS."""
    contexts: dict[tuple, object] = {}

    def get(mode: str, audience: str):
        if (mode, audience) not in contexts:
            cookies, viewport, scale = MODES[mode]
            context = browser.new_context(viewport=viewport, device_scale_factor=scale,
                                          locale="ja-JP", base_url=site.url)
            context.set_default_timeout(10_000)
            if mode != "zoom-200":  # the modes whose pages axe checks
                load_axe_in_every_page(context)
            context.add_cookies([{"name": name, "value": value, "url": site.url}
                                 for name, value in cookies.items()])
            page = context.new_page()
            sign_in(page, site, audience)
            page.close()
            contexts[mode, audience] = context
        return contexts[mode, audience]

    yield get
    for context in contexts.values():
        context.close()


def open_in(mode_contexts, site, mode: str, page_type):
    page = mode_contexts(mode, page_type.audience).new_page()
    page.watch = PageWatch(page, site.url)
    goto(page, page_type.url(site), page_type.status)
    return page


def blocking_axe(page) -> list[str]:
    return [f"{v['impact']} {v['id']}: {v['help']} at {v['nodes'][:3]}"
            for v in run_axe(page) if v["impact"] in BLOCKING]


@pytest.mark.page_sweep
@pytest.mark.parametrize("page_type", PAGES, ids=page_id)
def test_page_at_the_largest_text_with_furigana(mode_contexts, site, page_type, screenshot_dir):
    page = open_in(mode_contexts, site, "xlarge-ruby", page_type)
    assert page.locator("html.with-ruby.text-xlarge").count() == 1
    if page_type.name in ("home", "accessibility", "proposal-list"):
        assert page.locator("main ruby rt").count() > 0
    assert scroll_width(page) <= 360
    assert page.evaluate(_OVERLAPS) == []
    assert blocking_axe(page) == []
    keep_screenshot(page, screenshot_dir / f"xlarge-ruby-{page_type.name}-"
                    f"{page_type.audience}.png")
    page.watch.assert_clean()
    page.close()  # a failing test's page stays open for its screenshot (conftest)


@pytest.mark.page_sweep
@pytest.mark.parametrize("page_type", PAGES, ids=page_id)
def test_page_in_easy_japanese(mode_contexts, site, page_type):
    page = open_in(mode_contexts, site, "easy-japanese", page_type)
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.get_by_role("navigation", name="メニュー").get_by_role(
        "link", name="みやすく する").count() == 1
    assert scroll_width(page) <= 360
    assert blocking_axe(page) == []
    page.watch.assert_clean()
    page.close()  # a failing test's page stays open for its screenshot (conftest)


@pytest.mark.page_sweep
@pytest.mark.parametrize("page_type", PAGES, ids=page_id)
def test_page_at_200_percent_zoom(mode_contexts, site, page_type, screenshot_dir):
    page = open_in(mode_contexts, site, "zoom-200", page_type)
    assert page.evaluate("window.innerWidth") == 180
    assert scroll_width(page) <= 180
    assert page.evaluate(_OVERLAPS) == []
    keep_screenshot(page, screenshot_dir / f"zoom-200-{page_type.name}-"
                    f"{page_type.audience}.png")
    page.watch.assert_clean()
    page.close()  # a failing test's page stays open for its screenshot (conftest)


def test_readings_stay_out_of_accessible_names(mode_contexts, site):
    """ふりがな is for the eye: a link or button with ruby is named by its words alone (広聴,
    not 広聴こうちょう), in Chromium's own accessibility tree and by the ARIA name-from-content
    rule as playwright implements it (which counts <rt> text unless it is aria-hidden)."""
    page = mode_contexts("xlarge-ruby", "anonymous").new_page()
    try:
        goto(page, "/settings/display?next=/proposals")
        assert page.locator(".site-nav a[href='/consultations'] rt").inner_text() == "こうちょう"
        assert page.locator("button[name='size'][value='xlarge'] rt").inner_text() == "とくだい"
        assert page.locator("rt").count() > 10
        assert page.locator("rt:not([aria-hidden='true'])").count() == 0
        tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
        named = {(node["role"]["value"], node.get("name", {}).get("value", ""))
                 for node in tree if "role" in node}
        for role, name in [("link", "広聴"), ("link", "市民予算"), ("link", "表示設定"),
                           ("button", "特大"), ("button", "ふりがなを表示")]:
            assert (role, name) in named
        assert not [name for _, name in named if "こうちょう" in name or "ひょうじ" in name]
        # playwright puts a space between two <ruby> (市民 予算): a one-word name here
        assert page.get_by_role("link", name="広聴", exact=True).count() == 1
        assert page.get_by_role("button", name="特大", exact=True).count() == 1
    finally:
        page.close()
