"""How a view gets the row it acts on: load it by id (404), then check the person may (403).

Every feature's views keep that order (load → 404, check → 403, act); this is it in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from komoro_engage.extensions import db

Row = TypeVar("Row")


def load_permitted(model: type[Row], ident: Any, allowed: Callable[[Any, Row], bool],
                   refused: int = 403, options: tuple = ()) -> Row:
    """The ``model`` row with primary key ``ident`` (404 if there is none) when
    ``allowed(current_user, row)``; otherwise abort with ``refused`` — 404 where the
    person must not learn that the row exists. ``options``: loader options for the row
    (what the view reads of it, in the same statement)."""
    row = db.get_or_404(model, ident, options=options)
    if not allowed(current_user, row):
        abort(refused)
    return row
