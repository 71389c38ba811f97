"""Roles, the create-user command, suspension and audit-logged staff views."""

from sqlalchemy import select

from komoro_engage.accounts.models import Role, User, UserStatus
from komoro_engage.accounts.passwords import verify_password
from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from tests.accounts.conftest import PASSWORD


def audit_entries(app, action: str, target_id: int) -> list[AuditEntry]:
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).filter_by(
            action=action, target_id=target_id)).all()
        db.session.expunge_all()
        return entries


def test_create_user_command_creates_an_admin_with_a_password_from_stdin(app, runner):
    result = runner.invoke(args=["komoro", "create-user", "Boss@Example.jp", "--role", "admin"],
                           input="kanri-no-kagi-2026\n")
    assert result.exit_code == 0, result.output
    assert "Created user" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).filter_by(email="boss@example.jp"))
        assert user.role == Role.ADMIN and user.email_verified_at is not None
        assert verify_password(user.password_hash, "kanri-no-kagi-2026")
        assert db.session.scalar(select(AuditEntry).filter_by(target_id=user.id)).after == \
            {"role": "admin"}


def test_create_user_command_promotes_an_existing_account(app, runner, account):
    user_id, email = account(email="staffer@example.jp")
    result = runner.invoke(args=["komoro", "create-user", email, "--role", "staff"])
    assert result.exit_code == 0 and "Updated user" in result.output
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.role == Role.STAFF
        assert verify_password(user.password_hash, PASSWORD)  # password untouched


def test_create_user_command_refuses_a_common_password(app, runner):
    result = runner.invoke(args=["komoro", "create-user", "weak@example.jp"], input="qwerty123\n")
    assert result.exit_code != 0 and "よく使われていて" in result.output
    with app.app_context():
        assert db.session.scalar(select(User).filter_by(email="weak@example.jp")) is None


def test_admin_changes_a_role_with_a_reason_and_it_is_audited(app, login, ctx_free_user):
    admin = ctx_free_user(role=Role.ADMIN)
    target = ctx_free_user()
    client = login(admin)
    missing = client.post(f"/admin/users/{target.id}/role", data={"role": "staff", "reason": ""})
    assert "理由を入力してください" in missing.get_data(as_text=True)
    response = client.post(f"/admin/users/{target.id}/role",
                           data={"role": "staff", "reason": "観光課に配属"})
    assert response.status_code == 302
    [entry] = audit_entries(app, "user.role_changed", target.id)
    assert (entry.actor_id, entry.reason) == (admin.id, "観光課に配属")
    assert (entry.before, entry.after) == ({"role": "resident"}, {"role": "staff"})
    assert entry.created_at is not None


def test_admin_suspends_and_reinstates_an_account(app, login, ctx_free_user):
    admin = ctx_free_user(role=Role.ADMIN)
    target = ctx_free_user()
    target_client = login(target)
    assert target_client.get("/account").status_code == 200
    login(admin).post(f"/admin/users/{target.id}/suspend", data={"reason": "荒らし投稿"})
    assert target_client.get("/account").status_code == 302  # signed out at once
    with app.app_context():
        assert db.session.get(User, target.id).status == UserStatus.SUSPENDED
    login(admin).post(f"/admin/users/{target.id}/unsuspend", data={"reason": "異議を認めた"})
    with app.app_context():
        assert db.session.get(User, target.id).status == UserStatus.ACTIVE
    assert [e.reason for e in audit_entries(app, "user.suspended", target.id)] == ["荒らし投稿"]
    assert [e.reason for e in audit_entries(app, "user.unsuspended", target.id)] == ["異議を認めた"]


def test_admin_cannot_change_their_own_role_or_suspend_themselves(login, ctx_free_user):
    admin = ctx_free_user(role=Role.ADMIN)
    client = login(admin)
    assert client.post(f"/admin/users/{admin.id}/role",
                       data={"role": "resident", "reason": "x"}).status_code == 403
    assert client.post(f"/admin/users/{admin.id}/suspend",
                       data={"reason": "x"}).status_code == 403


def test_staff_viewing_personal_data_is_audit_logged(app, login, ctx_free_user):
    staff = ctx_free_user(role=Role.STAFF)
    target = ctx_free_user(email="private@example.jp", age_band="30s")
    page = login(staff).get(f"/admin/users/{target.id}")
    html = page.get_data(as_text=True)
    assert "private@example.jp" in html and "30代" in html
    assert "役割を変更" not in html  # staff look, admins act
    [entry] = audit_entries(app, "user.personal_data_viewed", target.id)
    assert entry.actor_id == staff.id


def test_user_list_shows_nicknames_not_emails_and_finds_by_exact_email(login, ctx_free_user):
    staff = ctx_free_user(role=Role.STAFF)
    ctx_free_user(nickname="探される人", email="findme@example.jp")
    client = login(staff)
    listing = client.get("/admin/users?q=findme@example.jp").get_data(as_text=True)
    assert "探される人" in listing and "findme@example.jp" not in listing.split("<table")[1]
    assert "探される人" in client.get("/admin/users?q=探される").get_data(as_text=True)


def test_audit_log_lists_entries_for_staff(app, login, ctx_free_user):
    admin = ctx_free_user(role=Role.ADMIN)
    target = ctx_free_user()
    login(admin).post(f"/admin/users/{target.id}/role", data={"role": "staff", "reason": "異動"})
    html = login(admin).get("/admin/audit?action=user.role_changed").get_data(as_text=True)
    assert "user.role_changed" in html and "異動" in html


def test_admin_pages_take_a_constant_number_of_queries(app, login, ctx_free_user, count_queries):
    admin = ctx_free_user(role=Role.ADMIN)
    client = login(admin)
    counts = []
    for _ in range(2):
        for n in range(4):
            target = ctx_free_user()
            client.post(f"/admin/users/{target.id}/role", data={"role": "staff", "reason": str(n)})
        count_queries.reset()
        assert client.get("/admin/users").status_code == 200
        assert client.get("/admin/audit").status_code == 200
        counts.append(count_queries.count)
    assert counts[0] == counts[1]
