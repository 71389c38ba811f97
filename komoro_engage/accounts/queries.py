"""Read-side helpers of the accounts feature."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import Select

from komoro_engage.core.numbers import page_number
from komoro_engage.core.sql import PAGE_LIMIT, PAGE_OFFSET, written_slice
from komoro_engage.extensions import db


@dataclass
class Page:
    items: list[Any]
    number: int
    has_next: bool

    @property
    def has_prev(self) -> bool:
        return self.number > 1


def page_of(query: Select, page_arg: str | None, scalars: bool = True,
            kept: bool = False, values: dict | None = None) -> Page:
    """One page of ``query`` in a single statement (one extra row tells if there is more).

    LIMIT and OFFSET are written into the SQL (``written_slice``): as parameters,
    PostgreSQL planned the staff queue's card statement afresh on every request (1.7 ms
    to plan, 0.7 ms to run; issue 16). ``kept``: ``query`` is built once and already cut
    by ``core.sql.kept_slice``; the page's numbers go in as its parameters, beside its
    other ``values``."""
    number = page_number(page_arg)
    size = current_app.config["PAGE_SIZE"]
    limit, offset = size + 1, (number - 1) * size
    params = dict(values or {})
    if kept:
        params |= {PAGE_LIMIT: limit, PAGE_OFFSET: offset}
    else:
        query = written_slice(query, limit, offset)
    result = (db.session.scalars(query, params) if scalars
              else db.session.execute(query, params))
    rows = list(result.unique().all() if scalars else result.all())
    return Page(items=rows[:size], number=number, has_next=len(rows) > size)
