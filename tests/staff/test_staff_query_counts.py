"""Console, audit log and the city's record run the same number of statements at any size."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from komoro_engage.accounts.models import Role
from komoro_engage.comments.services import add_comment
from komoro_engage.consultations.models import StatementStatus
from komoro_engage.core.audit import record_audit
from komoro_engage.extensions import db
from komoro_engage.moderation.reports import report_item
from komoro_engage.plan.models import Measure
from komoro_engage.proposals.lifecycle.answers import AnswerData, answer_proposal
from komoro_engage.proposals.lifecycle.links import link_measure, unlink_measure
from komoro_engage.proposals.lifecycle.models import ProposalAnswer
from komoro_engage.proposals.models import ProposalStatus
from tests.consultations.helpers import make_consultation, make_statement
from tests.factories import make_user
from tests.proposals.helpers import make_proposal

PAGES = ["/staff", "/staff?queue=statements", "/staff?queue=reports", "/staff?queue=threshold",
         "/staff?queue=overdue",
         "/admin/audit", "/admin/audit?actor=system&target_type=proposal&since=2020-01-01",
         "/admin/audit.csv", "/proposals/{first}", "/plan/measures/{code}"]


def grow(app, n: int) -> dict:
    """``n`` of everything: pending proposals and statements, reported proposals, comments and
    statements, answered, overdue, links."""
    with app.app_context():
        staff = make_user(role=Role.STAFF)
        measures = db.session.scalars(select(Measure).order_by(Measure.sort_key).limit(2)).all()
        now = datetime.now(UTC)
        first = None
        consultation = make_consultation(staff=staff)
        for _ in range(n):
            make_statement(consultation, "確認待ちの意見",
                           author=make_user(), status=StatementStatus.PENDING, published_at=None)
            report_item(make_user(), make_statement(
                consultation, "通報された意見", author=make_user()), "abuse")
            make_proposal(status=ProposalStatus.PENDING)
            proposal = make_proposal()
            first = first or proposal
            comment = add_comment(make_user(), proposal, "通報されるコメント")
            report_item(make_user(), proposal, "spam", "宣伝")
            report_item(make_user(), comment, "abuse")
            waiting = make_proposal(status=ProposalStatus.UNDER_REVIEW)
            db.session.add(ProposalAnswer(proposal_id=waiting.id, review_started_at=now,
                                          deadline_at=now - timedelta(days=1)))
            for measure in measures:
                unlink_measure(staff, link_measure(staff, proposal, measure, 2026, "理由"), "外す")
                link_measure(staff, proposal, measure, 2026, "理由")
                link_measure(staff, waiting, measure, 2026, "理由")
            answer_proposal(staff, waiting, AnswerData("under_review", "検討中です", "企画課",
                                                       date(2026, 6, 1)))
            record_audit(None, "proposal.review_started", proposal, "自動")
        db.session.commit()
        return {"first": first.id, "code": measures[0].code}


@pytest.mark.parametrize("url", PAGES)
def test_staff_pages_do_not_grow(app, login, count_queries, url):
    with app.app_context():
        admin = make_user(role=Role.ADMIN)
        db.session.commit()
    client = login(admin)
    small = grow(app, 2)
    # A process's first request also reads what it then keeps from the plan (the policy
    # areas' names; the threshold queue's blank link form and its measure menu): run
    # alone, this test counted those reads as the page's and failed.
    assert client.get(url.format(**small)).get_data()
    count_queries.reset()
    first = client.get(url.format(**small))
    assert first.status_code == 200 and first.get_data()  # the CSV streams: read it all
    before = count_queries.count
    grow(app, 12)
    count_queries.reset()
    response = client.get(url.format(**small))
    assert response.status_code == 200 and response.get_data()
    assert count_queries.count == before, count_queries.statements
    assert before <= 16, count_queries.statements
