"""Every page type on a 360 px phone, in both languages, signed in as its audience.

One visit per page type and language checks everything that needs only the
rendered page: axe-core (zero violations, and never a serious or critical
one), the document outline axe cannot judge alone, no sideways scrolling,
44×44 px touch targets; a screenshot in test-artifacts/screenshots when asked for
(KOMORO_TEST_SCREENSHOTS=1) or when the test fails.
Opening each page once keeps the folder fast (see the README of tests/browser
in conftest.py).
"""

from __future__ import annotations

import pytest

from tests.browser.helpers import (
    PHONE_WIDTH,
    document_outline,
    goto,
    keep_screenshot,
    run_axe,
    scroll_width,
    small_targets,
)
from tests.browser.pages import PAGES, page_id

BLOCKING = {"serious", "critical"}


def check_outline(page, lang: str) -> None:
    outline = document_outline(page)
    assert outline["lang"] == lang
    other = "en" if lang == "ja" else "ja"
    # the switch button names the other language in that language
    assert page.locator(f"form.lang-switch button[lang='{other}']").count() == 1

    levels = outline["headings"]
    assert levels.count(1) == 1 and levels[0] == 1, levels
    skips = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    assert skips == [], f"heading levels jump: {levels}"

    assert outline["main"] == 1 and outline["banner"] == 1 and outline["contentinfo"] == 1
    assert outline["nav"] >= 1 and all(outline["navLabels"]), outline["navLabels"]
    assert len(set(outline["navLabels"])) == len(outline["navLabels"])
    assert outline["title"].endswith("こもろ協働ひろば" if lang == "ja" else "Komoro Engage")


@pytest.mark.page_sweep
@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("page_type", PAGES, ids=page_id)
def test_page_is_accessible_and_fits_a_phone(open_as, site, page_type, lang, screenshot_dir):
    page = open_as(page_type, lang=lang, axe=True)
    goto(page, page_type.url(site), page_type.status)

    violations = run_axe(page)
    blocking = [f"{v['impact']} {v['id']}: {v['help']} at {v['nodes'][:3]}"
                for v in violations if v["impact"] in BLOCKING]
    assert blocking == []
    # moderate and minor findings are reported, not hidden: keep them at zero too
    assert [f"{v['impact']} {v['id']} at {v['nodes'][:3]}" for v in violations] == []

    check_outline(page, lang)
    assert page.evaluate("window.innerWidth") == PHONE_WIDTH
    assert scroll_width(page) <= PHONE_WIDTH
    if lang == "ja":  # sizes are the same in English; longer words are caught by the width
        too_small = small_targets(page)
        assert too_small == [], too_small
    keep_screenshot(page, screenshot_dir / f"{page_type.name}-{page_type.audience}-{lang}.png")
    page.watch.assert_clean()


def test_axe_is_really_running(page):
    """The instrument catches a real problem: an image without alt text is serious."""
    goto(page, "/")
    page.evaluate("""() => {
      const img = document.createElement('img');
      img.src = '/static/favicon.svg';
      document.querySelector('main').appendChild(img);
    }""")
    assert "image-alt" in {v["id"] for v in run_axe(page) if v["impact"] in BLOCKING}


def test_small_targets_are_really_measured(page):
    """The instrument catches a real problem: a 20 px button outside any sentence."""
    goto(page, "/")
    page.evaluate("""() => {
      const button = document.createElement('button');
      button.textContent = 'x';
      // through the CSSOM: the page's CSP refuses style attributes and <style>
      Object.assign(button.style, {minHeight: '0', minWidth: '0', padding: '0',
                                   height: '20px', width: '20px'});
      document.querySelector('main').appendChild(button);
    }""")
    assert any(item.startswith("x ") for item in small_targets(page)), small_targets(page)


def test_screenshots_are_kept_only_when_asked_for(page, tmp_path, monkeypatch):
    """KOMORO_TEST_SCREENSHOTS=1 keeps every page type's picture; by default none is drawn
    (a failing test's page is, by conftest.py)."""
    from tests.browser import helpers

    goto(page, "/")
    monkeypatch.setattr(helpers, "SCREENSHOTS", False)
    keep_screenshot(page, tmp_path / "not-asked.png")
    assert not (tmp_path / "not-asked.png").exists()
    monkeypatch.setattr(helpers, "SCREENSHOTS", True)
    keep_screenshot(page, tmp_path / "asked.png")
    assert (tmp_path / "asked.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
