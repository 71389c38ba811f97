"""Jinja filters and globals shared by every template, and the layout's data.

Features put data in the layout (the header on every page) by registering a
provider with :func:`register_layout_data`; it runs once per request, before
the page renders, and the templates read ``layout[name]``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from flask import Flask, g, has_request_context, request
from flask.templating import Environment

from komoro_engage.core import display
from komoro_engage.core.chrome import chrome_path_marker, site_chrome
from komoro_engage.core.dates import people_date, people_time, time_span, time_tag
from komoro_engage.core.htmx import wants_fragment
from komoro_engage.core.i18n import (
    current_language,
    easy_japanese,
    localized,
    localized_easy,
)
from komoro_engage.core.kept_cards import kept_cards, kept_csrf_field
from komoro_engage.core.sections import page_section
from komoro_engage.core.text import plain_text_html
from komoro_engage.core.urls import id_url, site_url, static_url


class _Globals(dict):
    """The environment's globals; a change after templates were loaded drops them (the
    compiled templates stay), so each is loaded again with a copy that has it."""

    def __init__(self, environment: Environment, names: dict):
        super().__init__(names)
        self._environment = environment

    def _changed(self) -> None:
        cache = getattr(self._environment, "cache", None)
        if cache is not None:
            cache.clear()

    def __setitem__(self, key, value):
        self._changed()
        super().__setitem__(key, value)

    def __delitem__(self, key):
        self._changed()
        super().__delitem__(key)

    def update(self, *args, **kwargs):
        self._changed()
        super().update(*args, **kwargs)


class KomoroEnvironment(Environment):
    """Flask's Jinja environment, each template's globals a plain dict.

    Jinja gives each template a ChainMap over the environment's globals, read in Python:
    every render copied its ~90 names one ``__getitem__`` at a time, and every
    ``{% import %}`` compared them key by key, about 350 calls on a page with imports
    (issue 16). A dict copy is read in C. Jinja asks not to change globals once templates
    are loaded; if it happens, ``_Globals`` drops the loaded templates.
    """

    def __init__(self, app, **options):
        super().__init__(app, **options)
        self.globals = _Globals(self, self.globals)

    def make_globals(self, d):
        return {**self.globals, **(d or {})}


def register(app: Flask) -> None:
    app.jinja_env.filters["normalize_number"] = normalize_number
    # User text as safe HTML, and stored moments in Japan time as people read them.
    app.jinja_env.filters["plain_text"] = plain_text_html
    app.jinja_env.filters["when"] = people_time
    app.jinja_env.filters["people_date"] = people_date
    app.jinja_env.filters["time_span"] = time_span
    app.jinja_env.filters["time_tag"] = time_tag  # <time datetime> with people's form inside
    app.jinja_env.globals["localized"] = localized
    app.jinja_env.globals["localized_easy"] = localized_easy  # やさしい日本語 where staff wrote it
    app.jinja_env.globals["easy_japanese"] = easy_japanese
    app.jinja_env.globals["current_language"] = current_language
    # true while rendering the fragment an htmx request gets (for out-of-band updates)
    app.jinja_env.globals["htmx_fragment"] = wants_fragment
    app.jinja_env.globals["page_section"] = page_section
    # Links of a list's rows built once per page (see core.urls.id_url).
    app.jinja_env.globals["id_url"] = id_url
    # A list's cards and a page's comment threads, kept rendered
    app.jinja_env.globals["kept_cards"] = kept_cards
    app.jinja_env.globals["kept_csrf_field"] = kept_csrf_field
    # The header and footer, kept rendered by what they show (core/chrome.py)
    app.jinja_env.globals["site_chrome"] = site_chrome
    app.jinja_env.globals["chrome_path_marker"] = chrome_path_marker
    app.jinja_env.globals["site_url"] = site_url  # the menu's and footer's fixed links
    app.jinja_env.globals["static_url"] = static_url  # a static file's versioned URL

    @app.context_processor
    def _request_globals():
        # A fragment has no layout: its data would cost queries nobody sees.
        if not has_request_context():
            return {"current_path": "/", "layout": {}, **display.page_values()}
        path = request.full_path.rstrip("?")
        if wants_fragment():
            return {"current_path": path, "layout": {}}
        # The display's values as variables: a template's call of a global costs more.
        return {"current_path": path, "layout": layout_data(), **display.page_values(path)}


_layout_providers: dict[str, Callable[[], Any]] = {}


def register_layout_data(name: str, provider: Callable[[], Any]) -> None:
    """Give every whole page ``layout[name] = provider()`` (the bell's count, …)."""
    _layout_providers[name] = provider


def layout_data() -> dict[str, Any]:
    """What the registered providers give for this request: computed once, kept in ``g``.

    A view that sends part of the layout in a fragment (an out-of-band swap)
    passes ``layout=layout_data()`` itself.
    """
    if "layout_data" not in g:
        g.layout_data = {name: provider() for name, provider in _layout_providers.items()}
    return g.layout_data


def normalize_number(value: Decimal | float | int | None) -> str:
    """26.3000 → "26.3", 38279.00 → "38,279": numbers as a person writes them."""
    if value is None:
        return ""
    number = Decimal(str(value)).normalize()
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,f}"
