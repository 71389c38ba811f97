"""Staff services without HTTP: each action's effect, its audit entry, its event."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from komoro_engage.accounts.models import Role
from komoro_engage.comments.models import Comment
from komoro_engage.comments.services import add_comment
from komoro_engage.core import events
from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from komoro_engage.moderation.models import Report
from komoro_engage.moderation.reports import report_item
from komoro_engage.plan.models import Measure
from komoro_engage.proposals.engagement import support_proposal
from komoro_engage.proposals.lifecycle.answers import AnswerData, AnswerNotAllowed, answer_proposal
from komoro_engage.proposals.lifecycle.links import AlreadyLinked, link_measure, unlink_measure
from komoro_engage.proposals.lifecycle.models import (
    ProposalAnswer,
    ProposalMeasureLink,
    ProposalStatusChange,
)
from komoro_engage.proposals.models import ProposalStatus
from komoro_engage.proposals.services import ProposalData
from komoro_engage.staff import actions
from komoro_engage.staff.proxy import ANONYMOUS_NICKNAME, enter_by_proxy
from tests.factories import make_user
from tests.proposals.helpers import area, make_proposal


def audits(action: str, target_id: int) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == action, AuditEntry.target_id == target_id)))


@pytest.fixture
def staff(ctx):
    return make_user(role=Role.STAFF, nickname="職員さん")


@pytest.fixture
def received():
    """Events sent during the test: (name, sender, kwargs)."""
    got = []
    handlers = {}
    for name in ("proposal_approved", "proposal_sent_back", "proposal_status_changed",
                 "proposal_answered"):
        def handler(sender, _name=name, **kwargs):
            got.append((_name, sender, kwargs))
        handlers[name] = handler
        getattr(events, name).connect(handler)
    yield got
    for name, handler in handlers.items():
        getattr(events, name).disconnect(handler)


def test_approve_and_send_back_record_audit_timeline_and_events(staff, received):
    first = make_proposal(status=ProposalStatus.PENDING)
    second = make_proposal(status=ProposalStatus.PENDING)
    outcome = actions.apply_to_many(staff, "approve", [("proposal", first.id)])
    assert outcome.done == [f"proposal:{first.id}"] and first.status == ProposalStatus.PUBLISHED
    actions.apply_action(staff, "send_back", second, "タイトルを具体的にしてください")
    assert second.status == ProposalStatus.DRAFT
    assert second.moderation_note == "タイトルを具体的にしてください"
    [approved] = audits("proposal.approved", first.id)
    assert approved.actor_id == staff.id and approved.after == {"status": "published"}
    [sent_back] = audits("proposal.sent_back", second.id)
    assert sent_back.before == {"status": "pending"} and sent_back.after == {"status": "draft"}
    assert [(n, s.id) for n, s, _ in received] == [("proposal_approved", first.id),
                                                   ("proposal_sent_back", second.id)]
    assert received[1][2]["reason"] == "タイトルを具体的にしてください"
    change = db.session.scalars(select(ProposalStatusChange).where(
        ProposalStatusChange.proposal_id == first.id)).one()
    assert (change.from_status, change.to_status, change.actor_id) == (
        "pending", "published", staff.id)


def test_bulk_runs_each_item_and_skips_what_changed(staff):
    pending = [make_proposal(status=ProposalStatus.PENDING) for _ in range(3)]
    published = make_proposal()
    targets = [("proposal", p.id) for p in pending] + [("proposal", published.id)]
    outcome = actions.apply_to_many(staff, "approve", targets)
    assert len(outcome.done) == 3 and outcome.skipped == [f"proposal:{published.id}"]
    assert all(p.status == ProposalStatus.PUBLISHED for p in pending)
    assert sum(len(audits("proposal.approved", p.id)) for p in pending) == 3


def test_hide_restore_and_dismiss_reports(app, staff, received):
    app.config["REPORT_HIDE_THRESHOLD"] = 2
    try:
        proposal = make_proposal()
        for _ in range(2):
            report_item(make_user(), proposal, "spam")
        assert proposal.status == ProposalStatus.HIDDEN and proposal.hidden_cause == "reports"
        actions.apply_action(staff, "dismiss", proposal, "問題のない内容でした")
        assert proposal.status == ProposalStatus.PUBLISHED
        assert db.session.scalar(select(Report.id).where(Report.resolved_at.is_(None))) is None
        [dismissed] = audits("reports.dismissed", proposal.id)
        assert dismissed.before == {"open_reports": 2} and dismissed.after == {"open_reports": 0}
        assert audits("proposal.restored", proposal.id)

        actions.apply_action(staff, "hide", proposal, "個人情報が含まれていたため")
        assert proposal.status == ProposalStatus.HIDDEN
        assert proposal.hidden_reason == "個人情報が含まれていたため"
        actions.apply_action(staff, "restore", proposal, "本人が修正したため")
        assert proposal.status == ProposalStatus.PUBLISHED
        names = [name for name, _s, _k in received]
        assert names.count("proposal_status_changed") == 4  # hidden, restored, hidden, restored

        comment = add_comment(make_user(), proposal, "ひどいコメント")
        for _ in range(2):
            report_item(make_user(), comment, "abuse")
        assert db.session.get(Comment, comment.id).hidden_at is not None
        actions.apply_action(staff, "hide", comment, "誹謗中傷のため")
        assert audits("comment.hidden", comment.id)[0].after == {"hidden": True}
        with pytest.raises(actions.ActionNotAllowed):
            actions.apply_action(staff, "dismiss", comment, "")  # nothing left to dismiss
    finally:
        app.config["REPORT_HIDE_THRESHOLD"] = 3


def test_links_keep_their_history(staff):
    proposal = make_proposal()
    measure, other = db.session.scalars(select(Measure).order_by(Measure.sort_key).limit(2))
    link = link_measure(staff, proposal, measure, 2026, "駅前の回遊性に関わるため")
    link_measure(staff, proposal, other, 2026, "景観にも関わる")
    with pytest.raises(AlreadyLinked):
        link_measure(staff, proposal, measure, 2027, "二重")
    db.session.expire(proposal)
    assert [m.code for m in proposal.measures] == [measure.code, other.code]
    unlink_measure(staff, link, "担当施策の見直し")
    db.session.expire(proposal)
    assert [m.code for m in proposal.measures] == [other.code]
    rows = db.session.scalars(select(ProposalMeasureLink).where(
        ProposalMeasureLink.proposal_id == proposal.id)).all()
    assert len(rows) == 2 and link.unlinked_by_id == staff.id and link.unlink_reason
    [entry] = audits("proposal.measure_unlinked", proposal.id)
    assert entry.before["measure"] == measure.code and entry.after == {"active": False}
    assert audits("proposal.measure_linked", proposal.id)[0].after["fiscal_year"] == 2026
    # Linking again after an unlink is a new link; the old one stays.
    link_measure(staff, proposal, measure, 2027, "再検討")


def test_answer_moves_the_status_and_is_audited(staff, received):
    proposal = make_proposal()
    answer_proposal(staff, proposal, AnswerData("under_review", "庁内で検討しています。",
                                                "都市計画課", date(2026, 5, 1)))
    assert proposal.status == ProposalStatus.UNDER_REVIEW
    answer = answer_proposal(staff, proposal, AnswerData(
        "adopted", "来年度に花壇を整備します。", "都市計画課", date(2026, 6, 1)))
    assert proposal.status == ProposalStatus.ADOPTED and answer.status == "adopted"
    entries = audits("proposal.answered", proposal.id)
    assert entries[-1].before["answer"] == "under_review"
    assert entries[-1].after == {"status": "adopted", "answer": "adopted",
                                 "body": "来年度に花壇を整備します。", "department": "都市計画課",
                                 "answered_on": "2026-06-01"}
    with pytest.raises(AnswerNotAllowed):
        answer_proposal(staff, proposal, AnswerData("not_adopted", "x", "y", date(2026, 6, 2)))
    steps = db.session.scalars(select(ProposalStatusChange.action).where(
        ProposalStatusChange.proposal_id == proposal.id)
        .order_by(ProposalStatusChange.id)).all()
    # Each publication is a public step of its own (issue 23), beside the status changes.
    assert steps == ["start_review", "answer_published", "adopt", "answer_published"]
    names = [name for name, _s, _k in received]
    assert names == ["proposal_status_changed", "proposal_answered", "proposal_status_changed",
                     "proposal_answered"]


def test_threshold_moves_once_and_starts_the_deadline(app, staff, monkeypatch, received):
    moment = datetime(2026, 7, 1, 3, 0, tzinfo=UTC)
    monkeypatch.setattr("komoro_engage.core.clock.now", lambda: moment)
    app.config.update(SUPPORT_THRESHOLD=3, ANSWER_DEADLINE_DAYS=30)
    try:
        proposal = make_proposal()
        supporters = [make_user() for _ in range(4)]
        for user in supporters[:2]:
            support_proposal(user, proposal)
        assert proposal.status == ProposalStatus.PUBLISHED
        support_proposal(supporters[2], proposal)
        assert proposal.status == ProposalStatus.UNDER_REVIEW
        support_proposal(supporters[3], proposal)
        answer = db.session.get(ProposalAnswer, proposal.id)
        assert answer.deadline_at.replace(tzinfo=UTC) == moment + timedelta(days=30)
        assert len(audits("proposal.review_started", proposal.id)) == 1
        assert [k["after"] for n, _s, k in received if n == "proposal_status_changed"] == [
            "under_review"]
        assert received[0][2]["actor"] is None
    finally:
        app.config.update(SUPPORT_THRESHOLD=50)


def test_proxy_entry_for_an_account_and_anonymously(staff):
    resident = make_user(nickname="紙で出した人")
    data = ProposalData(title="公民館に手すりを付けてほしい", body="階段が急です。", kind="idea",
                        policy_area_ids=[area(1).id])
    named = enter_by_proxy(staff, resident, data, "district_meeting", "乙女地区懇談会",
                           date(2026, 6, 10))
    assert named.author_id == resident.id and named.status == ProposalStatus.PUBLISHED
    anonymous = enter_by_proxy(staff, None, data, "paper", "", date(2026, 6, 11))
    assert anonymous.author.nickname == ANONYMOUS_NICKNAME
    assert anonymous.author.password_hash is None and anonymous.author.email is None
    again = enter_by_proxy(staff, None, data, "paper", "", date(2026, 6, 12))
    assert again.author_id == anonymous.author_id
    [entry] = audits("proposal.proxy_entered", named.id)
    assert entry.actor_id == staff.id and entry.after["occasion"] == "district_meeting"


def test_the_database_refuses_to_change_the_audit_log(staff):
    from sqlalchemy import delete, update
    from sqlalchemy.exc import DBAPIError

    entry = actions.record_audit(staff, "proposal.approved", make_proposal(), "理由")
    for statement in (update(AuditEntry).where(AuditEntry.id == entry.id).values(reason="改ざん"),
                      delete(AuditEntry).where(AuditEntry.id == entry.id)):
        with pytest.raises(DBAPIError, match="append-only"), db.session.begin_nested():
            db.session.execute(statement)
    assert db.session.scalar(select(AuditEntry.reason).where(AuditEntry.id == entry.id)) == "理由"


def test_overdue_is_decided_by_the_clock(staff, monkeypatch, app):
    from komoro_engage.staff.queries import queue_counts

    start = datetime(2026, 4, 1, 0, 0, tzinfo=UTC)
    monkeypatch.setattr("komoro_engage.core.clock.now", lambda: start)
    app.config["SUPPORT_THRESHOLD"] = 1
    try:
        proposal = make_proposal()
        support_proposal(make_user(), proposal)
    finally:
        app.config["SUPPORT_THRESHOLD"] = 50
    base = queue_counts(now=start)
    assert queue_counts(now=start + timedelta(days=30)) == base  # due at the very end
    later = queue_counts(now=start + timedelta(days=30, seconds=1))
    assert later["overdue"] == base["overdue"] + 1 and later["threshold"] == base["threshold"]
    answer_proposal(staff, proposal, AnswerData("under_review", "検討中です", "企画課",
                                                date(2026, 5, 1)))
    assert queue_counts(now=start + timedelta(days=31))["overdue"] == base["overdue"]


def test_the_author_hears_of_threshold_answer_and_approval(app, staff):
    """With the notifications package listening, each staff step reaches the author once."""
    from komoro_engage.notifications.models import Notification

    author = make_user()
    pending = make_proposal(author, status=ProposalStatus.PENDING)
    actions.apply_action(staff, "approve", pending)
    app.config["SUPPORT_THRESHOLD"] = 1
    try:
        support_proposal(make_user(), pending)
    finally:
        app.config["SUPPORT_THRESHOLD"] = 50
    answer_proposal(staff, pending, AnswerData("adopted", "実施します。", "企画課",
                                               date(2026, 6, 1)))
    kinds = db.session.scalars(select(Notification.kind).where(
        Notification.user_id == author.id).order_by(Notification.id)).all()
    assert kinds == ["proposal_approved", "proposal_status_changed", "proposal_status_changed",
                     "proposal_answered"]
