"""Access entries of newsletters (お知らせメール): the staff's pages and the public archive.

``build`` writes a draft (its text joins the staff's private values: no public page may
show it) and a sent newsletter. Drafts are 404 in the archive for everyone; staff and
admins write, test and send; residents get 403.
"""

from sqlalchemy import select

from komoro_engage.accounts.models import User
from komoro_engage.extensions import db
from komoro_engage.notifications import newsletters as sending
from komoro_engage.notifications.newsletter_models import Audience
from tests.access import Access, World, everyone, staff_only

DRAFT_TEXT = "アクセス表のお知らせメールの下書きです"


def build(world: World) -> None:
    staff = db.session.get(User, world.users["staff"])
    draft = sending.save_draft(staff, None, "表の下書き", DRAFT_TEXT, Audience.ALL, [])
    sent = sending.save_draft(staff, None, "表の送信済みお知らせ", "送ったお知らせです。",
                              Audience.ALL, [])
    sending.start_sending(staff, sent, "access-table-sent-key", select(User.id))
    world.extra.update(newsletter_draft=draft.id, newsletter_sent=sent.id)
    world.extra["private"]["staff"].append(DRAFT_TEXT)


def draft(world):
    return {"newsletter_id": world.extra["newsletter_draft"]}


def sent(world):
    return {"newsletter_id": world.extra["newsletter_sent"]}


FORM = {"subject": "表で書いたお知らせ", "body": "本文です。", "audience": "all"}

# Columns: anonymous, resident_a, resident_b, org_manager, staff, admin.
ENTRIES = [
    Access("notifications.newsletters", "GET", everyone(200)),
    Access("notifications.newsletter", "GET", everyone(200), args=sent),
    Access("staff.newsletter_list", "GET", staff_only(200)),
    Access("staff.newsletter_new", "GET", staff_only(200)),
    Access("staff.newsletter_new", "POST", staff_only(302), data=FORM),
    Access("staff.newsletter_page", "GET", staff_only(200), args=draft),
    Access("staff.newsletter_edit", "GET", staff_only(200), args=draft),
    Access("staff.newsletter_edit", "POST", staff_only(302), args=draft, data=FORM),
    Access("staff.newsletter_test", "POST", staff_only(302), args=draft),
    Access("staff.newsletter_check", "GET", staff_only(200), args=draft),
    Access("staff.newsletter_send", "POST", staff_only(302), args=draft,
           data={"key": "access-table-send-key"}),
]
