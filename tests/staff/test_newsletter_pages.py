"""お知らせメール through HTTP: the staff's write → preview → test → check → send steps as
plain forms, errors next to the fields, a double tap, one-click unsubscribe, the archive."""

from __future__ import annotations

import re

from sqlalchemy import select

from komoro_engage.accounts.models import Role, User
from komoro_engage.core.outbox import OutboxMail
from komoro_engage.extensions import db
from komoro_engage.notifications import newsletters as sending
from komoro_engage.notifications.newsletter_models import Newsletter, NewsletterStatus
from komoro_engage.notifications.services import set_email_choice, wants_email
from komoro_engage.plan.models import District
from tests.factories import make_user


def _people(app):
    with app.app_context():
        staff = make_user(Role.STAFF, nickname="広報の職員")
        reader = make_user(nickname="お知らせの読者")
        set_email_choice(reader.id, "newsletter", True)
        db.session.commit()
        return staff.id, reader.id


def _key(html: str) -> str:
    return re.search(r'name="key" type="hidden" value="([^"]+)"', html).group(1)


class _Saved:
    def __init__(self, newsletter: Newsletter):
        self.id, self.audience_ids = newsletter.id, list(newsletter.audience_ids)


def _newsletter(app) -> _Saved:
    with app.app_context():
        return _Saved(db.session.scalars(select(Newsletter).order_by(Newsletter.id.desc()))
                      .first())


def test_write_preview_test_check_and_send(app, login):
    staff_id, reader_id = _people(app)
    with app.app_context():
        staff_client = login(db.session.get(User, staff_id))
    assert staff_client.get("/staff/newsletters").status_code == 200
    refused = staff_client.post("/staff/newsletters/new", data={
        "subject": "", "body": "本文だけ", "audience": "districts"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "件名を入力してください。" in html and "地区を1つ以上選んでください。" in html
    assert "本文だけ" in html  # what was typed stays
    saved = staff_client.post("/staff/newsletters/new", data={
        "subject": "夏祭り", "body": "<b>夏祭り</b>です https://example.jp/natsu",
        "audience": "all"})
    assert saved.status_code == 302
    newsletter = _newsletter(app)
    preview = staff_client.get(f"/staff/newsletters/{newsletter.id}").get_data(as_text=True)
    assert "&lt;b&gt;夏祭り&lt;/b&gt;" in preview
    assert '<a href="https://example.jp/natsu"' in preview
    assert staff_client.post(f"/staff/newsletters/{newsletter.id}/test").status_code == 302
    with app.app_context():
        tests = db.session.scalars(select(OutboxMail).where(
            OutboxMail.kind == sending.TEST_MAIL_KIND)).all()
        assert [mail.user_id for mail in tests] == [staff_id]
    check = staff_client.get(f"/staff/newsletters/{newsletter.id}/check")
    page = check.get_data(as_text=True)
    assert "1人に送ります。" in page and "送信する" in page and "修正する" in page
    key = _key(page)
    for _tap in range(2):  # a double tap sends once
        sent = staff_client.post(f"/staff/newsletters/{newsletter.id}/send", data={"key": key})
        assert sent.status_code == 302
    with app.app_context():
        mails = db.session.scalars(select(OutboxMail).where(
            OutboxMail.kind == sending.MAIL_KIND)).all()
        assert [mail.user_id for mail in mails] == [reader_id]
        assert db.session.get(Newsletter, newsletter.id).status == NewsletterStatus.SENT
    # A sent newsletter has no form any more; the archive shows it.
    assert staff_client.get(f"/staff/newsletters/{newsletter.id}/edit").status_code == 404
    public = app.test_client()
    assert "夏祭り" in public.get("/newsletters").get_data(as_text=True)
    assert public.get(f"/newsletters/{newsletter.id}").status_code == 200


def test_drafts_are_not_public_and_residents_cannot_send(app, login):
    staff_id, reader_id = _people(app)
    with app.app_context():
        staff = db.session.get(User, staff_id)
        newsletter = _Saved(sending.save_draft(staff, None, "下書き", "まだ", "all", []))
        db.session.commit()
        resident = login(db.session.get(User, reader_id))
    assert app.test_client().get(f"/newsletters/{newsletter.id}").status_code == 404
    assert "下書き" not in app.test_client().get("/newsletters").get_data(as_text=True)
    assert resident.get("/staff/newsletters").status_code == 403
    assert resident.post(f"/staff/newsletters/{newsletter.id}/send",
                         data={"key": "k" * 24}).status_code == 403


def test_district_choice_is_kept_on_edit(app, login):
    staff_id, _reader = _people(app)
    with app.app_context():
        district = db.session.scalars(select(District).order_by(District.id)).first()
        staff_client = login(db.session.get(User, staff_id))
    staff_client.post("/staff/newsletters/new", data={
        "subject": "地区のお知らせ", "body": "本文", "audience": "districts",
        "districts": [str(district.id)]})
    newsletter = _newsletter(app)
    assert newsletter.audience_ids == [district.id]
    form = staff_client.get(f"/staff/newsletters/{newsletter.id}/edit").get_data(as_text=True)
    assert re.search(rf'value="{district.id}"[^>]*checked|checked[^>]*value="{district.id}"',
                     form)


def test_one_click_unsubscribe_stops_further_newsletters(app):
    staff_id, reader_id = _people(app)
    with app.app_context():
        staff = db.session.get(User, staff_id)
        newsletter = sending.save_draft(staff, None, "一通目", "本文", "all", [])
        sending.start_sending(staff, newsletter, "a" * 24, select(User.id))
        url = db.session.scalar(select(OutboxMail.unsubscribe_url).where(
            OutboxMail.user_id == reader_id, OutboxMail.kind == sending.MAIL_KIND))
        db.session.commit()
    path = url.split("://", 1)[1].split("/", 1)[1]
    assert app.test_client().post("/" + path, data={
        "List-Unsubscribe": "One-Click"}).status_code == 200
    with app.app_context():
        assert not wants_email(db.session.get(User, reader_id), "newsletter")
        staff = db.session.get(User, staff_id)
        second = sending.save_draft(staff, None, "二通目", "本文", "all", [])
        sending.start_sending(staff, second, "b" * 24, select(User.id))
        assert second.recipient_count == 0
        assert db.session.scalar(select(OutboxMail.id).where(
            OutboxMail.user_id == reader_id, OutboxMail.subject.contains("二通目"))) is None


def test_the_mail_settings_offer_newsletters_unticked(app, login):
    _staff, reader_id = _people(app)
    with app.app_context():
        someone = make_user()
        db.session.commit()
        client = login(someone)
    html = client.get("/account/notifications").get_data(as_text=True)
    assert "市からのお知らせメール" in html
    assert not re.search(r'id="newsletter"[^>]*checked', html)
