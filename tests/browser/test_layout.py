"""On a 360 px phone: no sideways scrolling, fingers-sized targets, a screenshot of each page."""

from __future__ import annotations

import pytest

from tests.browser.helpers import MIN_TARGET_PX, PHONE_WIDTH, goto, scroll_width, touch_targets
from tests.browser.pages import PAGES, page_id


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("page_type", PAGES, ids=page_id)
def test_no_horizontal_scrolling_at_360px(open_as, page_type, lang, screenshot_dir):
    page = open_as(page_type, lang=lang)
    goto(page, page_type.path, page_type.status)
    assert page.evaluate("window.innerWidth") == PHONE_WIDTH
    assert scroll_width(page) <= PHONE_WIDTH
    page.screenshot(path=screenshot_dir / f"{page_type.name}-{page_type.audience}-{lang}.png",
                    full_page=True)
    page.watch.assert_clean()


@pytest.mark.parametrize("page_type", PAGES, ids=page_id)
def test_touch_targets_are_at_least_44px(open_as, page_type):
    page = open_as(page_type)
    goto(page, page_type.path, page_type.status)
    targets = touch_targets(page)
    assert targets, "no interactive element measured"

    too_small = [f"{t['label']} {t['width']}×{t['height']}" for t in targets
                 if not t["inlineInText"]
                 and (t["width"] < MIN_TARGET_PX or t["height"] < MIN_TARGET_PX)]
    assert too_small == []
    # links inside a sentence are exempt from the size, not from being recognisable
    assert [t["label"] for t in targets if t["inlineInText"] and not t["underlined"]] == []
