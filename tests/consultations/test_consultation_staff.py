"""Staff create, open and close consultations, moderate statements, enter them by proxy;
every action in the audit log; reports hide a statement at the threshold."""

from sqlalchemy import select

from komoro_engage.accounts.erasure import delete_account
from komoro_engage.accounts.models import Role
from komoro_engage.consultations.erasure import REMOVED_TEXT, export_statements
from komoro_engage.consultations.models import (
    Consultation,
    ConsultationStatus,
    Statement,
    StatementStatus,
)
from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from tests.consultations.helpers import first_measure, make_consultation, make_statement
from tests.factories import make_user


def staff_client(app, login):
    with app.app_context():
        staff = make_user(role=Role.STAFF)
        db.session.commit()
    return login(staff)


def actions(app, target_type):
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.target_type == target_type).order_by(AuditEntry.id)))


def test_staff_create_a_draft_with_seeds_then_open_and_close_it(app, login):
    client = staff_client(app, login)
    with app.app_context():
        measure = first_measure().id
    response = client.post("/staff/consultations/new", data={
        "title": "駅前の将来", "description": "ご意見を", "opens_on": "2026-12-01",
        "closes_on": "2026-12-31", "measures": [str(measure)],
        "seeds": "駐輪場がほしい\n\n  ベンチがほしい  \n駐輪場がほしい"})
    assert response.status_code == 302
    with app.app_context():
        consultation = db.session.scalars(select(Consultation).where(
            Consultation.title == "駅前の将来")).one()
        assert consultation.status == ConsultationStatus.DRAFT
        assert [m.id for m in consultation.measures] == [measure]
        texts = db.session.scalars(select(Statement.text).where(
            Statement.consultation_id == consultation.id, Statement.is_seed,
            Statement.status == StatementStatus.PUBLISHED)).all()
        assert sorted(texts) == ["ベンチがほしい", "駐輪場がほしい"]
        cid = consultation.id
    assert client.get(f"/consultations/{cid}").status_code == 200  # staff see drafts
    assert client.post(f"/staff/consultations/{cid}/open").status_code == 302
    assert client.post(f"/staff/consultations/{cid}/close").status_code == 302
    assert actions(app, "consultation") == [
        "consultation.created", "consultation.open", "consultation.close"]


def test_the_form_keeps_what_was_typed_and_says_what_is_wrong(app, login):
    client = staff_client(app, login)
    response = client.post("/staff/consultations/new", data={
        "title": "駅前の将来", "opens_on": "2026-12-31", "closes_on": "2026-12-01",
        "seeds": "い" * 141})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "終了日は開始日以降にしてください。" in html
    assert "施策か政策分野を1つ以上選んでください。" in html
    assert "1行目：140文字以内で入力してください（今は141文字）。" in html
    assert 'value="駅前の将来"' in html


def test_edit_keeps_links_and_adds_only_new_seeds(app, login):
    client = staff_client(app, login)
    with app.app_context():
        consultation = make_consultation()
        cid, measure = consultation.id, first_measure().id
        db.session.commit()
    page = client.get(f"/staff/consultations/{cid}/edit").get_data(as_text=True)
    assert 'value="駅前のにぎわいについて"' in page
    client.post(f"/staff/consultations/{cid}/edit", data={
        "title": "駅前のにぎわい", "opens_on": "2026-12-01", "closes_on": "2026-12-31",
        "measures": [str(measure)], "seeds": "公園の遊具を新しくしてほしい\n朝市を開いてほしい"})
    with app.app_context():
        texts = db.session.scalars(select(Statement.text).where(
            Statement.consultation_id == cid)).all()
        assert len(texts) == 3 and "朝市を開いてほしい" in texts


def test_staff_approve_hide_and_restore_statements(app, login):
    client = staff_client(app, login)
    with app.app_context():
        consultation = make_consultation()
        pending = make_statement(consultation, "夜道が暗い", author=make_user(),
                                 status=StatementStatus.PENDING).id
        cid = consultation.id
        db.session.commit()
    page = client.get(f"/staff/consultations/{cid}").get_data(as_text=True)
    assert "夜道が暗い" in page and "確認待ちの意見（1件）" in page
    assert client.post(f"/staff/statements/{pending}/approve").status_code == 302
    assert client.post(f"/staff/statements/{pending}/approve").status_code == 302  # no-op
    client.post(f"/staff/statements/{pending}/hide")
    client.post(f"/staff/statements/{pending}/restore")
    with app.app_context():
        assert db.session.get(Statement, pending).status == StatementStatus.PUBLISHED
    assert actions(app, "statement") == [
        "statement.approve", "statement.hide", "statement.restore"]


def test_proxy_entry_is_published_and_marked_with_its_source(app, login):
    client = staff_client(app, login)
    with app.app_context():
        cid = make_consultation().id
        db.session.commit()
    response = client.post(f"/staff/consultations/{cid}/proxy", data={
        "text": "バスの本数を増やしてほしい", "source": "地区懇談会（御牧ヶ原）"})
    assert response.status_code == 302
    html = client.get(f"/consultations/{cid}").get_data(as_text=True)
    assert "代理入力（地区懇談会（御牧ヶ原））" in html
    assert actions(app, "statement") == ["statement.proxy_entered"]
    missing = client.post(f"/staff/consultations/{cid}/proxy",
                          data={"text": "バス停に屋根を"})
    assert missing.status_code == 422
    assert "入力元を入力してください。" in missing.get_data(as_text=True)


def test_reports_hide_a_statement_at_the_threshold(app, login):
    with app.app_context():
        consultation = make_consultation()
        statement = make_statement(consultation, "ひどい意見").id
        reporters = [make_user() for _ in range(3)]
        db.session.commit()
    for reporter in reporters:
        response = login(reporter).post(f"/statements/{statement}/report",
                                        data={"reason": "abuse"})
        assert response.status_code == 302
    with app.app_context():
        hidden = db.session.get(Statement, statement)
        assert hidden.status == StatementStatus.HIDDEN and hidden.hidden_by_reports


def test_residents_cannot_use_the_staff_pages(app, login):
    with app.app_context():
        resident = make_user()
        cid = make_consultation().id
        db.session.commit()
    client = login(resident)
    assert client.get("/staff/consultations/new").status_code == 403
    assert client.get(f"/staff/consultations/{cid}").status_code == 403
    assert client.post(f"/staff/consultations/{cid}/close").status_code == 403


def test_account_deletion_removes_statements_when_asked_and_exports_them(app):
    with app.app_context():
        author = make_user()
        consultation = make_consultation()
        statement = make_statement(consultation, "消してほしい意見です", author=author)
        exported = export_statements(author)
        assert exported["statements"][0]["text"] == "消してほしい意見です"
        delete_account(author, remove_posts=True)
        db.session.flush()
        assert statement.text == REMOVED_TEXT and statement.status == StatementStatus.HIDDEN


def test_staff_see_reported_statements_and_dismiss_or_hide(app, login):
    client = staff_client(app, login)
    with app.app_context():
        consultation = make_consultation()
        statement = make_statement(consultation, "通報された意見").id
        cid = consultation.id
        db.session.commit()
    login(make_committed_user(app)).post(f"/statements/{statement}/report",
                                          data={"reason": "spam"})
    page = client.get(f"/staff/consultations/{cid}").get_data(as_text=True)
    assert "通報のある意見（1件）" in page and "通報 1件" in page
    assert client.post(f"/staff/statements/{statement}/dismiss").status_code == 302
    page = client.get(f"/staff/consultations/{cid}").get_data(as_text=True)
    assert "通報のある意見（0件）" in page
    with app.app_context():
        assert db.session.get(Statement, statement).status == StatementStatus.PUBLISHED
    assert actions(app, "statement") == ["statement.dismiss"]


def make_committed_user(app):
    with app.app_context():
        user = make_user()
        db.session.commit()
    return user
