"""The status table: every action from every status, and the services that use it."""

import pytest
from sqlalchemy import select

from komoro_engage.accounts.models import Role
from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from komoro_engage.proposals import services
from komoro_engage.proposals.lifecycle.states import (
    TRANSITIONS,
    TransitionNotAllowed,
    apply_transition,
)
from komoro_engage.proposals.models import HiddenCause
from komoro_engage.proposals.models import ProposalStatus as S
from tests.factories import make_user
from tests.proposals.helpers import make_proposal

EXPECTED = {
    ("submit_for_review", S.DRAFT): S.PENDING,
    ("submit_public", S.DRAFT): S.PUBLISHED,
    ("approve", S.PENDING): S.PUBLISHED,
    ("send_back", S.PENDING): S.DRAFT,
    ("start_review", S.PUBLISHED): S.UNDER_REVIEW,
    ("adopt", S.UNDER_REVIEW): S.ADOPTED,
    ("decline", S.UNDER_REVIEW): S.NOT_ADOPTED,
    ("withdraw", S.DRAFT): S.WITHDRAWN,
    ("withdraw", S.PENDING): S.WITHDRAWN,
    ("withdraw", S.PUBLISHED): S.WITHDRAWN,
    ("withdraw", S.UNDER_REVIEW): S.WITHDRAWN,
    ("hide", S.PENDING): S.HIDDEN,
    ("hide", S.PUBLISHED): S.HIDDEN,
    ("hide", S.UNDER_REVIEW): S.HIDDEN,
    ("hide", S.ADOPTED): S.HIDDEN,
    ("hide", S.NOT_ADOPTED): S.HIDDEN,
}


class Row:
    status_before_hidden = None

    def __init__(self, status):
        self.status = status


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
@pytest.mark.parametrize("status", list(S))
def test_every_action_from_every_status(action, status):
    row = Row(status)
    if action == "restore":
        if status == S.HIDDEN:
            row.status_before_hidden = S.UNDER_REVIEW
            assert apply_transition(row, action) == S.UNDER_REVIEW
        else:
            with pytest.raises(TransitionNotAllowed):
                apply_transition(row, action)
        return
    expected = EXPECTED.get((action, status))
    if expected is None:
        with pytest.raises(TransitionNotAllowed):
            apply_transition(row, action)
        assert row.status == status
    else:
        assert apply_transition(row, action) == expected


def test_hide_then_restore_returns_to_the_previous_status(ctx):
    staff = make_user(Role.STAFF)
    proposal = make_proposal(status=S.UNDER_REVIEW)
    services.hide_proposal(staff, proposal, "個人情報が含まれていたため")
    assert proposal.status == S.HIDDEN and proposal.hidden_cause == HiddenCause.MODERATOR
    services.restore_proposal(staff, proposal, "修正を確認")
    assert proposal.status == S.UNDER_REVIEW and proposal.hidden_reason == ""
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.target_id == proposal.id, AuditEntry.target_type == "proposal")).all()
    assert actions == ["proposal.hidden_by_moderator", "proposal.restored"]


def test_submit_respects_the_premoderation_setting(app, ctx):
    draft = make_proposal(status=S.DRAFT)
    assert services.submit_proposal(draft) == S.PENDING and draft.published_at is None
    app.config["PROPOSALS_PREMODERATION"] = False
    try:
        other = make_proposal(status=S.DRAFT)
        assert services.submit_proposal(other) == S.PUBLISHED
        assert other.published_at is not None
    finally:
        app.config["PROPOSALS_PREMODERATION"] = True


def test_send_back_keeps_the_reason_and_resubmitting_clears_it(ctx):
    staff = make_user(Role.STAFF)
    proposal = make_proposal(status=S.PENDING)
    services.send_back_proposal(staff, proposal, "場所をもう少し詳しく書いてください")
    assert proposal.status == S.DRAFT
    assert proposal.moderation_note == "場所をもう少し詳しく書いてください"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.target_id == proposal.id)).one()
    assert (entry.action, entry.actor_id, entry.reason) == (
        "proposal.sent_back", staff.id, "場所をもう少し詳しく書いてください")
    services.submit_proposal(proposal)
    assert proposal.status == S.PENDING and proposal.moderation_note == ""
