"""Photos on proposals: up to four, refusals next to the field with the text kept, OG tags."""

from io import BytesIO

import pytest
from sqlalchemy import func, select

from komoro_engage.extensions import db
from komoro_engage.media.models import Photo
from komoro_engage.proposals.models import Proposal, ProposalPhoto, ProposalStatus
from tests.factories import make_user
from tests.media import images
from tests.proposals.helpers import area


@pytest.fixture
def author_client(app, login):
    with app.app_context():
        author = make_user()
        area_id = str(area(2).id)
        db.session.commit()
    client = login(author)

    def post(url="/proposals/new", files=(), **changes):
        data = {"title": "古い空家を地域の交流拠点に", "body": "写真の建物です。",
                "kind": "idea", "policy_areas": [area_id], "place": "", "action": "draft",
                "photos": [(BytesIO(content), name) for name, content in files]}
        data.update(changes)
        return client.post(url, data=data, content_type="multipart/form-data")

    post.client = client
    return post


def photo_rows(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Photo))


def test_photos_are_stored_in_order(app, author_client):
    response = author_client(files=[("IMG_1.jpg", images.phone_jpeg()),
                                    ("IMG_2.heic", images.heic())])
    assert response.status_code == 302
    with app.app_context():
        proposal = db.session.scalars(select(Proposal)).one()
        assert [link.position for link in proposal.photo_links] == [0, 1]
        assert proposal.photos[0].width == 200  # EXIF orientation applied (400×200 → 200×400)
        proposal_id = proposal.id
    html = author_client.client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert html.count("/thumb\"") == 2


def test_the_page_shows_its_photos_in_order_from_the_proposals_own_statement(
        app, author_client, count_queries):
    """The photos are joined into the page's statement (issue 16), kept in their order."""
    response = author_client(files=[("IMG_1.jpg", images.phone_jpeg()),
                                    ("IMG_2.heic", images.heic()),
                                    ("IMG_3.jpg", images.phone_jpeg())])
    assert response.status_code == 302
    with app.app_context():
        proposal_id = db.session.scalars(select(Proposal.id)).one()
        keys = db.session.scalars(
            select(Photo.key).join(ProposalPhoto, ProposalPhoto.photo_id == Photo.id)
            .where(ProposalPhoto.proposal_id == proposal_id)
            .order_by(ProposalPhoto.position)).all()
        # Put the photos out of their id order: the page must follow the positions.
        links = db.session.scalars(select(ProposalPhoto).where(
            ProposalPhoto.proposal_id == proposal_id)).all()
        for link in links:
            link.position = 10 - link.position
        db.session.commit()
    count_queries.reset()
    html = author_client.client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    shown = sorted(keys, key=lambda key: html.index(f"/{key}/thumb"))
    assert shown == list(reversed(keys))
    assert not [s for s in count_queries.statements if s.lstrip().startswith(
        "SELECT proposal_photo")], count_queries.statements


def test_a_refused_file_is_named_next_to_the_field_and_the_text_is_kept(app, author_client):
    response = author_client(files=[("IMG_1.jpg", images.phone_jpeg()),
                                    ("document.jpg", images.PDF)],
                             title="古い空家を地域の交流拠点にしたい")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "document.jpg: この形式のファイルは使えません。" in html
    assert 'id="photos-error"' in html and 'value="古い空家を地域の交流拠点にしたい"' in html
    assert photo_rows(app) == 0  # the good photo of the same post is not kept either
    with app.app_context():
        assert db.session.scalar(select(Proposal.id)) is None


def test_five_photos_are_refused_and_edit_counts_kept_ones(app, author_client):
    five = [(f"IMG_{n}.jpg", images.phone_jpeg()) for n in range(5)]
    assert author_client(files=five).status_code == 422
    assert author_client(files=five[:3]).status_code == 302
    with app.app_context():
        proposal = db.session.scalars(select(Proposal)).one()
        proposal_id, first_photo = proposal.id, proposal.photos[0].id
    edit = f"/proposals/{proposal_id}/edit"
    response = author_client(edit, files=five[:2])
    assert response.status_code == 422
    assert "写真は合わせて4枚までです。" in response.get_data(as_text=True)
    assert author_client(edit, files=five[:2],
                         remove_photos=[str(first_photo)]).status_code == 302
    with app.app_context():
        links = db.session.scalars(select(ProposalPhoto).where(
            ProposalPhoto.proposal_id == proposal_id).order_by(ProposalPhoto.position)).all()
        assert [link.position for link in links] == [0, 1, 2, 3]
        assert first_photo not in [link.photo_id for link in links]
        assert db.session.get(Photo, first_photo) is None


def test_open_graph_tags_carry_title_description_and_first_photo(app, author_client):
    author_client(files=[("IMG_1.jpg", images.phone_jpeg())])
    with app.app_context():
        proposal = db.session.scalars(select(Proposal)).one()
        proposal.status = ProposalStatus.PUBLISHED
        key, proposal_id = proposal.photos[0].key, proposal.id
        db.session.commit()
    html = app.test_client().get(f"/proposals/{proposal_id}").get_data(as_text=True)
    base = app.config["BASE_URL"]
    assert '<meta property="og:title" content="古い空家を地域の交流拠点に">' in html
    assert '<meta property="og:description" content="写真の建物です。">' in html
    assert f'<meta property="og:image" content="{base}/media/{key}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    share = f"{base}/proposals/{proposal_id}"
    assert f'value="{share}"' in html
    from urllib.parse import quote
    assert ("https://social-plugins.line.me/lineit/share?url=" + quote(share, safe="")) in html


def test_a_photo_with_gps_exif_never_places_the_proposal(app, author_client):
    """Issue 21: the phone's GPS position (Komoro Castle ruins in images.phone_jpeg) is
    stripped with the rest of EXIF and never becomes the proposal's place."""
    response = author_client(files=[("IMG_1.jpg", images.phone_jpeg())])
    assert response.status_code == 302
    with app.app_context():
        proposal = db.session.scalars(select(Proposal)).one()
        assert proposal.latitude is None and proposal.public_latitude is None
        assert proposal.place_precision is None and proposal.district_id is None
        proposal_id = proposal.id
    html = author_client.client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "地図上の位置" not in html
