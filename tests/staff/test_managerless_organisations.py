"""管理者のいない団体: staff appoint a member as manager or archive the organisation."""

from __future__ import annotations

from sqlalchemy import func, select

from komoro_engage.accounts.erasure import delete_account
from komoro_engage.accounts.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
    Role,
    User,
)
from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from tests.factories import make_organisation, make_user


def _orphaned(app) -> tuple[int, int, int]:
    """An organisation whose only manager deleted their account; one member remains."""
    with app.app_context():
        manager, member, staff = make_user(), make_user(nickname="残る会員"), make_user(Role.STAFF)
        organisation = make_organisation(manager, name="浅間の森の会")
        db.session.add(Membership(organisation=organisation, user=member,
                                  status=MembershipStatus.ACTIVE))
        db.session.flush()
        delete_account(manager, remove_posts=False)
        db.session.commit()
        return organisation.id, member.id, staff.id


def _staff_client(app, login, staff_id):
    with app.app_context():
        staff = db.session.get(User, staff_id)
        db.session.expunge(staff)
    return login(staff)


def test_the_queue_lists_the_organisation_and_its_members(app, login):
    organisation_id, _member_id, staff_id = _orphaned(app)
    page = _staff_client(app, login, staff_id).get("/staff/organisations/managerless")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "浅間の森の会" in html and "残る会員" in html
    assert f"/staff/organisations/{organisation_id}/appoint" in html


def test_appointing_a_member_makes_them_manager_and_is_audited(app, login):
    organisation_id, member_id, staff_id = _orphaned(app)
    client = _staff_client(app, login, staff_id)
    prefix = f"appoint-{organisation_id}"
    response = client.post(f"/staff/organisations/{organisation_id}/appoint", data={
        f"{prefix}-member": str(member_id), f"{prefix}-reason": "会の総会で選ばれたため"})
    assert response.status_code == 302
    with app.app_context():
        membership = db.session.scalar(select(Membership).filter_by(
            organisation_id=organisation_id, user_id=member_id))
        assert membership.role == MembershipRole.MANAGER
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "organisation.manager_appointed"))
        assert (entry.actor_id, entry.target_id, entry.reason, entry.after) == (
            staff_id, organisation_id, "会の総会で選ばれたため", {"user_id": member_id})
    html = client.get("/staff/organisations/managerless").get_data(as_text=True)
    assert "浅間の森の会" not in html


def test_a_missing_reason_or_a_stranger_is_refused_next_to_the_field(app, login):
    organisation_id, member_id, staff_id = _orphaned(app)
    client = _staff_client(app, login, staff_id)
    prefix = f"appoint-{organisation_id}"
    url = f"/staff/organisations/{organisation_id}/appoint"
    response = client.post(url, data={f"{prefix}-member": str(member_id), f"{prefix}-reason": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{prefix}-reason-error"' in html and "理由を入力してください。" in html
    assert f'<option selected value="{member_id}">' in html  # what they chose stays chosen
    with app.app_context():
        stranger = make_user().id
        db.session.commit()
    response = client.post(url, data={f"{prefix}-member": str(stranger),
                                      f"{prefix}-reason": "推薦"})
    assert response.status_code == 422
    assert "この団体のメンバーから選んでください。" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Membership.role).filter_by(
            organisation_id=organisation_id, user_id=member_id)) == MembershipRole.MEMBER


def test_archiving_takes_it_out_of_the_queue_and_the_public_list(app, login, client):
    organisation_id, _member_id, staff_id = _orphaned(app)
    assert "浅間の森の会" in client.get("/organisations").get_data(as_text=True)
    staff = _staff_client(app, login, staff_id)
    response = staff.post(f"/staff/organisations/{organisation_id}/archive",
                          data={f"archive-{organisation_id}-reason": "活動を終えたため"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Organisation, organisation_id).archived_at is not None
        assert db.session.scalar(select(AuditEntry.reason).where(
            AuditEntry.action == "organisation.archived")) == "活動を終えたため"
    assert "浅間の森の会" not in client.get("/organisations").get_data(as_text=True)
    again = staff.post(f"/staff/organisations/{organisation_id}/archive",
                       data={f"archive-{organisation_id}-reason": "二度目"})
    assert again.status_code == 302  # already handled: said so, nothing written
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "organisation.archived")) == 1
