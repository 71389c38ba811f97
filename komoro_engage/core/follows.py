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


# What an item belongs to that can be followed too: a proposal's district, policy areas
# and linked measures. Their followers hear of the item as well.
Scopes = Callable[[int], list[tuple[str, int]]]

_scopes: dict[str, Scopes] = {}


def register_scopes(kind: str, scopes: Scopes) -> None:
    """Followers of ``scopes(id)`` (``[("district", 3), ("policy_area", 1)]``) hear of the
    item of ``kind`` as its own followers do."""
    _scopes[kind] = scopes


def plan_scopes(item) -> list[tuple[str, int]]:
    """An item's policy areas, measures and district (a proposal's, a project's): their
    followers hear of it too. Nothing for a missing item."""
    if item is None:
        return []
    scopes = [("policy_area", area.id) for area in item.policy_areas]
    scopes += [("measure", measure.id) for measure in item.measures]
    if item.district_id is not None:
        scopes.append(("district", item.district_id))
    return scopes


def scopes_of(kind: str, ident: int) -> list[tuple[str, int]]:
    scopes = _scopes.get(kind)
    return scopes(ident) if scopes is not None else []
