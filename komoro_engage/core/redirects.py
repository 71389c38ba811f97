"""Keep redirects on our own site."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from flask import url_for


def is_safe_path(target: str | None) -> bool:
    """True only for a local absolute path such as ``/proposals?page=2``.

    Refuses scheme-relative (``//x``), backslash (``/\\x``), scheme (``https:x``)
    and their percent-encoded or control-character forms.
    """
    if not target or not isinstance(target, str):
        return False
    for candidate in (target, unquote(target)):
        if not candidate.startswith("/") or candidate.startswith(("//", "/\\")):
            return False
        if "\\" in candidate or any(ord(ch) < 32 or ord(ch) == 127 for ch in candidate):
            return False
        parts = urlsplit(candidate)
        if parts.scheme or parts.netloc:
            return False
    return True


def safe_next(target: str | None, fallback_endpoint: str = "plan.home") -> str:
    """``target`` if it is one of our paths, else the fallback page's URL."""
    return target if is_safe_path(target) else url_for(fallback_endpoint)
