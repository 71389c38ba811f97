"""Drafts of the city's answer, their preview and approval (決裁), issue 23 point 3.

A draft is public nowhere (page, API, search, list, measure page, the page cache) until
it is published; publishing asks for a ticked confirmation and happens once however
often the form is sent; with approval on, only another staff member or an admin
publishes it, and every step is in the audit log and in the staff's timeline.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import func, inspect, select

from komoro_engage.accounts.models import Role
from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from komoro_engage.proposals.lifecycle import drafts
from komoro_engage.proposals.lifecycle.answers import AnswerData, answer_proposal
from komoro_engage.proposals.lifecycle.models import (
    ProposalAnswer,
    ProposalAnswerDraft,
    ProposalStatusChange,
)
from komoro_engage.proposals.models import ProposalStatus
from komoro_engage.staff import queries
from tests.factories import make_user
from tests.proposals.helpers import make_proposal

SECRET = "まだ決まっていない下書きの回答です"
FORM = {"status": "adopted", "body": SECRET, "department": "都市計画課",
        "answered_on": "2026-06-01"}


@contextmanager
def approval(app, on: bool):
    app.config["ANSWERS_NEED_APPROVAL"] = on
    try:
        yield
    finally:
        app.config["ANSWERS_NEED_APPROVAL"] = False


def _world(app):
    with app.app_context():
        proposal = make_proposal(title="駅前に屋根付きの駐輪場を")
        author = make_user(Role.STAFF, nickname="起案する職員")
        second = make_user(Role.STAFF, nickname="決裁する職員")
        admin = make_user(Role.ADMIN, nickname="管理者")
        db.session.commit()
        return proposal.id, author, second, admin


def _draft(app, proposal_id):
    with app.app_context():
        draft = db.session.get(ProposalAnswerDraft, proposal_id)
        return None if draft is None else (draft.state, draft.version)


def _actions(app, proposal_id) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.target_type == "proposal", AuditEntry.target_id == proposal_id,
            AuditEntry.action.like("proposal.answer%")).order_by(AuditEntry.id)))


def _public_everywhere(client, proposal_id) -> str:
    """Every public place an answer could show, joined."""
    pages = [f"/proposals/{proposal_id}", f"/api/v1/proposals/{proposal_id}",
             "/api/v1/proposals", "/proposals?q=駐輪場", "/proposals"]
    responses = [client.get(path) for path in pages]
    assert [r.status_code for r in responses] == [200] * len(pages)
    return "\n".join(r.get_data(as_text=True) for r in responses)


def test_a_draft_is_public_nowhere_until_published(app, login, client):
    proposal_id, author, _second, _admin = _world(app)
    staff = login(author)
    before = _public_everywhere(client, proposal_id)  # also fills the page cache
    saved = staff.post(f"/staff/proposals/{proposal_id}/answer", data=FORM)
    assert saved.status_code == 302 and saved.location.endswith("/answer/preview")
    assert _draft(app, proposal_id) == ("draft", 1)
    after = _public_everywhere(client, proposal_id)
    assert SECRET not in after and "都市計画課" not in after
    assert before.count("市の回答") == after.count("市の回答")
    with app.app_context():  # the published answer table is untouched
        answer = db.session.get(ProposalAnswer, proposal_id)
        assert answer is None or not answer.is_answered
    # Staff see it on the preview: bannered, noindex, never kept.
    preview = staff.get(f"/staff/proposals/{proposal_id}/answer/preview")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and SECRET in html and "都市計画課" in html
    assert "プレビュー（まだ公開されていません）" in html
    assert '<meta name="robots" content="noindex">' in html
    assert preview.headers["Cache-Control"] == "private, no-store"
    assert preview.headers["X-Robots-Tag"] == "noindex"
    assert 'class="official-answer"' in html  # the public page's macro
    # Residents and visitors cannot open the preview.
    assert client.get(f"/staff/proposals/{proposal_id}/answer/preview").status_code == 302
    resident = login(make_resident(app))
    assert resident.get(f"/staff/proposals/{proposal_id}/answer/preview").status_code == 403


def make_resident(app):
    with app.app_context():
        user = make_user()
        db.session.commit()
        return user


def test_editing_keeps_what_was_typed_and_errors_sit_by_their_fields(app, login):
    proposal_id, author, _second, _admin = _world(app)
    staff = login(author)
    bad = staff.post(f"/staff/proposals/{proposal_id}/answer",
                     data={**FORM, "department": "", "answered_on": "x"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and SECRET in html
    assert 'id="department-error"' in html and 'id="answered_on-error"' in html
    assert _draft(app, proposal_id) is None
    staff.post(f"/staff/proposals/{proposal_id}/answer", data=FORM)
    form = staff.get(f"/staff/proposals/{proposal_id}/answer").get_data(as_text=True)
    assert SECRET in form and "保存済みの下書き" in form  # the draft, edited again
    staff.post(f"/staff/proposals/{proposal_id}/answer", data={**FORM, "body": "書き直しました"})
    assert _draft(app, proposal_id) == ("draft", 2)


def test_publishing_needs_the_confirmation_and_happens_once(app, login, client):
    proposal_id, author, _second, _admin = _world(app)
    staff = login(author)
    staff.post(f"/staff/proposals/{proposal_id}/answer", data=FORM)
    url = f"/staff/proposals/{proposal_id}/answer/publish"
    missing = staff.post(url, data={"version": "1"})
    assert missing.status_code == 422
    assert 'id="confirm-error"' in missing.get_data(as_text=True)
    assert SECRET not in client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    stale = staff.post(url, data={"version": "0", "confirm": "y"})  # not what was previewed
    assert stale.status_code == 302 and _draft(app, proposal_id) == ("draft", 1)
    first = staff.post(url, data={"version": "1", "confirm": "y"})
    again = staff.post(url, data={"version": "1", "confirm": "y"})  # a double click
    assert first.status_code == 302 and again.status_code == 302
    assert _draft(app, proposal_id) is None
    page = client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert SECRET in page and "都市計画課" in page and "市の回答を公開" in page
    assert "回答の下書きを保存" not in page  # staff-only steps stay with staff
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "proposal.answered",
            AuditEntry.target_id == proposal_id)) == 1
        published = db.session.scalars(select(ProposalStatusChange.action).where(
            ProposalStatusChange.proposal_id == proposal_id,
            ProposalStatusChange.action == "answer_published")).all()
        assert published == ["answer_published"]
    staff_page = staff.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "回答の下書きを保存" in staff_page and "職員のみ" in staff_page
    assert _actions(app, proposal_id) == ["proposal.answer_draft_saved", "proposal.answered"]


def test_with_approval_the_author_submits_and_another_approves(app, login, client):
    proposal_id, author, second, _admin = _world(app)
    writer, approver = login(author), login(second)
    with approval(app, True):
        writer.post(f"/staff/proposals/{proposal_id}/answer", data=FORM)
        preview = writer.get(f"/staff/proposals/{proposal_id}/answer/preview").text
        assert "決裁に回す" in preview and "回答を公開する" not in preview
        # No direct publication while approval is on.
        assert writer.post(f"/staff/proposals/{proposal_id}/answer/publish",
                           data={"version": "1", "confirm": "y"}).status_code == 403
        assert writer.post(f"/staff/proposals/{proposal_id}/answer/submit",
                           data={"version": "1"}).status_code == 302
        assert _draft(app, proposal_id) == ("submitted", 1)
        # Locked while it waits; the author cannot approve or return their own.
        assert writer.get(f"/staff/proposals/{proposal_id}/answer").status_code == 302
        for step in ("approve", "return"):
            own = writer.post(f"/staff/proposals/{proposal_id}/answer/{step}",
                              data={"version": "1", "confirm": "y", "reason": "自分で"})
            assert own.status_code == 403
        # The console's queue lists it, with the same count as its tab.
        console = approver.get("/staff?queue=approvals").text
        assert "駅前に屋根付きの駐輪場を" in console
        with app.app_context():
            assert queries.queue_counts()["approvals"] == len(
                queries.approval_page(None).items) == 1
        assert SECRET not in client.get(f"/proposals/{proposal_id}").text
        # Returned with a reason (required), edited, submitted again, approved.
        no_reason = approver.post(f"/staff/proposals/{proposal_id}/answer/return",
                                  data={"version": "1", "reason": ""})
        assert no_reason.status_code == 422 and 'id="reason-error"' in no_reason.text
        approver.post(f"/staff/proposals/{proposal_id}/answer/return",
                      data={"version": "1", "reason": "担当課の名前を正式名称に"})
        assert _draft(app, proposal_id) == ("returned", 2)
        assert "担当課の名前を正式名称に" in writer.get(
            f"/staff/proposals/{proposal_id}/answer").text
        writer.post(f"/staff/proposals/{proposal_id}/answer",
                    data={**FORM, "department": "建設部 都市計画課"})
        writer.post(f"/staff/proposals/{proposal_id}/answer/submit", data={"version": "3"})
        no_tick = approver.post(f"/staff/proposals/{proposal_id}/answer/approve",
                                data={"version": "3"})
        assert no_tick.status_code == 422 and 'id="confirm-error"' in no_tick.text
        assert approver.post(f"/staff/proposals/{proposal_id}/answer/approve",
                             data={"version": "3", "confirm": "y"}).status_code == 302
        assert approver.post(f"/staff/proposals/{proposal_id}/answer/approve",
                             data={"version": "3", "confirm": "y"}).status_code == 302
    page = client.get(f"/proposals/{proposal_id}").text
    assert SECRET in page and "建設部 都市計画課" in page
    assert _actions(app, proposal_id) == [
        "proposal.answer_draft_saved", "proposal.answer_submitted", "proposal.answer_returned",
        "proposal.answer_draft_saved", "proposal.answer_submitted", "proposal.answer_approved",
        "proposal.answered"]
    with app.app_context():
        answer = db.session.get(ProposalAnswer, proposal_id)
        assert answer.answered_by_id == inspect(second).identity[0]
        assert answer.department == "建設部 都市計画課"
        assert db.session.get(ProposalAnswerDraft, proposal_id) is None
        assert queries.queue_counts()["approvals"] == 0


def test_an_admin_approves_but_not_their_own(app, login):
    proposal_id, author, _second, admin = _world(app)
    with approval(app, True):
        login(admin).post(f"/staff/proposals/{proposal_id}/answer", data=FORM)
        login(admin).post(f"/staff/proposals/{proposal_id}/answer/submit", data={"version": "1"})
        assert login(admin).post(f"/staff/proposals/{proposal_id}/answer/approve",
                                 data={"version": "1", "confirm": "y"}).status_code == 403
        assert login(author).post(f"/staff/proposals/{proposal_id}/answer/approve",
                                  data={"version": "1", "confirm": "y"}).status_code == 302
    assert _draft(app, proposal_id) is None


def test_services_refuse_the_author_and_stale_versions(app):
    with app.app_context(), approval(app, True):
        proposal = make_proposal()
        author, other = make_user(Role.STAFF), make_user(Role.STAFF)
        data = AnswerData("under_review", "庁内で検討しています。", "企画課", date(2026, 6, 1))
        draft = drafts.save_draft(author, proposal, data)
        with pytest.raises(drafts.NotYourApproval):
            drafts.publish_draft(author, proposal, draft.version)
        drafts.submit_draft(other, proposal, draft.version)  # submitted by someone else
        with pytest.raises(drafts.DraftLocked):
            drafts.save_draft(author, proposal, data)
        with pytest.raises(drafts.NotYourApproval):  # the author, though not the submitter
            drafts.approve_draft(author, proposal, draft.version)
        with pytest.raises(drafts.NotYourApproval):  # the submitter
            drafts.approve_draft(other, proposal, draft.version)
        third = make_user(Role.STAFF)
        with pytest.raises(drafts.DraftConflict):
            drafts.approve_draft(third, proposal, draft.version + 1)
        drafts.approve_draft(third, proposal, draft.version)
        with pytest.raises(drafts.DraftConflict):
            drafts.approve_draft(third, proposal, draft.version)
        assert proposal.status == ProposalStatus.UNDER_REVIEW
        db.session.rollback()


def test_an_existing_answer_stays_published_while_its_revision_is_a_draft(app, login, client):
    proposal_id, author, _second, _admin = _world(app)
    with app.app_context():
        from komoro_engage.accounts.models import User
        from komoro_engage.proposals.models import Proposal

        staff_user = db.session.get(User, inspect(author).identity[0])
        answer_proposal(staff_user, db.session.get(Proposal, proposal_id), AnswerData(
            "under_review", "庁内で検討しています。", "企画課", date(2026, 5, 1)))
        db.session.commit()
    staff = login(author)
    form = staff.get(f"/staff/proposals/{proposal_id}/answer").text
    assert "庁内で検討しています。" in form  # the revision starts from the published text
    staff.post(f"/staff/proposals/{proposal_id}/answer", data=FORM)
    page = client.get(f"/proposals/{proposal_id}").text
    assert "庁内で検討しています。" in page and SECRET not in page


def test_the_page_cache_never_keeps_a_draft_and_shows_the_publication(app, login, monkeypatch):
    from komoro_engage.core.page_cache import EXTENSION, PageCache

    cache = PageCache(60, 1024 * 1024)
    monkeypatch.setitem(app.extensions, EXTENSION, cache)
    proposal_id, author, _second, _admin = _world(app)
    visitor, staff = app.test_client(), login(author)
    url = f"/proposals/{proposal_id}"
    for _ in range(2):  # a miss that keeps the page, then a hit
        assert visitor.get(url).status_code == 200
    assert cache._pages  # the page is kept: the cache is really on
    staff.post(f"/staff/proposals/{proposal_id}/answer", data=FORM)
    assert "市の回答を公開" not in visitor.get(url).text
    assert SECRET not in visitor.get(url).text
    staff.post(f"/staff/proposals/{proposal_id}/answer/publish",
               data={"version": "1", "confirm": "y"})
    page = visitor.get(url).text
    assert SECRET in page and "市の回答を公開" in page  # the kept page was not served
