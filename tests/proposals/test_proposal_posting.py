"""Posting from the form: drafts, validation kept next to fields, submit, edit, withdraw."""

import pytest
from sqlalchemy import select

from komoro_engage.accounts.models import Role, UserStatus
from komoro_engage.core.text import grapheme_length
from komoro_engage.extensions import db
from komoro_engage.plan.models import Ku, PriorityItem
from komoro_engage.proposals.models import Proposal, ProposalStatus
from tests.factories import make_organisation, make_user
from tests.proposals.helpers import area, make_proposal


@pytest.fixture
def form_data(app):
    """Valid form fields for a new proposal, with ``changes`` applied."""
    with app.app_context():
        first_area = str(area(1).id)

    def build(**changes):
        data = {"title": "小諸駅前に屋根付きの駐輪場を",
                "body": "雨の日も自転車で通学できるように。",
                "kind": "idea", "policy_areas": [first_area], "place": "", "action": "draft"}
        data.update(changes)
        return data

    return build


@pytest.mark.parametrize(("text", "length"), [
    ("こもろ", 3), ("👨‍👩‍👧‍👦家族", 3), ("か\u3099き", 2), ("ＡＢＣ", 3), ("🇯🇵", 1),
])
def test_titles_are_counted_as_people_count_them(text, length):
    assert grapheme_length(text) == length


def test_a_resident_saves_a_draft_then_submits_it(app, login, form_data):
    with app.app_context():
        author = make_user()
        item_id = db.session.scalars(select(PriorityItem.id)).first()
        area_ids = [str(area(1).id), str(area(3).id)]
        db.session.commit()
    client = login(author)
    response = client.post("/proposals/new", data=form_data(
        policy_areas=area_ids, priority_items=[str(item_id)], kind="collaboration"))
    assert response.status_code == 302
    with app.app_context():
        proposal = db.session.scalars(select(Proposal)).one()
        assert proposal.status == ProposalStatus.DRAFT
        assert [a.number for a in proposal.policy_areas] == [1, 3]
        assert [i.id for i in proposal.priority_items] == [item_id]
        assert proposal.district_id is None  # 市全域
        proposal_id = proposal.id
    assert "下書き" in client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    # Nobody else sees a draft.
    assert app.test_client().get(f"/proposals/{proposal_id}").status_code == 404
    client.post(f"/proposals/{proposal_id}/submit")
    with app.app_context():
        assert db.session.get(Proposal, proposal_id).status == ProposalStatus.PENDING


def test_errors_show_next_to_fields_and_keep_what_was_typed(app, login, form_data):
    with app.app_context():
        author = make_user()
        db.session.commit()
    client = login(author)
    response = client.post("/proposals/new", data=form_data(
        title="短い", body="x" * 4001, policy_areas=[]))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "タイトルは5〜80文字で入力してください（今は2文字）。" in html
    assert 'id="title-error"' in html and 'aria-invalid="true"' in html
    assert "内容は4,000文字以内で入力してください（今は4,001文字）。" in html
    assert "政策分野を1つ以上選んでください。" in html
    assert 'value="短い"' in html and "x" * 4001 in html
    with app.app_context():
        assert db.session.scalar(select(Proposal.id)) is None


def test_eighty_emoji_family_title_fits(app, login, form_data):
    with app.app_context():
        author = make_user()
        db.session.commit()
    client = login(author)
    title = "👨‍👩‍👧" * 80
    assert client.post("/proposals/new", data=form_data(title=title)).status_code == 302
    assert client.post("/proposals/new", data=form_data(title=title + "あ")).status_code == 422


def test_place_and_organisation_the_author_manages(app, login, form_data):
    with app.app_context():
        author = make_user()
        org = make_organisation(manager=author)
        other_org = make_organisation(manager=make_user())
        ku = db.session.scalars(select(Ku)).first()
        place = f"k{ku.district_id}-{ku.id}"
        expected = (ku.district_id, ku.id, org.id)
        other_id = other_org.id
        db.session.commit()
    client = login(author)
    assert client.post("/proposals/new", data=form_data(
        place=place, organisation=str(other_id))).status_code == 422
    assert client.post("/proposals/new", data=form_data(
        place=place, organisation=str(expected[2]))).status_code == 302
    with app.app_context():
        proposal = db.session.scalars(select(Proposal)).one()
        assert (proposal.district_id, proposal.ku_id, proposal.organisation_id) == expected


def test_author_edits_until_published_and_withdraws_any_time(app, login, form_data):
    with app.app_context():
        author = make_user()
        pending = make_proposal(author, status=ProposalStatus.PENDING).id
        published = make_proposal(author, status=ProposalStatus.PUBLISHED).id
        db.session.commit()
    client = login(author)
    assert client.get(f"/proposals/{pending}/edit").status_code == 200
    assert client.post(f"/proposals/{pending}/edit",
                       data=form_data(title="修正した題名です")).status_code == 302
    assert client.get(f"/proposals/{published}/edit").status_code == 403
    assert client.post(f"/proposals/{published}/withdraw").status_code == 302
    with app.app_context():
        assert db.session.get(Proposal, pending).title == "修正した題名です"
        assert db.session.get(Proposal, pending).status == ProposalStatus.PENDING
        assert db.session.get(Proposal, published).status == ProposalStatus.WITHDRAWN
    html = app.test_client().get(f"/proposals/{published}").get_data(as_text=True)
    assert "この提案は投稿者により取り下げられました。" in html


def test_staff_send_back_and_the_author_sees_the_reason(app, login, form_data):
    with app.app_context():
        author, staff = make_user(), make_user(Role.STAFF)
        proposal_id = make_proposal(author, status=ProposalStatus.PENDING).id
        db.session.commit()
    staff_client = login(staff)
    assert login(author).post(f"/proposals/{proposal_id}/approve").status_code == 403
    response = staff_client.post(f"/proposals/{proposal_id}/send-back", data={"reason": ""})
    assert response.status_code == 422 and "理由を入力してください。" in response.get_data(True)
    staff_client.post(f"/proposals/{proposal_id}/send-back",
                      data={"reason": "個人名を消してください"})
    author_client = login(author)
    html = author_client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "市からの差し戻し理由" in html and "個人名を消してください" in html
    assert "個人名を消してください" in author_client.get(
        f"/proposals/{proposal_id}/edit").get_data(as_text=True)
    author_client.post(f"/proposals/{proposal_id}/edit", data=form_data(action="submit"))
    staff_client.post(f"/proposals/{proposal_id}/approve")
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        assert proposal.status == ProposalStatus.PUBLISHED and proposal.published_at
    assert app.test_client().get(f"/proposals/{proposal_id}").status_code == 200


def test_suspended_users_cannot_post(app, login, form_data):
    with app.app_context():
        suspended = make_user(status=UserStatus.SUSPENDED)
        db.session.commit()
        suspended_id = suspended.id
    refused = login(suspended).post("/proposals/new", data=form_data())
    assert refused.status_code == 302 and refused.location.startswith("/login")
    with app.app_context():
        assert not db.session.scalars(select(Proposal).where(
            Proposal.author_id == suspended_id)).first()


def test_anonymous_visitors_are_asked_to_sign_in(client):
    response = client.get("/proposals/new")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_staff_review_queue_and_my_proposals(app, login):
    with app.app_context():
        author, staff = make_user(), make_user(Role.STAFF)
        make_proposal(author, title="審査を待っている提案です", status=ProposalStatus.PENDING)
        make_proposal(author, title="書きかけの下書きです", status=ProposalStatus.DRAFT)
        db.session.commit()
    queue = login(staff).get("/proposals/review").get_data(as_text=True)
    assert "審査を待っている提案です" in queue and "書きかけの下書きです" not in queue
    mine = login(author).get("/proposals/mine").get_data(as_text=True)
    assert "審査を待っている提案です" in mine and "書きかけの下書きです" in mine


def test_proposal_pages_speak_english(app, client):
    with app.app_context():
        proposal_id = make_proposal().id
        db.session.commit()
    client.set_cookie("lang", "en")
    listing = client.get("/proposals").get_data(as_text=True)
    assert "Make a proposal" in listing and "Most supported" in listing
    detail = client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "Share on LINE" in detail and "Open for support" in detail


def test_staff_hide_with_a_public_reason_then_restore(app, login):
    with app.app_context():
        staff = make_user(Role.STAFF)
        proposal_id = make_proposal(title="駅前に看板を増やす案").id
        db.session.commit()
    client = login(staff)
    response = client.post(f"/proposals/{proposal_id}/hide", data={"reason": ""})
    assert response.status_code == 422 and "理由を入力してください。" in response.get_data(True)
    client.post(f"/proposals/{proposal_id}/hide", data={"reason": "電話番号が書かれていたため"})
    public = app.test_client().get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "運営により非表示" in public and "電話番号が書かれていたため" in public
    assert "駅前に看板を増やす案" not in public
    assert client.post(f"/proposals/{proposal_id}/restore",
                       data={"reason": "修正を確認"}).status_code == 302
    with app.app_context():
        assert db.session.get(Proposal, proposal_id).status == ProposalStatus.PUBLISHED


def test_submit_button_on_a_pending_proposal_just_saves(app, login, form_data):
    with app.app_context():
        author = make_user()
        pending = make_proposal(author, status=ProposalStatus.PENDING).id
        db.session.commit()
    response = login(author).post(f"/proposals/{pending}/edit",
                                  data=form_data(action="submit", title="直した題名です"))
    assert response.status_code == 302
    with app.app_context():
        proposal = db.session.get(Proposal, pending)
        assert (proposal.status, proposal.title) == (ProposalStatus.PENDING, "直した題名です")


def test_my_proposals_are_paginated(app, login):
    with app.app_context():
        author = make_user()
        for n in range(7):
            make_proposal(author, title=f"ページ送りの確認{n}", status=ProposalStatus.DRAFT)
        db.session.commit()
    client = login(author)
    first = client.get("/proposals/mine").get_data(as_text=True)
    second = client.get("/proposals/mine?page=2").get_data(as_text=True)
    assert first.count("ページ送りの確認") == 5 and second.count("ページ送りの確認") == 2
    assert "1 / 2 ページ" in first and 'rel="next"' in first
