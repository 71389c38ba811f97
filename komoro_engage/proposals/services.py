"""Writing proposals: save a draft, submit, moderate, withdraw, hide and restore.

Functions flush but never commit: the request (or CLI command) commits once.
Staff actions are written to the audit log with their reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from komoro_engage.accounts.models import User
from komoro_engage.core import clock, events
from komoro_engage.core.audit import record_audit
from komoro_engage.extensions import db
from komoro_engage.media.models import Photo
from komoro_engage.media.services import delete_photo
from komoro_engage.moderation.reports import ActionNotAllowed
from komoro_engage.plan.models import PolicyArea, PriorityItem
from komoro_engage.plan.place_models import Landmark
from komoro_engage.plan.places import place_district, set_place
from komoro_engage.proposals import permissions, search_sync
from komoro_engage.proposals.lifecycle.history import record_status_change
from komoro_engage.proposals.lifecycle.states import apply_transition
from komoro_engage.proposals.models import HiddenCause, Proposal, ProposalPhoto, ProposalStatus


@dataclass
class ProposalData:
    """What the author fills in; the form builds it, the demo loader and tests too."""

    title: str
    body: str
    kind: str
    policy_area_ids: list[int]
    priority_item_ids: list[int] = field(default_factory=list)
    district_id: int | None = None
    ku_id: int | None = None
    organisation_id: int | None = None
    # A tapped point (exact, private) or a public landmark; see plan/places.py.
    point: tuple[float, float] | None = None
    landmark: Landmark | None = None


def save_proposal(author: User, data: ProposalData, proposal: Proposal | None = None) -> Proposal:
    """Create a draft for ``author``, or update ``proposal`` (the caller checked can_edit)."""
    now = clock.now()
    if proposal is None:
        proposal = Proposal(author_id=author.id, status=ProposalStatus.DRAFT, created_at=now,
                            last_activity_at=now)
        db.session.add(proposal)
    proposal.title = data.title.strip()
    proposal.body = data.body.strip()
    proposal.kind = data.kind
    proposal.district_id = data.district_id
    proposal.ku_id = data.ku_id if data.district_id else None
    set_place(proposal, data.point, data.landmark)
    if proposal.district_id is None:  # 市全域 chosen: the place, if any, says where
        proposal.district_id, proposal.ku_id = place_district(data.point, data.landmark)
    proposal.organisation_id = data.organisation_id
    proposal.updated_at = now
    proposal.policy_areas = list(db.session.scalars(
        select(PolicyArea).where(PolicyArea.id.in_(data.policy_area_ids))
    ))
    proposal.priority_items = list(db.session.scalars(
        select(PriorityItem).where(PriorityItem.id.in_(data.priority_item_ids))
    )) if data.priority_item_ids else []
    db.session.flush()
    search_sync.sync(proposal)
    return proposal


def set_photos(proposal: Proposal, remove_ids: list[int], new_photos: list[Photo]) -> None:
    """Drop the photos ticked for removal (files go after commit) and append the new ones."""
    kept = []
    for link in list(proposal.photo_links):
        if link.photo_id in remove_ids:
            proposal.photo_links.remove(link)
            db.session.flush()
            delete_photo(link.photo)
        else:
            kept.append(link)
    db.session.flush()
    # Renumber through temporary negative positions: (proposal, position) is unique.
    for index, link in enumerate(kept):
        link.position = -1 - index
    db.session.flush()
    for index, link in enumerate(kept):
        link.position = index
    for offset, photo in enumerate(new_photos, start=len(kept)):
        proposal.photo_links.append(ProposalPhoto(photo=photo, position=offset))
    db.session.flush()


def submit_proposal(proposal: Proposal) -> ProposalStatus:
    """Send a draft to review, or publish it at once when pre-moderation is off."""
    now = clock.now()
    proposal.moderation_note = ""
    proposal.submitted_at = now
    if current_app.config.get("PROPOSALS_PREMODERATION", True):
        action = "submit_for_review"
        status = apply_transition(proposal, action)
    else:
        action = "submit_public"
        status = apply_transition(proposal, action)
        _mark_published(proposal, now)
    db.session.flush()
    record_status_change(proposal, action, ProposalStatus.DRAFT, proposal.author)
    search_sync.sync(proposal)
    events.took_part.send(proposal.author, target_type="proposal", target_id=proposal.id)
    return status


def approve_proposal(staff: User, proposal: Proposal, reason: str = "") -> None:
    """Staff publish a pending proposal."""
    apply_transition(proposal, "approve")
    _mark_published(proposal, clock.now())
    record_audit(staff, "proposal.approved", proposal, reason,
                 before={"status": "pending"}, after={"status": "published"})
    record_status_change(proposal, "approve", ProposalStatus.PENDING, staff)
    search_sync.sync(proposal)
    events.proposal_approved.send(proposal, actor=staff)


def send_back_proposal(staff: User, proposal: Proposal, reason: str) -> None:
    """Staff return a pending proposal to its author as a draft, saying what to change."""
    apply_transition(proposal, "send_back")
    proposal.moderation_note = reason
    record_audit(staff, "proposal.sent_back", proposal, reason,
                 before={"status": "pending"}, after={"status": "draft"})
    record_status_change(proposal, "send_back", ProposalStatus.PENDING, staff)
    events.proposal_sent_back.send(proposal, actor=staff, reason=reason)


def withdraw_proposal(proposal: Proposal) -> None:
    """The author withdraws; supports and comments stay but it leaves the public list."""
    before = proposal.status
    apply_transition(proposal, "withdraw")
    proposal.updated_at = clock.now()
    db.session.flush()
    record_status_change(proposal, "withdraw", before, proposal.author)
    search_sync.sync(proposal)


def hide_proposal(staff: User | None, proposal: Proposal, reason: str,
                  cause: HiddenCause = HiddenCause.MODERATOR) -> None:
    """Take a proposal out of public view with a public reason (or, for reports, a notice)."""
    before = proposal.status
    apply_transition(proposal, "hide")
    proposal.hidden_cause = cause
    proposal.hidden_reason = reason
    record_audit(staff, f"proposal.hidden_by_{cause}", proposal, reason,
                 before={"status": str(before)}, after={"status": "hidden"})
    record_status_change(proposal, "hide", before, staff, cause=str(cause))
    search_sync.sync(proposal)


def restore_proposal(staff: User, proposal: Proposal, reason: str) -> None:
    """Staff put a hidden proposal back where it was."""
    status = apply_transition(proposal, "restore")
    proposal.hidden_cause = None
    proposal.hidden_reason = ""
    record_audit(staff, "proposal.restored", proposal, reason,
                 before={"status": "hidden"}, after={"status": str(status)})
    record_status_change(proposal, "restore", ProposalStatus.HIDDEN, staff)
    search_sync.sync(proposal)


def moderate_proposal(staff: User, action: str, proposal: Proposal, reason: str) -> None:
    """A console action on one proposal: approve, send back, hide, restore or dismiss."""
    hidden_by_reports = (proposal.status == ProposalStatus.HIDDEN
                         and proposal.hidden_cause == HiddenCause.REPORTS)
    if action == "approve" and permissions.can_moderate(staff, proposal):
        approve_proposal(staff, proposal, reason)
    elif action == "send_back" and permissions.can_moderate(staff, proposal):
        send_back_proposal(staff, proposal, reason)
    elif action == "hide" and hidden_by_reports:
        # Reports hid it pending review; staff confirm, with a public reason.
        proposal.hidden_cause, proposal.hidden_reason = HiddenCause.MODERATOR, reason
        record_audit(staff, "proposal.hidden_by_moderator", proposal, reason,
                     before={"status": "hidden", "hidden_cause": "reports"},
                     after={"status": "hidden", "hidden_cause": "moderator"})
    elif action == "hide" and permissions.can_hide(staff, proposal):
        hide_proposal(staff, proposal, reason)
    elif action in ("restore", "dismiss") and permissions.can_restore(staff, proposal) and (
            action == "restore" or hidden_by_reports):
        restore_proposal(staff, proposal, reason)
    elif action != "dismiss":
        raise ActionNotAllowed(f"{action} on proposal {proposal.id} ({proposal.status})")


def _mark_published(proposal: Proposal, now) -> None:
    proposal.published_at = now
    proposal.last_activity_at = now
    db.session.flush()
