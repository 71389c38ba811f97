"""Text rules for user writing: counting characters as people do, and plain-text display."""

from __future__ import annotations

import re as std_re

import regex
from markupsafe import Markup, escape

# Only http(s) links become links; the URL stops at whitespace or characters that
# usually end a sentence around a link in Japanese and English text.
_URL = std_re.compile(r"https?://[^\s<>\"'「」『』（）()、。]+")


def grapheme_length(text: str) -> int:
    """Characters as a person counts them: 👨‍👩‍👧 or が (か + ゛) are one each."""
    return len(regex.findall(r"\X", text))


def plain_text_html(text: str) -> Markup:
    """User text as safe HTML: everything escaped, line breaks kept, http(s) links linked."""
    parts: list[str] = []
    position = 0
    for match in _URL.finditer(text):
        url = match.group(0)
        parts.append(str(escape(text[position:match.start()])))
        parts.append(
            f'<a href="{escape(url)}" rel="nofollow ugc noopener" '
            f'target="_blank">{escape(url)}</a>'
        )
        position = match.end()
    parts.append(str(escape(text[position:])))
    html = "".join(parts).replace("\r\n", "\n").replace("\n", "<br>\n")
    return Markup(html)  # noqa: S704 - every piece above is escaped
