"""Access entries of consultations (広聴 テーマ).

``build`` gives the world an open consultation with a published statement by
resident_a and a pending one by resident_b, and a draft consultation. POSTs send
valid forms, so a success shows as the redirect that follows it.
"""

from komoro_engage.accounts.models import User
from komoro_engage.consultations.analysis import analyse_consultation
from komoro_engage.consultations.models import StatementStatus
from komoro_engage.extensions import db
from tests.access import Access, World, everyone, signed_in, staff_only
from tests.consultations.helpers import first_measure, make_consultation, make_statement


def build(world: World) -> None:
    consultation = make_consultation()
    author = db.session.get(User, world.users["resident_a"])
    other = db.session.get(User, world.users["resident_b"])
    analyse_consultation(consultation)  # the API and the page show a snapshot
    world.extra.update(
        consultation=consultation.id,
        statement=make_statement(consultation, "アクセス表の意見です", author=author).id,
        pending_statement=make_statement(consultation, "確認待ちの意見です", author=other,
                                         status=StatementStatus.PENDING).id,
        consultation_measure=first_measure().id)


def consultation(world):
    return {"consultation_id": world.extra["consultation"]}


def statement(world):
    return {"statement_id": world.extra["statement"]}


def consultation_form(world):
    return {"title": "駅前の将来", "opens_on": "2026-12-01", "closes_on": "2026-12-31",
            "measures": [str(world.extra["consultation_measure"])], "seeds": "駐輪場がほしい"}


STAFF_REDIRECT = staff_only(302)

# Columns: anonymous, resident_a (author), resident_b, org_manager, staff, admin.
ENTRIES = [
    Access("api.consultations", "GET", everyone(200)),
    Access("api.consultation_analysis", "GET", everyone(200), args=consultation),
    Access("consultations.index", "GET", everyone(200)),
    Access("consultations.detail", "GET", everyone(200), args=consultation),
    Access("consultations.participants_votes", "GET", everyone(200), args=consultation),
    Access("consultations.statements", "GET", everyone(200), args=consultation),
    Access("consultations.add_statement", "POST", signed_in(302), args=consultation,
           data={"text": "図書館の開館時間を延ばしてほしい"}),
    Access("consultations.vote", "POST", signed_in(302), args=statement,
           data={"vote": "agree"}),
    Access("consultations.report_statement", "GET", signed_in(200), args=statement),
    Access("consultations.report_statement", "POST", signed_in(302), args=statement,
           data={"reason": "spam"}),
    Access("consultations.staff_list", "GET", staff_only(200)),
    Access("consultations.new", "GET", staff_only(200)),
    Access("consultations.new", "POST", STAFF_REDIRECT, data=consultation_form),
    Access("consultations.manage", "GET", staff_only(200), args=consultation),
    Access("consultations.edit", "GET", staff_only(200), args=consultation),
    Access("consultations.edit", "POST", STAFF_REDIRECT, args=consultation,
           data=consultation_form),
    Access("consultations.set_status", "POST", STAFF_REDIRECT,
           args=lambda world: {**consultation(world), "action": "close"}),
    Access("consultations.proxy_statement", "POST", STAFF_REDIRECT, args=consultation,
           data={"text": "バスの本数を増やしてほしい", "source": "地区懇談会"}),
    Access("consultations.refresh", "POST", STAFF_REDIRECT, args=consultation),
    Access("consultations.moderate", "POST", STAFF_REDIRECT,
           args=lambda world: {"statement_id": world.extra["pending_statement"],
                               "action": "approve"}),
]

