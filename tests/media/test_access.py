"""Who may fetch a photo, and who may keep a copy (media/access.py and its registrations).

A photo of a proposal that is not public (draft, pending, hidden, withdrawn) answers
404 to everyone who may not read the proposal, and ``private, no-store`` to those who
may; photos on public pages stay cacheable by anyone for a year.
"""

from __future__ import annotations

import pytest

from komoro_engage.accounts.models import Role
from komoro_engage.core import clock
from komoro_engage.extensions import db
from komoro_engage.media.services import store_photo
from komoro_engage.projects.activities import ReportData, file_report
from komoro_engage.proposals.models import Proposal, ProposalStatus
from komoro_engage.proposals.services import hide_proposal, set_photos
from tests.factories import make_user
from tests.media import images
from tests.projects.helpers import make_project
from tests.proposals.helpers import make_proposal

NOT_PUBLIC = [ProposalStatus.DRAFT, ProposalStatus.PENDING, ProposalStatus.HIDDEN,
              ProposalStatus.WITHDRAWN]
PUBLIC = [ProposalStatus.PUBLISHED, ProposalStatus.UNDER_REVIEW, ProposalStatus.ADOPTED,
          ProposalStatus.NOT_ADOPTED]


@pytest.fixture
def people(app):
    """An author, another resident and a staff member (committed)."""
    with app.app_context():
        found = {"author": make_user(), "other": make_user(), "staff": make_user(role=Role.STAFF)}
        db.session.commit()
        return found


def proposal_photo(app, author, status: ProposalStatus, proposal_ids: list | None = None) -> str:
    """The key of a photo attached to a proposal by ``author`` in ``status``; a hidden or
    withdrawn one was public before (its link keeps working, showing a notice)."""
    with app.app_context():
        author = db.session.merge(author)
        photo = store_photo(images.upload(images.phone_jpeg()), author)
        once_public = status in (ProposalStatus.HIDDEN, ProposalStatus.WITHDRAWN)
        proposal = make_proposal(author=author, status=status,
                                 **({"published_at": clock.now()} if once_public else {}))
        set_photos(proposal, [], [photo])
        db.session.commit()
        if proposal_ids is not None:
            proposal_ids.append(proposal.id)
        return photo.key


def fetch(client, path: str):
    response = client.get(path)
    response.get_data()
    response.close()
    return response


@pytest.mark.parametrize("status", NOT_PUBLIC, ids=str)
def test_a_photo_of_a_proposal_that_is_not_public_is_not_found_by_others(
        app, client, login, people, status):
    key = proposal_photo(app, people["author"], status)
    for who in (client, login(people["other"])):
        for path in (f"/media/{key}", f"/media/{key}/thumb"):
            assert fetch(who, path).status_code == 404


@pytest.mark.parametrize("status", NOT_PUBLIC, ids=str)
def test_staff_see_it_and_nobody_keeps_a_copy(app, login, people, status):
    key = proposal_photo(app, people["author"], status)
    staff = login(people["staff"])
    for path in (f"/media/{key}", f"/media/{key}/thumb"):
        response = fetch(staff, path)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-store"
        assert "Expires" not in response.headers


@pytest.mark.parametrize("status", [ProposalStatus.DRAFT, ProposalStatus.PENDING,
                                    ProposalStatus.WITHDRAWN], ids=str)
def test_the_author_sees_the_photo_of_their_proposal_privately(app, login, people, status):
    key = proposal_photo(app, people["author"], status)
    response = fetch(login(people["author"]), f"/media/{key}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_hidden_proposals_photo_is_not_shown_to_its_author(app, login, people):
    """Like its text: a hidden proposal's page shows its author only the notice."""
    key = proposal_photo(app, people["author"], ProposalStatus.HIDDEN)
    assert fetch(login(people["author"]), f"/media/{key}").status_code == 404


@pytest.mark.parametrize("status", PUBLIC, ids=str)
def test_a_photo_of_a_public_proposal_is_cacheable_by_anyone(app, client, login, people, status):
    key = proposal_photo(app, people["author"], status)
    for who in (client, login(people["other"]), login(people["author"])):
        cache = fetch(who, f"/media/{key}").cache_control
        assert cache.public and cache.immutable and cache.max_age == 365 * 24 * 3600


def test_a_photo_stops_being_served_when_its_proposal_is_hidden(app, client, people):
    proposal_ids = []
    key = proposal_photo(app, people["author"], ProposalStatus.PUBLISHED, proposal_ids)
    assert fetch(client, f"/media/{key}").status_code == 200
    with app.app_context():
        hide_proposal(db.session.merge(people["staff"]),
                      db.session.get(Proposal, proposal_ids[0]), "写真に個人が写っているため")
        db.session.commit()
    assert fetch(client, f"/media/{key}").status_code == 404


def test_a_progress_reports_photo_is_public(app, client, people):
    with app.app_context():
        lead = db.session.merge(people["author"])
        photo = store_photo(images.upload(images.phone_jpeg()), lead)
        file_report(lead, make_project(lead=lead), ReportData(body="草刈りをしました"), [photo])
        db.session.commit()
        key = photo.key
    assert fetch(client, f"/media/{key}").cache_control.public


def test_a_photo_nothing_shows_yet_is_only_its_uploaders(app, client, login, people):
    with app.app_context():
        key = store_photo(images.upload(images.phone_jpeg()),
                          db.session.merge(people["author"])).key
        db.session.commit()
    assert fetch(client, f"/media/{key}").status_code == 404
    assert fetch(login(people["other"]), f"/media/{key}").status_code == 404
    own = fetch(login(people["author"]), f"/media/{key}")
    assert own.status_code == 200 and own.headers["Cache-Control"] == "private, no-store"
    assert fetch(login(people["staff"]), f"/media/{key}").status_code == 200
