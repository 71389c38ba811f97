"""What the browser tests measure in a page, written once and used by every journey.

No playwright import at module level: the folder must still collect (and skip)
where playwright is not installed.
"""

from __future__ import annotations

import contextlib
import functools
import os
from pathlib import Path

from komoro_engage.core.security import MAP_TILE_HOST

# The phone every browser test uses (import it from here: importing conftest.py
# as a module runs it a second time).
PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "ja-JP",
         "timezone_id": "Asia/Tokyo", "is_mobile": True, "has_touch": True}
AXE_SOURCE_FILE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
MIN_TARGET_PX = 44
PHONE_WIDTH = 360

# Runs before any page script via the DevTools protocol, so the page's CSP does
# not apply to it; it records what the CSP blocked.
CSP_LISTENER = """
window.__komoroCsp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__komoroCsp.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}`);
});
"""


def block_map_tiles(context) -> None:
    """The tests never reach the 国土地理院 tile host (the one foreign host a map page's
    CSP allows): every tile fails, as on a phone with a bad connection."""
    context.route(f"{MAP_TILE_HOST}/**", lambda route: route.abort())


class PageWatch:
    """Everything a page did that a user would never want: errors, dialogs, foreign requests."""

    def __init__(self, page, origin: str):
        self.page = page
        self.origin = origin.rstrip("/")
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        # pages the main frame navigated to (by us, a link, a form or a redirect)
        self.documents: list[str] = []
        # documents opened on purpose with an error status (the 404 page type)
        self.expected_failures: set[str] = set()
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("dialog", self._on_dialog)
        page.on("request", self._on_request)
        page.add_init_script(CSP_LISTENER)

    def _on_console(self, message) -> None:
        url = (message.location or {}).get("url", "")
        if url.startswith(MAP_TILE_HOST):
            return  # tiles are blocked in the tests (block_map_tiles): the page says so itself
        if message.type == "error" and url not in self.expected_failures:
            self.console_errors.append(f"{message.text} ({url})")

    def _on_request(self, request) -> None:
        self.requests.append(request.url)
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self.documents.append(request.url)

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    @property
    def foreign_requests(self) -> list[str]:
        """Requests that left our origin (data: and blob: URLs never reach the network)."""
        return [url for url in self.requests
                if not url.startswith((self.origin + "/", "data:", "blob:", MAP_TILE_HOST))]

    def csp_violations(self) -> list[str]:
        """Violations seen by the listener (JavaScript on) or reported in the console."""
        from playwright.sync_api import Error as PlaywrightError

        seen = [text for text in self.console_errors if "Content Security Policy" in text]
        with contextlib.suppress(PlaywrightError):  # page closed: the console list stands
            seen += self.page.evaluate("window.__komoroCsp || []")
        return seen

    def assert_clean(self) -> None:
        problems = {"CSP violations": self.csp_violations(),
                    "console errors": self.console_errors, "page errors": self.page_errors,
                    "dialogs": self.dialogs, "foreign requests": self.foreign_requests}
        assert not any(problems.values()), {k: v for k, v in problems.items() if v}


# Full-page screenshots of every page type are for a person to look through, not for a
# test to judge: with KOMORO_TEST_SCREENSHOTS=1 the sweeps save them; otherwise only a
# failing test's page is saved (conftest.py). Drawing them all made the 514 axe and
# display-mode tests take 570 s instead of 456 s (a long page at 4× density takes 1–3 s).
SCREENSHOTS = os.environ.get("KOMORO_TEST_SCREENSHOTS") == "1"
last_opened: dict[str, object] = {}  # the page goto opened last, for a failure's picture


def keep_screenshot(page, path: Path) -> None:
    """Save ``page`` whole to ``path`` when screenshots were asked for."""
    if SCREENSHOTS:
        page.screenshot(path=path, full_page=True)


def goto(page, path: str, status: int = 200):
    """Open ``path`` and check the HTTP status the server answered with."""
    last_opened["page"] = page
    watch = getattr(page, "watch", None)
    if status >= 400 and watch is not None:
        watch.expected_failures.add(watch.origin + path)
    response = page.goto(path, wait_until="load")
    assert response is not None and response.status == status, (path, response and response.status)
    return response


INTERACTIVE = ("a[href], button, input:not([type=hidden]), select, textarea, summary, "
               "[tabindex]:not([tabindex='-1']), [role=button]")

_TAG_FOCUSABLES = """(selector) => {
  // the content of a closed <details> still has boxes in Chromium, but cannot be reached
  const folded = (el) => {
    const details = el.parentElement && el.parentElement.closest('details:not([open])');
    return details && !details.querySelector(':scope > summary').contains(el);
  };
  const visible = (el) => el.getClientRects().length > 0 && !el.disabled
    && getComputedStyle(el).visibility !== 'hidden' && !folded(el);
  // a group of radio buttons is one Tab stop: the checked one, or the first
  const tabStop = (el) => {
    if (el.type !== 'radio' || !el.name) return true;
    const group = [...(el.form || document).querySelectorAll('input[type=radio]')]
      .filter((other) => other.name === el.name && visible(other));
    const checked = group.find((other) => other.checked);
    return el === (checked || group[0]);
  };
  return [...document.querySelectorAll(selector)].filter(visible).filter(tabStop).map((el, i) => {
    el.dataset.kbIndex = String(i);
    const style = getComputedStyle(el);
    const label = (el.innerText || el.value || el.name || el.tagName).trim().slice(0, 40);
    return {index: i, label,
            tag: el.tagName.toLowerCase(), outline: style.outline, shadow: style.boxShadow};
  });
}"""

_ACTIVE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  // the outline is drawn outside the element, over its parent's background
  let behind = 'rgb(255, 255, 255)';
  for (let node = el.parentElement; node; node = node.parentElement) {
    const bg = getComputedStyle(node).backgroundColor;
    if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') { behind = bg; break; }
  }
  const box = el.getBoundingClientRect();
  return {index: el.dataset.kbIndex ?? null, id: el.id, tag: el.tagName.toLowerCase(),
          label: (el.innerText || el.value || '').trim().slice(0, 40),
          outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
          outline: style.outline, outlineColor: style.outlineColor, behind,
          shadow: style.boxShadow,
          box: {x: box.x, y: box.y, width: box.width, height: box.height},
          viewport: {width: window.innerWidth, height: window.innerHeight}};
}"""


def focusables(page) -> list[dict]:
    """Visible interactive elements in DOM order, each tagged with ``data-kb-index``."""
    return page.evaluate(_TAG_FOCUSABLES, INTERACTIVE)


def active_element(page) -> dict | None:
    return page.evaluate(_ACTIVE)


def tab_through(page, limit: int) -> list[dict]:
    """Press Tab until focus leaves the page or comes back round; the elements focused."""
    seen: list[dict] = []
    for _ in range(limit + 10):
        page.keyboard.press("Tab")
        current = active_element(page)
        if current is None or (seen and current["index"] == seen[0]["index"]):
            break
        if seen and current["index"] == seen[-1]["index"]:
            continue  # Tab moved between the parts of one field (a date's year, month, day)
        seen.append(current)
        if len(seen) > limit:
            break
    return seen


def _luminance(css_colour: str) -> float:
    """Relative luminance (WCAG 2.1) of an ``rgb(…)``/``rgba(…)`` computed colour."""
    values = css_colour[css_colour.index("(") + 1:css_colour.index(")")].replace(",", " ").split()
    channels = [float(v) / 255 for v in values[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def has_visible_focus(focused: dict, unfocused: dict) -> bool:
    """A focus ring the element did not have before focus, visible against what is behind it.

    An outline of at least 2 px with 3:1 contrast against the background it is
    drawn on (WCAG 1.4.11 non-text contrast), or a box shadow that appeared.
    """
    changed = (focused["outline"], focused["shadow"]) != (unfocused["outline"], unfocused["shadow"])
    outline = (focused["outlineStyle"] != "none" and focused["outlineWidth"] >= 2
               and contrast_ratio(focused["outlineColor"], focused["behind"]) >= 3)
    return changed and (outline or focused["shadow"] != "none")


_TARGETS = """(selector) => {
  const ownText = (el) => {
    const parent = el.parentElement;
    if (!parent) return '';
    let text = '';
    for (const node of parent.childNodes) {
      if (node !== el) text += node.textContent;
    }
    return text.replace(/[\\s:：、。,.()（）·|]/g, '');
  };
  return [...document.querySelectorAll(selector)]
    .filter((el) => el.getClientRects().length && !el.classList.contains('skip-link'))
    .map((el) => {
      const style = getComputedStyle(el);
      // a checkbox or radio button is tapped through the label wrapped around it
      const wrapper = ['checkbox', 'radio'].includes(el.type) ? el.closest('label') : null;
      const box = (wrapper || el).getBoundingClientRect();
      return {label: (el.innerText || el.value || el.tagName).trim().slice(0, 40),
              width: Math.round(box.width * 10) / 10, height: Math.round(box.height * 10) / 10,
              inlineInText: style.display === 'inline' && ownText(el).length > 0,
              underlined: style.textDecorationLine.includes('underline')};
    });
}"""


def touch_targets(page) -> list[dict]:
    """Interactive elements with their size and whether they sit inside running text.

    The rule (WCAG 2.5.5's "inline" exception): a link that is part of a sentence,
    i.e. displayed inline next to other text of its parent, is sized by the text
    it sits in and is exempt from 44×44 px; it must be underlined instead so it
    can be told apart from the text. Everything else must be at least 44×44 px.
    A checkbox or radio button wrapped in its label is measured by the label.
    The skip link is off-screen until focused and is measured by the keyboard test.
    """
    # Sizes come from the stylesheet: measure once it has loaded. A page that a click led to
    # shows its text before its CSS arrives, and a busy machine measured it unstyled.
    page.wait_for_load_state("load")
    return page.evaluate(_TARGETS, INTERACTIVE.replace(", [tabindex]:not([tabindex='-1'])", ""))


def scroll_width(page) -> int:
    page.wait_for_load_state("load")  # styled, as touch_targets
    return page.evaluate("document.scrollingElement.scrollWidth")


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
                                        nodes: v.nodes.map((n) => n.target.join(' '))}));
}"""


@functools.cache
def _axe_source() -> str:
    return AXE_SOURCE_FILE.read_text(encoding="utf-8")


def load_axe_in_every_page(context) -> None:
    """Give each page of ``context`` axe-core as it opens (an init script, which the
    page's CSP does not govern either): sending the 550 KB source from Python for each
    page took as long as axe's run itself, over the page sweep's 400 runs."""
    context.add_init_script(script=_axe_source())


def run_axe(page) -> list[dict]:
    """axe-core's violations for the current page.

    Where the page's context has no :func:`load_axe_in_every_page`, ``page.evaluate``
    sends the source through the DevTools protocol (Runtime.evaluate), which the page's
    CSP does not govern; nothing is added to the DOM and the app's strict
    ``script-src 'self'`` stays in force for the page's own scripts.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source() + "\n;void 0")
    return page.evaluate(_AXE_RUN, AXE_TAGS)


_OUTLINE = """() => {
  const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .map((h) => Number(h.tagName[1]));
  const landmark = (selector) => document.querySelectorAll(selector).length;
  return {lang: document.documentElement.lang, headings,
          main: landmark('main'), banner: landmark('body > header'),
          contentinfo: landmark('body > footer'), nav: landmark('nav'),
          navLabels: [...document.querySelectorAll('nav')].map((n) => n.getAttribute('aria-label')),
          title: document.title};
}"""


def document_outline(page) -> dict:
    """``lang``, heading levels in order, landmark counts and the title."""
    return page.evaluate(_OUTLINE)


# htmx marks what it is requesting, swapping and settling; the new content's hx-
# attributes come alive when it has settled (20 ms after the swap by default).
_HTMX_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"


def htmx_settled(page) -> None:
    """Wait until htmx has finished its swap and settled what it swapped in.

    A click on a button htmx has just put in the page, before it settles, is the
    browser's own form post (a whole new page): right for a person, but a test that
    checks the swap must act on the settled page. On a busy machine the 20 ms grow.
    """
    page.wait_for_function(f"() => !document.querySelector({_HTMX_BUSY!r})")


def follow(page, locator) -> None:
    """Click a link or submit button and wait until the page it leads to has loaded.

    ``wait_for_url`` alone returns at once when the next page has the same URL
    (the language switch redirects back to where it was), before the new
    document has arrived.
    """
    with page.expect_navigation(wait_until="load"):
        locator.click()


def small_targets(page) -> list[str]:
    """Controls under 44×44 px (``label size``), or inline links that are not underlined."""
    targets = touch_targets(page)
    assert targets, "no interactive element measured"
    too_small = [f"{t['label']} {t['width']}×{t['height']}" for t in targets
                 if not t["inlineInText"]
                 and (t["width"] < MIN_TARGET_PX or t["height"] < MIN_TARGET_PX)]
    # links inside a sentence are exempt from the size, not from being recognisable
    return too_small + [f"{t['label']} not underlined" for t in targets
                        if t["inlineInText"] and not t["underlined"]]
