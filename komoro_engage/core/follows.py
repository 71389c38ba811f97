"""Followable items: what each feature lets people follow, named and linked by the feature.

Following (フォロー) belongs to the notifications package, which cannot read a
proposal or a 協働 project. Each feature that owns a followable kind registers
``items(ids) -> {id: FollowedItem}`` here from its own package, answering only
for the ids a person may follow now (public ones: a pending or hidden proposal
is left out). One query per kind, whatever the number of ids.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from flask import current_app, has_request_context, url_for


@dataclass(frozen=True)
class FollowedItem:
    title: str
    url: str


Items = Callable[[Collection[int]], dict[int, FollowedItem]]

_kinds: dict[str, Items] = {}


def register_followable(kind: str, items: Items) -> None:
    """Let people follow items of ``kind`` ("proposal", "project" …); again replaces it."""
    _kinds[kind] = items


def item_path(endpoint: str, **values) -> str:
    """The item's path, in a request (mounted like the site) or not (events of the CLI)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("localhost").build(endpoint, values)


def followable_items(kind: str, ids: Collection[int]) -> dict[int, FollowedItem]:
    """The followable ones among ``ids`` of ``kind`` (nothing for a kind nobody registered)."""
    items = _kinds.get(kind)
    return items(ids) if items is not None and ids else {}
