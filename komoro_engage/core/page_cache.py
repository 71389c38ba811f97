"""Pages rendered for signed-out visitors, kept until the data they show changes.

Most traffic on a civic platform is people reading without an account: the
proposal list, a proposal shared on LINE, the plan. For them a page depends
only on its address, the language, the htmx headers and the data, so each
worker keeps what it rendered under those plus the content version
(``core/content_version.py``): any commit that changes public data moves the
version and the next visitor gets a fresh page. Keeping costs one query per
request (the version); ``PAGE_CACHE_SECONDS`` also bounds how long a page may
show time-dependent text ("3 days left"), and 0 switches the cache off.

Never kept: signed-in people (their buttons, bell and drafts), a visitor with
a flash message waiting, anything but a 200, and a page that put a real CSRF
token into its HTML. The CSRF token is the one per-visitor value on these
pages: it is rendered as a placeholder and each response gets its visitor's
own token in its place.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from functools import partial, wraps

from flask import Flask, Response, current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from komoro_engage.core.content_version import current_version
from komoro_engage.core.display import display_key
from komoro_engage.core.i18n import language_key
from komoro_engage.core.transaction import on_commit

EXTENSION = "komoro_page_cache"
HEADER = "X-Komoro-Cache"
# Headers an htmx request carries that change what the same address answers.
HTMX_HEADERS = ("HX-Request", "HX-Boosted", "HX-History-Restore-Request", "HX-Target")
_RENDERING = "page_cache_rendering"
_KEPT_CSRF = "page_cache_csrf"  # the g attribute holding this request's token
_READING = "page_cache_reading"
# Stands for the visitor's CSRF token while a page is rendered; unguessable per process.
PLACEHOLDER = f"page-cache-csrf-{secrets.token_hex(16)}"


@dataclass(frozen=True)
class KeptPage:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    kept_at: float


class PageCache:
    """One worker's pages for the current content version, oldest dropped first."""

    def __init__(self, seconds: int, max_bytes: int):
        self.seconds, self.max_bytes = seconds, max_bytes
        self.placeholder = PLACEHOLDER
        self._pages: dict[tuple, KeptPage] = {}
        self._version: int | None = None
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, version: int, key: tuple) -> KeptPage | None:
        with self._lock:
            if version != self._version:
                return None
            page = self._pages.get(key)
        if page is None or time.monotonic() - page.kept_at > self.seconds:
            return None
        return page

    def put(self, version: int, key: tuple, page: KeptPage) -> None:
        with self._lock:
            if version != self._version:  # the data changed: every kept page is stale
                self._pages.clear()
                self._version, self._bytes = version, 0
            old = self._pages.pop(key, None)
            self._bytes += len(page.body) - (len(old.body) if old else 0)
            self._pages[key] = page
            while self._bytes > self.max_bytes and self._pages:
                oldest = next(iter(self._pages))
                self._bytes -= len(self._pages.pop(oldest).body)


def init_app(app: Flask) -> None:
    """Switch the cache on when ``PAGE_CACHE_SECONDS`` > 0 (production's default)."""
    # Flask-WTF offers its generate_csrf both ways; ours must win in both.
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["csrf_field"] = csrf_field
    app.context_processor(lambda: {"csrf_token": csrf_token})
    seconds = int(app.config.get("PAGE_CACHE_SECONDS", 0))
    if seconds > 0:
        app.extensions[EXTENSION] = PageCache(seconds, int(app.config["PAGE_CACHE_MAX_BYTES"]))


def csrf_token() -> str:
    """The template global: the visitor's token, or the placeholder while a page is kept."""
    if g.get(_RENDERING):
        return PLACEHOLDER
    # Kept for the request: a page asks a few dozen times (a delete form per comment) and
    # Flask-WTF's own look-up reads two settings from the app's config each time.
    token = g.get(_KEPT_CSRF)
    if token is None:
        token = generate_csrf()
        setattr(g, _KEPT_CSRF, token)
    return token


def csrf_field() -> Markup:
    """The hidden CSRF field of a form without a WTForms field of its own (the display
    settings' forms): the same input Flask-WTF's ``form.csrf_token`` renders, without an
    ``id``."""
    return csrf_input(csrf_token())


def csrf_input(value: str) -> Markup:
    """The hidden CSRF input holding ``value``: the token, or a marker written over later
    (core/kept_cards.py)."""
    name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    return Markup('<input type="hidden" name="{}" value="{}">').format(name, value)


def visitor_key() -> tuple | None:
    """What a signed-out visitor's page depends on besides the data; None: do not keep."""
    if request.method not in ("GET", "HEAD") or "_flashes" in session:
        return None
    if current_user.is_authenticated:
        return None
    return (request.full_path, language_key(), *display_key(),
            *(request.headers.get(name) for name in HTMX_HEADERS))


def for_visitors(view):
    """Serve signed-out visitors this view's page from the cache when the data is unchanged.

    With the cache on or off, a visitor's page is rendered with the token placeholder, so
    ``is_reading_page`` can tell a page the same for every visitor from one with a form.
    """

    @wraps(view)
    def kept_or_rendered(*args, **kwargs):
        key = visitor_key()
        if key is None:
            return view(*args, **kwargs)
        cache: PageCache | None = current_app.extensions.get(EXTENSION)
        version = current_version() if cache is not None else None
        page = cache.get(version, key) if cache is not None else None
        state, reading = "hit", True
        if page is None:
            state, page = "miss", _render(view, args, kwargs)
            reading = not _real_token_rendered()
            if cache is not None and reading and page.status == 200:
                # Only once the request commits: never for data its transaction rolls back.
                on_commit(partial(cache.put, version, key, page))
        setattr(g, _READING, reading)
        token = generate_csrf().encode()
        response = Response(page.body.replace(PLACEHOLDER.encode(), token),
                            page.status, page.headers)
        if cache is not None:
            response.headers[HEADER] = state
        return response

    return kept_or_rendered


def is_reading_page() -> bool:
    """Whether this response is a visitor's page with no form of its own: the same for every
    visitor but for the CSRF token of the language switch (``core/cache_headers.py``)."""
    return bool(g.get(_READING))


def _real_token_rendered() -> bool:
    """Flask-WTF keeps the token it generated on ``g``: a form field rendered one itself."""
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") in g


def _render(view, args, kwargs) -> KeptPage:
    setattr(g, _RENDERING, True)
    try:
        response = current_app.make_response(view(*args, **kwargs))
    finally:
        g.pop(_RENDERING, None)
    return KeptPage(response.status_code, list(response.headers.items()),
                    response.get_data(), time.monotonic())
