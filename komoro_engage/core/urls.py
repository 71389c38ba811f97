"""Blueprints whose URLs are listed in one table, read like a routes file, and what a URL
may carry (``init_app``): ``<int:…>`` within the database's integers, no NUL byte.

One line per URL: the methods, the rule, and the view as ``module.function``
among the view modules given; ``#`` starts a comment line. The endpoint is
``<blueprint name>.<function>``. A mistyped view fails when the app is built,
not on the first request::

    bp = blueprint("proposals", __name__, views=(pages,), urls='''
        GET        /proposals                           pages.index
        GET POST   /proposals/<int:proposal_id>/edit    pages.edit
    ''')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import ModuleType

from flask import Blueprint, Flask, abort, current_app, request, url_for
from werkzeug.routing import IntegerConverter

from komoro_engage.core.numbers import DB_INT_MAX

METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})


# The menu's and footer's links on every page: routes without arguments, whose URL depends
# only on where the app is mounted. Built once each (url_for is ~20 µs, ~15 per page).
_fixed_urls: dict[tuple[str, str], str] = {}


def site_url(endpoint: str) -> str:
    """``url_for(endpoint)`` for a route that takes no arguments, built once per mount."""
    key = (request.script_root, endpoint)
    url = _fixed_urls.get(key)
    if url is None:
        url = _fixed_urls[key] = url_for(endpoint)
    return url


_static_urls: dict[tuple[str, str], str] = {}


def static_url(filename: str) -> str:
    """``url_for("static", filename=…)``, with the file's version (core/static_files.py),
    built once per mount and file: the three of every page's head were a twentieth of
    home's calls (issue 16). In debug each is built afresh, as a file being edited
    changes its version."""
    if current_app.debug:
        return url_for("static", filename=filename)
    key = (request.script_root, filename)
    url = _static_urls.get(key)
    if url is None:
        url = _static_urls[key] = url_for("static", filename=filename)
    return url


def blueprint(name: str, import_name: str, *, views: Iterable[ModuleType], urls: str,
              **options) -> Blueprint:
    """A Flask blueprint with every URL of ``urls`` added (see the module docstring)."""
    bp = Blueprint(name, import_name, **options)
    modules = {module.__name__.rpartition(".")[2]: module for module in views}
    for line in urls.splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        methods = [word for word in words if word in METHODS]
        module_name, _, function = words[-1].partition(".")
        view = getattr(modules[module_name], function)
        rule = " ".join(words[len(methods):-1])
        bp.add_url_rule(rule, view_func=view, methods=methods)
    return bp


def id_url(endpoint: str, id_arg: str, **values) -> Callable[[int], str]:
    """``url_for(endpoint, **values, id_arg=…)`` for each of many ids at the cost of one.

    A page of thirty comments built each comment's edit, report and delete links with
    ``url_for`` (about 20 µs each); the URLs differ only in the id, so the route is
    built once with a marker where the id goes and each link is a string join.
    """
    marker = str(DB_INT_MAX)  # no real id is this large (``<int:>`` refuses larger)
    head, found, tail = url_for(endpoint, **values, **{id_arg: marker}).partition(marker)
    if not found:
        raise ValueError(f"{endpoint} does not put {id_arg} in its URL")
    return lambda value: f"{head}{int(value)}{tail}"


class DatabaseIntConverter(IntegerConverter):
    """``<int:…>`` up to the database's INTEGER: a larger id cannot exist, so it is not
    found (404) instead of an overflow in the database driver."""

    def __init__(self, map, fixed_digits=0, min=None, max=DB_INT_MAX, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


def refuse_nul() -> None:
    """A NUL byte in the path (404) or the query string (400) ends the request before any
    view: PostgreSQL refuses NUL in text, so it would fail in the database otherwise."""
    if "\x00" in request.path:
        abort(404)
    if any("\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)):
        abort(400)


def init_app(app: Flask) -> None:
    """Call before registering blueprints: their rules take the converter when added."""
    app.url_map.converters["int"] = DatabaseIntConverter
    app.before_request(refuse_nul)
