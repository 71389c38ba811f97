"""Following through HTTP: the buttons, the follow and unfollow POSTs, the フォロー中 page."""

import re

import pytest
from sqlalchemy import select

from komoro_engage.accounts.models import User
from komoro_engage.extensions import db
from komoro_engage.notifications.follow_models import Follow
from komoro_engage.notifications.follows import follow
from komoro_engage.notifications.services import wants_email
from komoro_engage.plan.models import District, Measure, PolicyArea
from komoro_engage.proposals.models import ProposalStatus
from tests.factories import make_user
from tests.projects.helpers import make_project
from tests.proposals.helpers import make_proposal


@pytest.fixture
def world(app):
    with app.app_context():
        reader, author = make_user(nickname="フォローする人"), make_user()
        ids = {
            "reader": reader.id,
            "proposal": make_proposal(author, title="公園にベンチを").id,
            "pending": make_proposal(author, ProposalStatus.PENDING).id,
            "hidden": make_proposal(author, ProposalStatus.HIDDEN).id,
            "project": make_project(author, title="河川敷の清掃").id,
        }
        db.session.commit()
        return ids


@pytest.fixture
def reader(app, login, world):
    with app.app_context():
        return login(db.session.get(User, world["reader"]))


def active_follows(app, user_id):
    with app.app_context():
        return set(db.session.execute(select(Follow.target_type, Follow.target_id).where(
            Follow.user_id == user_id, Follow.stopped_at.is_(None))).all())


def test_no_javascript_follow_and_unfollow_come_back_to_the_page(app, reader, world):
    page = f"/proposals/{world['proposal']}"
    html = reader.get(page).get_data(as_text=True)
    assert "フォローする" in html and f'action="/follow/proposal/{world["proposal"]}"' in html
    response = reader.post(f"/follow/proposal/{world['proposal']}", data={"next": page})
    assert response.status_code == 302 and response.location == page
    assert active_follows(app, world["reader"]) == {("proposal", world["proposal"])}
    html = reader.get(page).get_data(as_text=True)
    assert "フォロー中（解除する）" in html and 'aria-pressed="true"' in html

    response = reader.post(f"/unfollow/proposal/{world['proposal']}", data={"next": page})
    assert response.status_code == 302 and response.location == page
    assert active_follows(app, world["reader"]) == set()


def test_an_unsafe_next_goes_to_the_item_instead(app, reader, world):
    for unsafe in ("https://evil.example/", "//evil.example", "/\\evil.example", ""):
        response = reader.post(f"/follow/project/{world['project']}", data={"next": unsafe})
        assert response.location == f"/projects/{world['project']}", unsafe


def test_htmx_swaps_the_button_in_place(app, reader, world):
    response = reader.post(f"/follow/proposal/{world['proposal']}",
                           headers={"HX-Request": "true"}, data={"next": "/proposals"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<form class="follow-form"') and "<html" not in html
    assert "フォロー中（解除する）" in html
    assert f'hx-post="/unfollow/proposal/{world["proposal"]}"' in html
    assert 'name="next" value="/proposals"' in html  # still knows the page it is on


@pytest.mark.parametrize("path", [
    "/follow/proposal/{pending}", "/follow/proposal/{hidden}", "/follow/proposal/999999",
    "/follow/comment/{proposal}", "/follow/project/999999", "/follow/measure/999999",
    "/follow/district/999999", "/unfollow/proposal/{pending}"])
def test_what_is_not_public_or_not_there_is_not_found(app, reader, world, path):
    assert reader.post(path.format(**world)).status_code == 404
    assert active_follows(app, world["reader"]) == set()


def test_an_item_hidden_since_can_still_be_left(app, reader, world):
    with app.app_context():
        follow(db.session.get(User, world["reader"]), "proposal", world["hidden"])
        db.session.commit()
    assert reader.post(f"/unfollow/proposal/{world['hidden']}").status_code == 302
    assert active_follows(app, world["reader"]) == set()


def test_signed_out_sees_no_button_and_is_sent_to_sign_in(client, world):
    assert "follow-form" not in client.get(f"/proposals/{world['proposal']}").get_data(
        as_text=True)
    response = client.post(f"/follow/proposal/{world['proposal']}")
    assert response.status_code == 302 and "/login" in response.location


def test_follow_needs_a_csrf_token(app, reader, world):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert reader.post(f"/follow/proposal/{world['proposal']}").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert active_follows(app, world["reader"]) == set()


def test_every_kind_of_page_has_its_button(app, reader, world):
    with app.app_context():
        measure = db.session.scalar(select(Measure).order_by(Measure.id).limit(1))
        area = db.session.scalar(select(PolicyArea).order_by(PolicyArea.number).limit(1))
        district = db.session.scalar(select(District).order_by(District.id).limit(1))
        pages = {
            f"/projects/{world['project']}": f"/follow/project/{world['project']}",
            f"/plan/measures/{measure.code}": f"/follow/measure/{measure.id}",
            f"/plan/areas/{area.number}": f"/follow/policy_area/{area.id}",
            "/plan/districts": f"/follow/district/{district.id}",
        }
    for page, action in pages.items():
        html = reader.get(page).get_data(as_text=True)
        assert f'action="{action}"' in html, page
        response = reader.post(action, data={"next": page})
        assert response.status_code == 302 and response.location == page


def test_the_following_page_lists_and_leaves(app, reader, world):
    with app.app_context():
        person = db.session.get(User, world["reader"])
        follow(person, "proposal", world["proposal"])
        follow(person, "project", world["project"])
        follow(person, "proposal", world["hidden"])
        db.session.commit()
    html = reader.get("/account/following").get_data(as_text=True)
    assert "公園にベンチを" in html and "河川敷の清掃" in html
    assert "公開されていない項目です。" in html
    assert len(re.findall(r'class="follow-form"', html)) == 3
    assert "/account/following" in reader.get("/account/notifications").get_data(as_text=True)
    response = reader.post(f"/unfollow/project/{world['project']}",
                           data={"next": "/account/following"})
    assert response.location == "/account/following"
    assert "河川敷の清掃" not in reader.get("/account/following").get_data(as_text=True)


def test_the_following_page_is_paginated(app, reader, world):
    with app.app_context():
        person = db.session.get(User, world["reader"])
        for _ in range(app.config["PAGE_SIZE"] + 1):
            follow(person, "proposal", make_proposal().id)
        db.session.commit()
    first = reader.get("/account/following").get_data(as_text=True)
    assert 'rel="next"' in first
    assert reader.get("/account/following?page=2").status_code == 200


def test_a_page_of_buttons_asks_once(app, reader, world, count_queries):
    """The districts page has a button per district: one query says which are followed."""
    reader.get("/plan/districts")
    count_queries.reset()
    reader.get("/plan/districts")
    assert sum("FROM follow" in sql for sql in count_queries.statements) == 1


def test_the_mail_settings_offer_follow_mail_and_the_daily_digest(app, reader, world):
    html = reader.get("/account/notifications").get_data(as_text=True)
    assert "フォローしている項目の更新" in html and "1日1回のまとめ" in html
    response = reader.post("/account/notifications",
                           data={"following": "y", "following_digest": "y"})
    assert response.status_code == 302
    with app.app_context():
        person = db.session.get(User, world["reader"])
        assert wants_email(person, "following") and wants_email(person, "following_digest")
