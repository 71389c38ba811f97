"""Vocabularies of labels (value → translated name) that features publish for others.

A feature that shows another feature's values (a notification saying a proposal
is now 「採用」) asks here by the vocabulary's name instead of importing the
owner's labels. Labels are lazy strings, so each reader sees their language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_vocabularies: dict[str, Mapping[str, Any]] = {}


def register_labels(name: str, labels: Mapping[str, Any]) -> None:
    """Publish ``labels`` as the vocabulary ``name`` (registering it again replaces it)."""
    _vocabularies[name] = labels


def label(name: str, value: str) -> str:
    """The label of ``value`` in ``name`` in the current language, or ``value`` when unknown."""
    return str(_vocabularies.get(name, {}).get(value, value))
