"""Deleting an account keeps or removes the person's proposals and comments, as they chose."""

from sqlalchemy import select

from komoro_engage.accounts.erasure import delete_account, export_user_data
from komoro_engage.accounts.models import User
from komoro_engage.comments.services import add_comment
from komoro_engage.extensions import db
from komoro_engage.media.models import Photo
from komoro_engage.media.services import store_photo
from komoro_engage.proposals import search_sync
from komoro_engage.proposals.engagement import support_proposal
from komoro_engage.proposals.erasure import REMOVED_TITLE
from komoro_engage.proposals.models import Proposal, ProposalPhoto, ProposalStatus
from tests.factories import make_user
from tests.media.images import phone_jpeg, upload
from tests.proposals.helpers import make_proposal


def _author_with_posts():
    author, neighbour = make_user(nickname="消える人"), make_user(nickname="隣の人")
    proposal = make_proposal(author, title="除雪の順番を地区で決めたい")
    photo = store_photo(upload(phone_jpeg()), author)
    db.session.add(ProposalPhoto(proposal=proposal, photo=photo, position=0))
    other = make_proposal(neighbour, title="公園のベンチを直したい")
    comment = add_comment(author, other, "賛成です。通学路にもあります。")
    support_proposal(neighbour, proposal)
    db.session.commit()
    return author.id, proposal.id, other.id, comment.id, photo.id


def test_kept_posts_stay_under_a_neutral_name(app, client):
    with app.app_context():
        author_id, proposal_id, other_id, _comment, _photo = _author_with_posts()
        delete_account(db.session.get(User, author_id), remove_posts=False)
        db.session.commit()
    html = client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "除雪の順番を地区で決めたい" in html and "退会したユーザー" in html
    assert "消える人" not in html
    html = client.get(f"/proposals/{other_id}").get_data(as_text=True)
    assert "通学路にもあります" in html and "退会したユーザー" in html and "消える人" not in html


def test_removed_posts_lose_their_words_photos_and_search_entry(app, client):
    with app.app_context():
        author_id, proposal_id, other_id, _comment, photo_id = _author_with_posts()
        delete_account(db.session.get(User, author_id), remove_posts=True)
        db.session.commit()
        proposal = db.session.get(Proposal, proposal_id)
        assert proposal.status == ProposalStatus.WITHDRAWN
        assert proposal.title == REMOVED_TITLE and "除雪" not in proposal.body
        assert proposal.support_count == 1  # the neighbour's support is theirs to keep
        assert db.session.get(Photo, photo_id) is None
        assert not list(db.session.scalars(search_sync.matching("除雪")))
    html = client.get(f"/proposals/{other_id}").get_data(as_text=True)
    assert "このコメントは削除されました" in html and "通学路にもあります" not in html
    assert "除雪" not in client.get("/proposals").get_data(as_text=True)


def test_personal_data_download_lists_proposals_comments_and_supports(app):
    with app.app_context():
        author_id, proposal_id, other_id, comment_id, _photo = _author_with_posts()
        data = export_user_data(db.session.get(User, author_id))
        neighbour = db.session.scalars(select(User).where(User.nickname == "隣の人")).one()
        neighbour_data = export_user_data(neighbour)
    posts = data["proposals"]
    assert [p["id"] for p in posts["proposals"]] == [proposal_id]
    assert [c["id"] for c in posts["comments"]] == [comment_id]
    assert neighbour_data["proposals"]["supported_proposal_ids"] == [proposal_id]
