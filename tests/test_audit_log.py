import pytest
from sqlalchemy import select

from komoro_engage.core.audit import AuditEntry, AuditLogIsAppendOnly, record_audit
from komoro_engage.extensions import db
from tests.factories import make_user


def test_audit_entries_are_written_and_cannot_be_changed(ctx):
    admin = make_user(role="admin")
    target = make_user()
    entry = record_audit(admin, "user.role_changed", target, reason="担当者の異動",
                         before={"role": "resident"}, after={"role": "staff"})
    assert entry.id and entry.target_type == "user_account" and entry.target_id == target.id
    db.session.commit()

    entry.reason = "書き換え"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()

    stored = db.session.scalars(select(AuditEntry)).first()
    db.session.delete(stored)
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()


def test_signed_in_test_client(app, login):
    with app.app_context():
        user = make_user(nickname="ログイン確認")
        db.session.commit()
        expected = user.get_id()
    client = login(user)
    with client.session_transaction() as session:
        assert session["_user_id"] == expected
