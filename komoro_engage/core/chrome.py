"""The site's header (name, bell, language switch, menu) and footer, kept rendered.

Every page wrote them afresh: some thirty translations and a dozen links, a sixth of a
signed-in page's calls once its cards were kept (issue 16). What they show depends on a
few values: the language, the mount, whether the reader is signed in or staff, and their
unread count. Each combination is kept as a card (core/kept_cards.py). The page's own
address (the language switch's way back) and the CSRF token differ by request, so they
are markers in the kept markup, written over on each page.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import request
from markupsafe import Markup, escape

from komoro_engage.core.kept_cards import kept_cards, new_keeper

# Where the page's address goes; unguessable, as the kept card's CSRF marker.
_PATH_MARKER = f"kept-chrome-path-{secrets.token_hex(16)}"
# Three languages, visitor / resident / staff, unread counts 0 to 100, two parts: a
# few hundred at most, each about 3 KB.
_kept = new_keeper(1024)


@dataclass(frozen=True, slots=True)
class Chrome:
    """What the header or the footer shows (``part``)."""

    part: str
    script_root: str  # the mount, which every link starts with
    language_choice: str  # the switch offers the other language
    signed_in: bool = False
    staff: bool = False
    unread: int | None = None  # the bell's count; None: no bell (a visitor)


def site_chrome(part: str, *, current_path: str = "/", **shown) -> Markup:
    """The kept ``part`` ("header" or "footer") with this page's address and token."""
    chrome = Chrome(part, request.script_root, **shown)
    html = kept_cards("_site_chrome.html", (chrome,), keeper=_kept)
    if _PATH_MARKER in html:
        # str's replace: Markup's would escape the escaped address again
        html = Markup(str(html).replace(_PATH_MARKER, str(escape(current_path))))  # noqa: S704
    return html


def chrome_path_marker() -> str:
    """What the kept header writes where the page's address goes."""
    return _PATH_MARKER
