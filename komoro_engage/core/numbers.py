"""Numbers from outside (URLs, query strings, raw form values), kept within what the database
stores, so a typed or forged number is ignored or not found, never a database error.

Every id column is a 32-bit ``INTEGER`` on PostgreSQL; SQLite refuses Python ints past 64 bits.
Only ASCII digits count: ``"²".isdigit()`` is true, yet ``int("²")`` fails.
"""

from __future__ import annotations

import re

from flask import request

DB_INT_MAX = 2**31 - 1  # PostgreSQL's INTEGER, the type of every id column
MAX_PAGE = 100_000  # past any real list; keeps OFFSET small
_DIGITS = re.compile(r"[0-9]{1,10}")


def bounded_int(raw: str | None, low: int = 1, high: int = DB_INT_MAX) -> int | None:
    """``raw`` as an int when it is ASCII digits within ``low``..``high``; otherwise None."""
    if raw is None or not _DIGITS.fullmatch(raw):
        return None
    number = int(raw)
    return number if low <= number <= high else None


def positive_int(raw: str | None) -> int | None:
    """An id or count from a query string or form: 1..DB_INT_MAX, else None."""
    return bounded_int(raw)


def page_number(raw: str | None) -> int:
    """A list's ``page``: 1 when missing or malformed, at most ``MAX_PAGE``."""
    return min(positive_int(raw) or 1, MAX_PAGE)


def int_arg(name: str, low: int = 1, high: int = DB_INT_MAX) -> int | None:
    """The query argument ``name`` read by ``bounded_int``: malformed or out of range is None,
    as if it were not given (lists read their filters leniently)."""
    return bounded_int(request.args.get(name), low, high)
