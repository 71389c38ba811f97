"""Small facts a page reads on every request, asked in the statement that loads the
signed-in person instead of one statement each.

Every signed-in page showed the bell's unread count and checked the plan's version
(core/fragments.py) in statements of their own after loading the person: on
PostgreSQL each is a round trip, a sixth of a list page's statements (issue 16). A
package registers its fact here as a scalar subquery of the person's id; the person's
loader (accounts) asks them all with the person and keeps the answers for the request.

Only reads keep them: a GET writes nothing, so a fact read first is still true when the
page shows it. A request that writes (a POST, a GET marked ``writes_on_get``) may change
one (marking notifications read, then rendering the bell), so it asks each fact when
its page needs it, as before.

A page's own statement may bring facts about the reader too (are they a member of this
project?): :func:`keep_answers` keeps them under keys their packages name, and
:func:`known` answers from them, on reads only, as above. A fact another package owns
(do they follow this item?) is registered as an item fact: the item's statement asks
every one (:func:`item_fact_columns`) and keeps them (:func:`keep_item_facts`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from typing import Any

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import BindParameter, ColumnElement, Select, bindparam

from komoro_engage.sqlite_engine import request_writes

_G_NAME = "request_facts"
PERSON_ID = "id"
READER_ID = "reader_id"  # in a page's statement that reads its reader's facts

# name → (the fact as a scalar subquery of the person's id (a bound parameter), the
# endpoints whose requests ask it, None for every one)
_facts: dict[str, tuple[Callable[[BindParameter], ColumnElement[Any]], tuple[str, ...] | None]] = {}


def register_fact(name: str, column_for: Callable[[BindParameter], ColumnElement[Any]],
                  endpoints: tuple[str, ...] | None = None) -> None:
    """Ask ``column_for(person_id)`` with the signed-in person on every read request, or
    only on those of ``endpoints`` (a fact one page shows: the home page's poll)."""
    _facts[name] = (column_for, endpoints)
    _names_for.cache_clear()


def with_facts(person_statement: Select) -> tuple[Select, tuple[str, ...]]:
    """``person_statement`` (bound by :data:`PERSON_ID`) with every registered fact this
    request's page asks as a further column, and the facts' names in column order."""
    names = _names_for(request.endpoint if has_request_context() else None)
    return _built(person_statement, names), names


@functools.cache
def _names_for(endpoint: str | None) -> tuple[str, ...]:
    # Chosen once per endpoint: every signed-in read asks.
    return tuple(name for name, (_column, endpoints) in _facts.items()
                 if endpoints is None or endpoint in endpoints)


@functools.cache
def _built(person_statement: Select, names: tuple[str, ...]) -> Select:
    # Built once for each set of facts: building a statement costs more than running it.
    person_id = bindparam(PERSON_ID)
    return person_statement.add_columns(*(_facts[name][0](person_id).label(f"fact_{name}")
                                          for name in names))


def asks_facts() -> bool:
    """Whether this request reads its facts with the person: one that does not write."""
    return not request_writes()


def keep(names: tuple[str, ...], values) -> None:
    """The facts read with the person, for :func:`fact` to answer from."""
    keep_answers(dict(zip(names, values, strict=True)))


def reader_id() -> int | None:
    """The signed-in person's id when their facts may be read with the page's subject
    (a read request, :func:`asks_facts`), else None: bind it as :data:`READER_ID`."""
    if has_request_context() and current_user.is_authenticated and asks_facts():
        return current_user.id
    return None


ItemFactColumn = Callable[[str, ColumnElement, BindParameter], ColumnElement[Any]]
# name → (a fact about the reader and one item, as a column of the item's kind, its id
# column and the reader's id (a bound parameter), for the item's own statement to ask;
# the kinds of item it is about, None for every kind).
_item_facts: dict[str, tuple[ItemFactColumn, tuple[str, ...] | None]] = {}
_ITEM_FACT = "item_fact_"


def register_item_fact(name: str, column_for: ItemFactColumn,
                       kinds: tuple[str, ...] | None = None) -> None:
    """Let a page's statement about an item ask ``column_for(kind, item_id, reader_id)``
    of its reader (notifications: do they follow it?): the package that loads the item
    need not know the package that owns the fact. ``kinds``: only these items' pages ask
    it (a project's poll); the column may leave the reader out."""
    _item_facts[name] = (column_for, kinds)


def item_fact_columns(kind: str, item_id: ColumnElement) -> list[ColumnElement[Any]]:
    """Every registered item fact about the reader (bound as :data:`READER_ID`) and the
    ``kind`` item whose id is ``item_id``, as labelled columns for the item's statement."""
    reader = bindparam(READER_ID)
    return [column_for(kind, item_id, reader).label(_ITEM_FACT + name)
            for name, (column_for, kinds) in _item_facts.items()
            if kinds is None or kind in kinds]


def item_fact_key(name: str, kind: str, item_id: int, reader: int) -> tuple:
    return (_ITEM_FACT, name, kind, item_id, reader)


def keep_item_facts(kind: str, item_id: int, reader: int, row) -> None:
    """The item facts ``row`` holds (from :func:`item_fact_columns`), for :func:`known`."""
    keep_answers({item_fact_key(field.removeprefix(_ITEM_FACT), kind, item_id, reader): value
                  for field, value in zip(row._fields, row, strict=True)
                  if field.startswith(_ITEM_FACT)})


def keep_answers(answers: dict) -> None:
    """Facts a page's statement read with its subject (only when :func:`asks_facts`), by
    their packages' keys, for :func:`known` to answer from."""
    g.setdefault(_G_NAME, {}).update(answers)


def known(key: Hashable, ask: Callable[[], Any]) -> Any:
    """``key``'s fact as the person's statement (a registered fact's name) or the page's
    statement read it, else ``ask()``.

    What is asked is not kept, unlike :func:`fact`: a request that writes may change the
    answer between two questions (joining a project, then showing its page)."""
    kept = g.get(_G_NAME)
    if kept is not None and key in kept:
        return kept[key]
    return ask()


def fact(name: str, ask: Callable[[], Any]) -> Any:
    """This request's ``name``: as read with the person, else ``ask()`` once."""
    kept = g.setdefault(_G_NAME, {})
    if name not in kept:
        kept[name] = ask()
    return kept[name]
