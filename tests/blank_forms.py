"""Helpers for the tests of kept blank forms (core/blank_forms.py)."""

from __future__ import annotations

import re


def token_of(form: str) -> str:
    """The CSRF token a rendered form carries."""
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)


def count_builds(monkeypatch, module, name: str) -> list:
    """Count the renders of the blank form that ``module.<name>`` builds: the times it
    was rendered rather than taken as kept (one entry of markers each)."""
    counted = []
    build = getattr(module, name)

    def counting(markers):
        counted.append(markers)
        return build(markers)
    monkeypatch.setattr(module, name, counting)
    return counted
