"""Account and organisation pages: constant queries, htmx fragments."""

import pytest

from komoro_engage.accounts.models import Membership, MembershipStatus, Role
from komoro_engage.extensions import db
from tests.factories import make_organisation, make_user


def grow(app, manager_id: int, organisation_id: int, n: int) -> None:
    """Give the manager ``n`` more organisations and the organisation ``n`` more members."""
    with app.app_context():
        from komoro_engage.accounts.models import User

        manager = db.session.get(User, manager_id)
        for _ in range(n):
            make_organisation(manager)
            db.session.add(Membership(organisation_id=organisation_id, user_id=make_user().id,
                                      status=MembershipStatus.REQUESTED))
            db.session.add(Membership(organisation_id=organisation_id, user_id=make_user().id))
        db.session.commit()


def test_account_and_members_pages_take_a_constant_number_of_queries(
        app, login, count_queries):
    with app.app_context():
        manager = make_user()
        organisation = make_organisation(manager)
        db.session.commit()
        manager_id, organisation_id = manager.id, organisation.id
    client = login(manager)
    paths = ["/account", f"/organisations/{organisation_id}/members",
             f"/organisations/{organisation_id}"]
    counts = []
    for n in (1, 4):
        grow(app, manager_id, organisation_id, n)
        row = []
        for path in paths:
            count_queries.reset()
            assert client.get(path).status_code == 200
            row.append(count_queries.count)
        counts.append(row)
    assert counts[0] == counts[1], dict(zip(paths, zip(*counts, strict=True), strict=True))


@pytest.mark.parametrize("path", ["/login", "/signup", "/organisations", "/password/forgot"])
def test_htmx_requests_get_the_content_block_only(client, path):
    full = client.get(path)
    fragment = client.get(path, headers={"HX-Request": "true"})
    assert "<html" in full.get_data(as_text=True)
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in body and "<h1>" in body
    assert "HX-Request" in fragment.headers["Vary"]


def test_staff_pages_render_as_htmx_fragments_too(login, ctx_free_user):
    staff = ctx_free_user(role=Role.STAFF)
    body = login(staff).get("/admin/audit", headers={"HX-Request": "true"}).get_data(
        as_text=True)
    assert "<html" not in body and "監査ログ" in body
