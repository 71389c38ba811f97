"""Organisations: registration, verification, join requests, invitations, public page."""

from sqlalchemy import select

from komoro_engage.accounts.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
    Role,
)
from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from komoro_engage.plan.models import District
from tests.factories import make_organisation


def committed_org(app, manager=None, **fields):
    with app.app_context():
        if manager is not None:
            manager = db.session.merge(manager)
        organisation = make_organisation(manager, **fields)
        db.session.commit()
        return organisation.id


def membership(app, organisation_id, user_id):
    with app.app_context():
        row = db.session.scalar(select(Membership).filter_by(
            organisation_id=organisation_id, user_id=user_id))
        if row is not None:
            db.session.expunge(row)
        return row


def test_a_resident_registers_an_unverified_organisation_and_manages_it(app, login,
                                                                       ctx_free_user):
    resident = ctx_free_user()
    with app.app_context():
        district_id = db.session.scalars(select(District)).first().id
    client = login(resident)
    response = client.post("/organisations/new", data={
        "name": "ＫＯＭＯＲＯ 里山クラブ", "kind": "npo", "district_id": str(district_id),
        "description": "里山の手入れをしています。\n毎月第2土曜日。"})
    assert response.status_code == 302
    with app.app_context():
        organisation = db.session.scalar(select(Organisation).filter_by(
            name="KOMORO 里山クラブ"))
        assert organisation.verified_at is None and organisation.kind == "npo"
        org_id = organisation.id
    own = membership(app, org_id, resident.id)
    assert (own.role, own.status) == (MembershipRole.MANAGER, MembershipStatus.ACTIVE)
    page = client.get(f"/organisations/{org_id}").get_data(as_text=True)
    assert "未確認" in page and "NPO法人" in page and "毎月第2土曜日。" in page
    assert "メンバー管理" in page

    duplicate = client.post("/organisations/new", data={
        "name": "komoro 里山クラブ", "kind": "community_group", "district_id": ""})
    assert '<p class="field-error" id="name-error">' in duplicate.get_data(as_text=True)


def test_staff_verify_an_organisation_with_a_reason_and_it_is_audited(app, login,
                                                                      ctx_free_user):
    staff = ctx_free_user(role=Role.STAFF)
    org_id = committed_org(app, name="こもろ子ども食堂")
    client = login(staff)
    missing = client.post(f"/organisations/{org_id}/verification",
                          data={"verified": "1", "reason": ""})
    assert '<p class="field-error" id="reason-error">' in missing.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Organisation, org_id).verified_at is None  # no reason, no change
    client.post(f"/organisations/{org_id}/verification",
                data={"verified": "1", "reason": "NPO法人登記を確認"})
    public = login(ctx_free_user()).get(f"/organisations/{org_id}").get_data(as_text=True)
    assert "市が確認済み" in public and "市による確認（職員）" not in public
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).filter_by(
            action="organisation.verified", target_id=org_id))
        assert (entry.actor_id, entry.reason) == (staff.id, "NPO法人登記を確認")


def test_join_request_is_approved_by_a_manager(app, login, ctx_free_user):
    manager = ctx_free_user()
    resident = ctx_free_user(nickname="参加希望さん")
    org_id = committed_org(app, manager)
    resident_client = login(resident)
    resident_client.post(f"/organisations/{org_id}/join")
    resident_client.post(f"/organisations/{org_id}/join")  # twice: still one request
    request_row = membership(app, org_id, resident.id)
    assert request_row.status == MembershipStatus.REQUESTED
    assert resident_client.get(f"/organisations/{org_id}/members").status_code == 403

    manager_client = login(manager)
    assert "参加希望さん" in manager_client.get(
        f"/organisations/{org_id}/members").get_data(as_text=True)
    manager_client.post(f"/organisations/{org_id}/members/{request_row.id}/approve")
    assert membership(app, org_id, resident.id).status == MembershipStatus.ACTIVE


def test_manager_invites_by_email_and_only_that_address_can_accept(app, login, ctx_free_user,
                                                                   mailbox):
    manager = ctx_free_user()
    invitee = ctx_free_user(email="invitee@example.jp")
    other = ctx_free_user(email="other@example.jp")
    org_id = committed_org(app, manager)
    response = login(manager).post(f"/organisations/{org_id}/invite",
                                   data={"email": "Invitee@example.jp"})
    assert response.status_code == 302
    link = mailbox.link_to("invitee@example.jp", "/organisations/invitations/")

    other_client = login(other)
    assert "別のメールアドレスあて" in other_client.get(link).get_data(as_text=True)
    other_client.post(link)
    assert membership(app, org_id, other.id) is None

    invitee_client = login(invitee)
    assert invitee_client.get(link).status_code == 200
    assert invitee_client.post(link).status_code == 302
    assert membership(app, org_id, invitee.id).status == MembershipStatus.ACTIVE


def test_the_last_manager_cannot_leave_or_step_down(app, login, ctx_free_user):
    manager = ctx_free_user()
    org_id = committed_org(app, manager)
    own = membership(app, org_id, manager.id)
    client = login(manager)
    client.post(f"/organisations/{org_id}/leave")
    client.post(f"/organisations/{org_id}/members/{own.id}/role", data={"role": "member"})
    still = membership(app, org_id, manager.id)
    assert (still.role, still.status) == (MembershipRole.MANAGER, MembershipStatus.ACTIVE)


def test_public_organisation_pages_never_show_personal_data(app, client, ctx_free_user):
    manager = ctx_free_user(email="secret-manager@example.jp", age_band="40s",
                            real_name="小諸 花子")
    org_id = committed_org(app, manager, description="公開の紹介文")
    for path in (f"/organisations/{org_id}", "/organisations"):
        html = client.get(path).get_data(as_text=True)
        assert "secret-manager@example.jp" not in html and "小諸 花子" not in html
        assert "40代" not in html


def test_organisation_list_takes_a_constant_number_of_queries(app, client, count_queries):
    counts = []
    for n in range(2):
        for i in range(3):
            committed_org(app, name=f"一覧の団体{n}-{i}")
        count_queries.reset()
        assert client.get("/organisations").status_code == 200
        counts.append(count_queries.count)
    assert counts[0] == counts[1]
