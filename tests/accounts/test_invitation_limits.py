"""Invitations are limited per organisation and per sender, an unverified organisation
may have only a few out, and the mail says the organisation's name is not the city's.

Before: any resident registered an organisation and sent 25 invitations in 2 seconds,
each subject carrying the name they chose. The limits are small here so the test
reaches them; the testing config switches limits off elsewhere, so these tests run an
app with them on (its own in-memory store, fresh for each test).
"""

from __future__ import annotations

import pytest

from komoro_engage import create_app
from komoro_engage.accounts import organisations as orgs
from komoro_engage.core import clock
from komoro_engage.extensions import db
from tests.factories import make_organisation, make_user

PER_ORGANISATION, PER_SENDER, UNVERIFIED = 3, 4, 2
UNVERIFIED_REFUSAL = "市の確認が済んでいない団体は、一度に招待できる人数が限られています。"
ORGANISATION_REFUSAL = "この団体から送れる招待の数の上限に達しました。"
SENDER_REFUSAL = "あなたが送れる招待の数の上限に達しました。"


@pytest.fixture
def limited(app, tmp_path):
    limited = create_app(
        "testing", DATABASE_URL=app.config["DATABASE_URL"], STORAGE_DIR=str(tmp_path),
        RATELIMIT_ENABLED=True,
        RATELIMIT_INVITE_PER_ORGANISATION=f"{PER_ORGANISATION} per day",
        RATELIMIT_INVITE_PER_SENDER=f"{PER_SENDER} per day",
        RATELIMIT_INVITE_UNVERIFIED_ORGANISATION=f"{UNVERIFIED} per 14 days")
    yield limited
    with limited.app_context():
        db.engine.dispose()


def signed_in(app, user_id: str):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user_id
    return client


def manager_of(app, *verified: bool) -> tuple[str, list[int]]:
    """A manager (session id) of one organisation per flag, verified or not."""
    with app.app_context():
        manager = make_user()
        ids = [make_organisation(manager, verified_at=clock.now() if flag else None).id
               for flag in verified]
        db.session.commit()
        return manager.get_id(), ids


def invite(client, org_id: int, n: int):
    return client.post(f"/organisations/{org_id}/invite", data={"email": f"guest{n}@example.jp"})


def test_an_unverified_organisation_invites_only_a_few_then_its_daily_limit_holds(limited):
    session_id, (org_id,) = manager_of(limited, False)
    client = signed_in(limited, session_id)
    statuses = [invite(client, org_id, n).status_code for n in range(UNVERIFIED)]
    assert statuses == [302] * UNVERIFIED
    refused = invite(client, org_id, 99)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200
    # Next to the address field, which keeps what was typed.
    error = page[page.index('id="email-error"'):]
    assert error.index(UNVERIFIED_REFUSAL) < error.index("</p>")
    assert 'value="guest99@example.jp"' in page

    with limited.app_context():  # staff verify it: the few-at-once cap no longer applies
        from komoro_engage.accounts.models import Organisation

        db.session.get(Organisation, org_id).verified_at = clock.now()
        db.session.commit()
    sent = UNVERIFIED
    while sent < PER_ORGANISATION:
        assert invite(client, org_id, 100 + sent).status_code == 302
        sent += 1
    over = invite(client, org_id, 200).get_data(as_text=True)
    assert ORGANISATION_REFUSAL in over and UNVERIFIED_REFUSAL not in over


def test_one_sender_is_limited_across_their_organisations(limited):
    session_id, (first, second) = manager_of(limited, True, True)
    client = signed_in(limited, session_id)
    assert [invite(client, first, n).status_code
            for n in range(PER_ORGANISATION)] == [302] * PER_ORGANISATION
    assert ORGANISATION_REFUSAL in invite(client, first, 9).get_data(as_text=True)
    # The organisation's refusal came first and spent nothing of the sender's allowance.
    left = PER_SENDER - PER_ORGANISATION
    assert [invite(client, second, 10 + n).status_code for n in range(left)] == [302] * left
    refused = invite(client, second, 20)
    assert refused.status_code == 200 and SENDER_REFUSAL in refused.get_data(as_text=True)

    # Another manager of the second organisation still has their own allowance (the
    # sender's refusal above counted for the organisation: 2 of its 3 are spent).
    with limited.app_context():
        other = make_user()
        from komoro_engage.accounts.models import Membership, MembershipRole

        db.session.add(Membership(organisation_id=second, user_id=other.id,
                                  role=MembershipRole.MANAGER))
        db.session.commit()
        other_id = other.get_id()
    assert invite(signed_in(limited, other_id), second, 30).status_code == 302


def test_the_refusal_speaks_english_when_english_is_chosen(limited):
    session_id, (org_id,) = manager_of(limited, False)
    client = signed_in(limited, session_id)
    client.set_cookie("lang", "en")
    for n in range(UNVERIFIED):
        invite(client, org_id, n)
    page = invite(client, org_id, 9).get_data(as_text=True)
    assert "An organisation the city has not verified may invite only a few people" in page


def test_invalid_forms_and_outsiders_spend_nothing(limited):
    session_id, (org_id,) = manager_of(limited, False)
    client = signed_in(limited, session_id)
    for _ in range(5):
        assert client.post(f"/organisations/{org_id}/invite",
                           data={"email": "not an address"}).status_code == 200
    with limited.app_context():
        outsider = make_user()
        db.session.commit()
        outsider_id = outsider.get_id()
    for n in range(5):
        assert invite(signed_in(limited, outsider_id), org_id, n).status_code == 403
    assert [invite(client, org_id, n).status_code for n in range(UNVERIFIED)] == [302] * 2


def test_the_mail_says_the_name_is_the_members_and_whether_the_city_verified_it(ctx):
    manager = make_user(nickname="招待する人")
    unverified = make_organisation(manager, name="小諸市役所 公式")
    subject, body = orgs.invitation_mail(manager, unverified, "https://example.jp/x")
    assert "小諸市役所" not in subject and "招待する人" not in subject
    assert "「小諸市役所 公式」" in body
    assert "その会員が入力したもので、小諸市からの案内ではありません" in body
    assert "市はまだこの団体・事業者を確認していません（未確認）" in body
    assert body.rstrip().endswith("https://example.jp/x")

    verified = make_organisation(manager, verified_at=clock.now())
    assert "市はこの団体・事業者を確認済みです。" in orgs.invitation_mail(
        manager, verified, "https://example.jp/y")[1]
