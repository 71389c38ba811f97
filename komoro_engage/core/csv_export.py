"""The one CSV writer: every download in CSV goes through :func:`csv_response`.

Spreadsheets run a cell as a formula when it starts with ``=``, ``+``, ``-`` or
``@`` ("CSV injection"); Excel also reads their full-width forms (＝ ＋ － ＠),
and a tab or carriage return before them, or any leading whitespace (the
full-width space U+3000 included), still lets the formula through. So every text
cell that starts with one of these, or with whitespace and then one of them, gets
a leading single quote, as OWASP recommends: the spreadsheet shows the text and
runs nothing.

Numbers the app writes as numbers (``int``, ``float``, ``Decimal``) are written
plainly, so a real -3.5 stays a number a spreadsheet can add up. Text that only
looks like a number (a title "-5") is text and is quoted like any other: whether
a cell is safe depends on who chose its type, never on what someone typed.

UTF-8 with a byte order mark, so Excel opens Japanese text correctly; rows stream
in batches, so a long export never sits in memory.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from flask import Response, stream_with_context

CONTENT_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"
# What makes a spreadsheet read a cell as a formula, in ASCII and full width.
FORMULA_START = frozenset("=+-@\t\r＝＋－＠")
BATCH_CHARS = 32_000


def needs_quote(text: str) -> bool:
    """True when a spreadsheet could run ``text`` as a formula."""
    return text[:1] in FORMULA_START or text.lstrip()[:1] in FORMULA_START


def cell(value) -> str:
    """One CSV cell: numbers as written, any other value as neutralised text."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if needs_quote(text) else text


def csv_lines(rows: Iterable[Sequence]) -> Iterator[str]:
    """The file's text in batches: the BOM, then every row with its cells neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    for row in rows:
        writer.writerow([cell(value) for value in row])
        if buffer.tell() > BATCH_CHARS:
            yield _take(buffer)
    yield _take(buffer)


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def csv_response(rows: Iterable[Sequence], filename: str) -> Response:
    """A CSV download of ``rows`` (the header first), streamed; ``filename`` is ASCII.

    ``rows`` may be a generator that reads the database: it runs while the body is
    sent, inside the request's context. Exports hold data a person may not share,
    so no cache keeps them.
    """
    return Response(stream_with_context(csv_lines(rows)), content_type=CONTENT_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, no-store"})
