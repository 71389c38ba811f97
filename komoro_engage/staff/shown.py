"""A console queue's cards as the reader sees them, each kept rendered (core/kept_cards.py).

A queue page of twenty cards spent half its calls rendering them, for every member of
staff on every visit (issue 16). Each card is a :class:`ShownItem`: the queue's row as
plain values, with what the card shows that is not in the row worked out here: its
age in days and whether it is overdue (both today's), the author's public name, whether
the reader may suspend them, and what a failed action left on it (the tick, why, what
was typed). The card is kept under all of these and the language, so staff who see a
card alike share it, and a new day, a rename or an error is a new card.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from flask_login import current_user

from komoro_engage.accounts.templating import display_name
from komoro_engage.core import clock
from komoro_engage.core.dates import this_year
from komoro_engage.staff.permissions import can_suspend
from komoro_engage.staff.reported import ReportedItem, ReportedStatement

# The queues whose ticks go to the bulk link form rather than the bulk action form.
LINK_QUEUES = ("threshold", "overdue")
# The queues whose cards' moment is a due date, marked when it has passed.
DUE_QUEUES = (*LINK_QUEUES, "mine", "mine_overdue")


@dataclass(frozen=True, slots=True)
class ShownItem:
    """One queue card, every value it shows."""

    queue: str
    key: str  # "proposal:12": what its tick and its inline form act on ("" for neither)
    row: Hashable  # the queue's row, as plain values (below)
    moment: datetime | None  # when it was sent, reported first, or is due
    days: int  # whole days since ``moment`` (past it, for a due date)
    overdue: bool
    author: str | None  # the author's public name; None: not known
    may_suspend: bool = False  # the reader may suspend the author (admins)
    ticked: bool = False
    left: str = ""  # why a bulk action left it, beside its tick
    typed_reason: str = ""  # what was typed in its inline form, sent back with an error
    error: str = ""  # its inline form's error
    year: int = 0  # dates of this year are written without the year


@dataclass(frozen=True, slots=True)
class ReportCard:
    """A reported item's card row: the item, its open reports and their reasons."""

    kind: str
    item: Hashable
    reports: int
    reasons: tuple[tuple[str, int], ...]
    details: tuple[str, ...]  # what the first reporters wrote (three at most)


@dataclass(frozen=True, slots=True)
class ProjectCard:
    """A 協働 project waiting for review."""

    id: int
    title: str
    summary: str
    organisation: tuple[int, str, bool] | None  # id, name, verified by the city


@dataclass(frozen=True, slots=True)
class PlainCard:
    """A card of a title and a few words: an organisation (title: its name), an answer
    draft (``status``) or a proposal routed to a department (``department``)."""

    id: int
    title: str
    status: str = ""
    department: str = ""


def days_since(moment: datetime | None) -> int:
    """Whole days from ``moment`` to now (the age of a waiting item)."""
    return max(0, (clock.now() - clock.as_utc(moment)).days) if moment else 0


def past_due(moment: datetime | None) -> bool:
    """Whether a deadline has passed."""
    return moment is not None and clock.as_utc(moment) < clock.now()


def _name(user) -> str | None:
    return display_name(user) if user is not None else None


def _card(queue: str, row, reader) -> tuple[str, Hashable, datetime | None, str | None, bool]:
    """(key, plain row, moment, author's name, whether the ``reader`` may suspend the
    author) of one row of ``queue``."""
    if queue == "pending":
        return f"proposal:{row.id}", row, row.submitted_at, display_name(row.author), False
    if queue == "statements":
        plain = ReportedStatement(row.id, row.consultation_id, row.status, row.text,
                                  row.consultation.title, None)
        return f"statement:{row.id}", plain, row.created_at, _name(row.author), False
    if queue == "reports":
        return _report_card(row, reader)
    if queue == "projects":
        organisation = row.lead_organisation
        plain = ProjectCard(row.id, row.title, row.summary or "",
                            (organisation.id, organisation.name, organisation.is_verified)
                            if organisation else None)
        return f"project:{row.id}", plain, row.updated_at, _name(row.lead_user), False
    if queue == "unverified":
        return "", PlainCard(row.id, row.name), row.created_at, None, False
    if queue == "approvals":
        proposal, draft = row
        return ("", PlainCard(proposal.id, proposal.title, status=draft.status),
                draft.submitted_at, _name(draft.submitted_by), False)
    if queue in ("mine", "mine_overdue"):
        proposal, assignment = row
        return ("", PlainCard(proposal.id, proposal.title,
                              department=assignment.department.name),
                assignment.due_at, _name(assignment.assignee), False)
    proposal, answer = row  # the answer queues: plain rows already
    return f"proposal:{proposal.id}", tuple(row), answer.deadline_at, None, False


def _report_card(row: ReportedItem, reader):
    item = row.item
    author = getattr(item, "author", None)
    name = display_name(author) if author or row.kind != "statement" else None
    card = ReportCard(row.kind, item, row.reports, tuple(row.reasons.items()),
                      tuple(row.details[:3]))
    may_suspend = author is not None and can_suspend(reader, author)
    return row.key, card, row.first_reported_at, name, may_suspend


def shown_items(queue: str, rows: Iterable, *, ticked: set[str] | frozenset[str] = frozenset(),
                errors: Mapping[str, str] | None = None,
                typed: Mapping[str, str] | None = None) -> list[ShownItem]:
    """The cards of ``rows`` (a page of ``queue``) for the signed-in reader, with what a
    failed action sent back: the ``ticked`` keys, the ``errors`` by key (why an item was
    left) and what was ``typed`` in the form sent."""
    errors, typed = errors or {}, typed or {}
    year, due, shown = this_year(), queue in DUE_QUEUES, []
    reader = current_user._get_current_object()  # the person, not the proxy, per card
    for row in rows:
        key, plain, moment, author_name, may_suspend = _card(queue, row, reader)
        is_ticked = key in ticked
        shown.append(ShownItem(
            queue, key, plain, moment, days_since(moment),
            overdue=due and past_due(moment), author=author_name, may_suspend=may_suspend,
            ticked=is_ticked, left=errors.get(key, "") if is_ticked else "",
            typed_reason=typed.get("reason", "") if key and typed.get("targets") == key else "",
            error="" if is_ticked else errors.get(key, ""), year=year))
    return shown
