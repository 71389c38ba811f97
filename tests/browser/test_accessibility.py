"""axe-core on every page type, plus the document outline axe cannot judge alone.

Signed-in variants: add ``PageType(..., audience="resident")`` entries in
``tests/browser/pages.py`` and register the sign-in journey in ``SIGN_IN``;
these tests pick them up unchanged.
"""

from __future__ import annotations

import pytest

from tests.browser.helpers import document_outline, goto, run_axe
from tests.browser.pages import PAGES, page_id

BLOCKING = {"serious", "critical"}


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("page_type", PAGES, ids=page_id)
def test_axe_finds_no_serious_or_critical_violation(open_as, page_type, lang):
    page = open_as(page_type, lang=lang)
    goto(page, page_type.path, page_type.status)

    violations = run_axe(page)

    blocking = [f"{v['impact']} {v['id']}: {v['help']} at {v['nodes'][:3]}"
                for v in violations if v["impact"] in BLOCKING]
    assert blocking == []
    # moderate and minor findings are reported, not hidden: keep them at zero too
    assert [f"{v['impact']} {v['id']} at {v['nodes'][:3]}" for v in violations] == []
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


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("page_type", PAGES, ids=page_id)
def test_language_headings_and_landmarks(open_as, page_type, lang):
    page = open_as(page_type, lang=lang)
    goto(page, page_type.path, page_type.status)
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
