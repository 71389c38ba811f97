"""Moderation actions of the console, on one item or several at once.

Items are proposals, comments, consultation statements or 協働 projects waiting for
review, written ``"proposal:12"`` / ``"comment:5"`` / ``"statement:7"`` / ``"project:3"``
in forms.
:func:`apply_to_many` runs in the caller's transaction and writes one audit entry
per item; items whose state no longer allows the action (another staff member got
there first) are skipped and reported back, not failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from komoro_engage.accounts.models import User
from komoro_engage.comments.models import Comment
from komoro_engage.comments.services import moderate_comment
from komoro_engage.consultations.models import Statement
from komoro_engage.consultations.services import moderate_statement_in_console
from komoro_engage.core import clock
from komoro_engage.core.audit import record_audit
from komoro_engage.core.numbers import positive_int
from komoro_engage.extensions import db
from komoro_engage.moderation.models import Report, ReportTarget
from komoro_engage.moderation.reports import ActionNotAllowed
from komoro_engage.projects.models import Project
from komoro_engage.projects.review import moderate_project
from komoro_engage.proposals.models import Proposal, ProposalStatus
from komoro_engage.proposals.services import moderate_proposal

ACTIONS = ("approve", "send_back", "hide", "restore", "dismiss")
# Each kind's own moderation service, by the item's table name (Report.target_type).
MODERATE = {"proposal": moderate_proposal, "comment": moderate_comment,
            "statement": moderate_statement_in_console, "project": moderate_project}
NEEDS_REASON = frozenset({"send_back", "hide", "restore"})
KINDS = (ReportTarget.PROPOSAL.value, ReportTarget.COMMENT.value,
         ReportTarget.STATEMENT.value, "project")
MODELS = {"proposal": Proposal, "statement": Statement, "project": Project}
Item = Proposal | Comment | Statement | Project


def parse_target(raw: str) -> tuple[str, int] | None:
    """``"proposal:12"`` → ("proposal", 12); None for anything else."""
    kind, _, number = (raw or "").partition(":")
    if kind in KINDS and (ident := positive_int(number)):
        return kind, ident
    return None


def _resolve_reports(kind: str, item_id: int, now) -> int:
    """Close the open reports of an item; returns how many there were."""
    return len(db.session.execute(
        update(Report).where(Report.target_type == kind, Report.target_id == item_id,
                             Report.resolved_at.is_(None))
        .values(resolved_at=now).returning(Report.id)
        .execution_options(synchronize_session=False)).all())


def apply_action(staff: User, action: str, item: Item, reason: str = "", now=None) -> None:
    """One action on one item, its reports closed (at ``now``) when staff decided on them."""
    if action not in ACTIONS:
        raise ActionNotAllowed(action)
    kind = item.__tablename__
    MODERATE[kind](staff, action, item, reason)
    if action in ("hide", "restore", "dismiss"):
        closed = _resolve_reports(kind, item.id, now or clock.now())
        if action == "dismiss" and not closed:
            raise ActionNotAllowed(f"no open reports on {kind} {item.id}")
        if closed:
            record_audit(staff, "reports.dismissed" if action == "dismiss" else "reports.resolved",
                         item, reason, before={"open_reports": closed},
                         after={"open_reports": 0})
    db.session.flush()


def item_title(item: Item | None) -> str:
    """How a message names an item: a proposal's or project's title, the start of a
    comment or statement."""
    if item is None:
        return ""
    text = getattr(item, "title", None) or getattr(item, "body", None) \
        or getattr(item, "text", "")
    text = " ".join(str(text).split())
    return text if len(text) <= 40 else text[:40] + "…"


def is_visible(item: Item) -> bool:
    """Whether a proposal or comment is not hidden (other kinds: False)."""
    kind = item.__tablename__
    if kind == "proposal":
        return item.status != ProposalStatus.HIDDEN
    return kind == "comment" and item.hidden_at is None


@dataclass
class Outcome:
    """Which items an action changed, which it skipped and why, and their titles."""

    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)
    # Why each skipped item was left: "gone" (no such item) or "changed" (its state no
    # longer allows the action: another staff member got there first).
    why: dict[str, str] = field(default_factory=dict)
    # Items that were visible before the action (a hide of those can be taken back).
    visible_before: set[str] = field(default_factory=set)
    # When the action ran (the reports it closed carry this time; undo reopens them).
    at: object = None


def load_items(targets: list[tuple[str, int]]) -> dict[str, Item]:
    """The proposals, comments, statements and projects named by ``targets``, one query
    per kind."""
    wanted = {kind: [i for k, i in targets if k == kind] for kind in KINDS}
    items: dict[str, Item] = {}
    for kind, model in MODELS.items():
        if wanted[kind]:
            for row in db.session.scalars(select(model).where(model.id.in_(wanted[kind]))):
                items[f"{kind}:{row.id}"] = row
    if wanted["comment"]:
        for comment in db.session.scalars(
                select(Comment).where(Comment.id.in_(wanted["comment"]))
                .options(joinedload(Comment.proposal))):
            items[f"comment:{comment.id}"] = comment
    return items


def apply_to_many(staff: User, action: str, targets: list[tuple[str, int]],
                  reason: str = "") -> Outcome:
    """The same action on several items in the caller's transaction."""
    outcome = Outcome(at=clock.now())
    items = load_items(targets)
    for kind, item_id in dict.fromkeys(targets):
        key = f"{kind}:{item_id}"
        item = items.get(key)
        outcome.titles[key] = item_title(item)
        if item is not None and is_visible(item):
            outcome.visible_before.add(key)
        try:
            if item is None:
                raise ActionNotAllowed(key)
            with db.session.begin_nested():
                apply_action(staff, action, item, reason, outcome.at)
        except ActionNotAllowed:
            outcome.skipped.append(key)
            outcome.why[key] = "gone" if item is None else "changed"
        else:
            outcome.done.append(key)
    return outcome
