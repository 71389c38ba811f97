"""The page types the browser tests visit: one line each.

Screenshots, axe, layout and keyboard tests run over every entry. When the
proposals branch merges, add its pages here, e.g.::

    PageType("proposal-list", "/proposals?area=1"),
    PageType("proposal-new", "/proposals/new", audience="resident"),

An ``audience`` other than "anonymous" needs a way to sign a browser in:
register it in ``SIGN_IN`` (``tests/browser/test_accessibility.py`` and the
others look it up there) once the accounts branch provides the sign-in page,
e.g. ``SIGN_IN["resident"] = sign_in_through_form``; until then only
anonymous pages exist and only they are listed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PageType:
    name: str
    path: str
    status: int = 200
    audience: str = "anonymous"

    def __str__(self) -> str:
        return f"{self.name}[{self.audience}]"


PAGES = [
    PageType("home", "/"),
    PageType("policy-area", "/plan/areas/1"),
    PageType("measure", "/plan/measures/1-2"),
    PageType("priority-item", "/plan/priorities/2"),
    PageType("districts", "/plan/districts"),
    PageType("dashboard", "/dashboard"),
    PageType("project-list", "/projects?status=recruiting"),
    PageType("not-found", "/plan/areas/99", status=404),
]

# audience → function(page, site) that leaves ``page`` signed in as that kind of user.
SIGN_IN: dict[str, Callable] = {}


def page_id(page_type: PageType) -> str:
    return str(page_type)
