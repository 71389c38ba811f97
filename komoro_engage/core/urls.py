"""Blueprints whose URLs are listed in one table, read like a routes file.

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

from collections.abc import Iterable
from types import ModuleType

from flask import Blueprint

METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})


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
