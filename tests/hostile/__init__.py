"""Hostile input for every route: values, how they are put into a URL or a form, and a
request class that notes which query and form names a view reads.

tests/security/test_hostile_input.py puts each value into every path variable, every
declared query parameter (``query_parameters.py``) and every form field a view reads,
and requires an answer below 500. Values are ``str`` (sent as UTF-8) or ``bytes``
(sent as they are, for invalid UTF-8).
"""

from __future__ import annotations

from urllib.parse import quote, quote_plus

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.utils import cached_property

Value = str | bytes

# Path variables.
URL_VALUES: list[Value] = [
    "99999999999999999999",  # past 64 bits: SQLite's driver refuses it
    "2147483648",  # one past PostgreSQL's INTEGER
    "2147483647",  # the largest INTEGER: reaches the view
    "-1", "0", "1.5",
    "²",  # "²".isdigit() is true, int("²") fails
    "１２",  # full-width digits: int() reads them
    "\x00",  # PostgreSQL refuses NUL in text
    "a\x01\x1b\x7f\u0085\r\n\tb",  # other control characters
    b"\xff\xfe\xc3",  # invalid UTF-8
    "9" * 5000,  # longer than int() parses (4,300 digits)
    "not-a-value",  # unknown enum value
    "9999-12-31", "0001-01-01",  # the last and first dates Python knows
    "..", "%",
]

# Query parameters: every declared one at once. The parsing of a query string does not
# depend on who asks, so the first person gets them all and the others the first three.
QUERY_VALUES: list[Value] = [
    "99999999999999999999", "\x00", b"\xff\xfe\xc3",
    "2147483648", "-1", "²", "a\x01\x1b\x7f\u0085\r\n\tb", "9" * 5000, "not-a-value",
    "9999-12-31", "0001-01-01",
]

# Form fields: one field at a time, the others keeping valid values.
FORM_VALUES: list[Value] = [
    "\x00", "line\r\nbreak", b"\xff\xfe\xc3", "x" * 20_000,
    "99999999999999999999", "-1", "²", "NaN", "1e400",
]


def url_part(value: Value) -> str:
    """``value`` percent-encoded for a path segment or a query value (``/`` included)."""
    return quote(value, safe="")


def query_string(names, value: Value) -> str:
    return "&".join(f"{quote(name)}={url_part(value)}" for name in names)


def form_body(pairs: list[tuple[str, Value]]) -> str:
    """An application/x-www-form-urlencoded body; ``bytes`` values go in unchanged."""
    return "&".join(f"{quote_plus(name)}={quote_plus(value)}" for name, value in pairs)


def form_pairs(data: dict) -> list[tuple[str, Value]]:
    """A form dict (values may be lists, as the access table writes them) as pairs."""
    pairs = []
    for name, value in data.items():
        for one in value if isinstance(value, list | tuple) else [value]:
            pairs.append((name, one))
    return pairs


class ReadNames:
    """The query and form names views asked for since ``clear``."""

    def __init__(self) -> None:
        self.args: set[str] = set()
        self.form: set[str] = set()

    def clear(self) -> None:
        self.args.clear()
        self.form.clear()


READ = ReadNames()


def _recording(into: set[str]) -> type[ImmutableMultiDict]:
    class Recording(ImmutableMultiDict):
        def __getitem__(self, key):
            into.add(key)
            return super().__getitem__(key)

        def get(self, key, default=None, type=None):
            into.add(key)
            return super().get(key, default, type)

        def getlist(self, key, type=None):
            into.add(key)
            return super().getlist(key, type)

        def __contains__(self, key):
            into.add(key)
            return super().__contains__(key)

    return Recording


_RecordingArgs = _recording(READ.args)


class RecordingRequest(Request):
    """The app's request, noting in ``READ`` which query and form names are read."""

    parameter_storage_class = _recording(READ.form)  # what the form parser builds

    @cached_property
    def args(self):
        return _RecordingArgs(super().args)
