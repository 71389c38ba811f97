"""Each console queue card is kept rendered by what it shows (core/kept_cards.py with
staff/shown.ShownItem, issue 16): every card must still post its own item with the
reader's CSRF token, to its own queue, in the reader's language; a change the card shows
(a title, a count, a new day) must show on the next page; a card sent back with an error
shows what was typed; and no reader gets a link that is another's (the admins' 利用停止).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from komoro_engage.accounts.models import Role
from komoro_engage.core import clock
from komoro_engage.core.kept_cards import _CSRF_MARKER, _rendered
from komoro_engage.extensions import db
from komoro_engage.moderation.reports import report_item
from komoro_engage.proposals.models import Proposal, ProposalStatus
from tests.factories import make_user
from tests.proposals.helpers import make_proposal
from tests.staff.test_queue_cards import staff_user

HTMX = {"HX-Request": "true"}
START = datetime(2026, 4, 1, 0, 0, tzinfo=UTC)


def item_forms(html: str) -> dict[str, str]:
    """Each card's inline form, by the item it acts on."""
    forms = re.findall(r'<form class="item-actions".*?</form>', html, re.S)
    return {re.search(r'name="targets" value="([^"]+)"', form).group(1): form
            for form in forms}


def card(html: str, slug: str) -> str:
    found = re.search(rf'<li class="queue-item card" id="item-{slug}">.*?</li>', html, re.S)
    assert found, f"{slug} is not on the page"
    return found.group(0)


def token_of(html: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production


@pytest.fixture
def pending(app, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: START)
    with app.app_context():
        ids = [make_proposal(status=ProposalStatus.PENDING, title=f"審査待ちの提案{n}",
                             submitted_at=START - timedelta(days=2)).id
               for n in range(3)]
        db.session.commit()
        return ids


def misses() -> int:
    return _rendered.cache_info().misses


def test_each_card_gets_its_own_item_and_the_readers_token(app, login, csrf_on, pending):
    first, second = login(staff_user(app, "職員A")), login(staff_user(app, "職員B"))
    before = misses()
    pages = {"first": first.get("/staff?queue=pending").text}
    assert misses() == before + 3  # each card rendered once ...
    pages["second"] = second.get("/staff?queue=pending").text
    assert misses() == before + 3  # ... and the second reader's page took them as kept
    for who, page in pages.items():
        assert _CSRF_MARKER not in page
        forms = item_forms(page)
        assert set(forms) == {f"proposal:{ident}" for ident in pending}, who
        for key, form in forms.items():
            slug = key.replace(":", "-")
            assert f'hx-target="#item-{slug}"' in form and f'id="reason-{slug}"' in form
            assert f'aria-describedby="error-{slug}"' in form and f'id="error-{slug}"' in form
            assert 'name="queue" value="pending"' in form
            assert f'name="csrf_token" value="{token_of(page)}"' in form
            assert re.findall(r'name="action" value="(\w+)"', form) == [
                "approve", "send_back", "hide"]
    assert token_of(pages["first"]) != token_of(pages["second"])
    # A card's form as served acts on its own item.
    form = item_forms(pages["second"])[f"proposal:{pending[1]}"]
    sent = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    done = second.post("/staff/actions", headers=HTMX, data={**sent, "action": "approve"})
    assert done.status_code == 200 and "を承認して公開しました。" in done.text
    with app.app_context():
        statuses = [db.session.get(Proposal, ident).status for ident in pending]
    assert statuses == [ProposalStatus.PENDING, ProposalStatus.PUBLISHED, ProposalStatus.PENDING]


def test_a_card_shows_a_new_title_a_new_day_and_the_readers_language(
        app, login, monkeypatch, pending):
    client = login(staff_user(app))
    slug = f"proposal-{pending[0]}"
    first = card(client.get("/staff?queue=pending").text, slug)
    assert "審査待ちの提案0" in first and "（2日前）" in first
    with app.app_context():
        db.session.execute(update(Proposal).where(Proposal.id == pending[0])
                           .values(title="書き直した題名"))
        db.session.commit()
    renamed = card(client.get("/staff?queue=pending").text, slug)
    assert "書き直した題名" in renamed and "審査待ちの提案0" not in renamed
    monkeypatch.setattr(clock, "now", lambda: START + timedelta(days=1))
    assert "（3日前）" in card(client.get("/staff?queue=pending").text, slug)
    client.set_cookie("lang", "en")
    english = card(client.get("/staff?queue=pending").text, slug)
    assert 'value="approve" class="primary">Approve and publish<' in english
    assert "理由" not in english


def test_one_kept_card_per_queue(app, login, pending):
    """The same proposal in two queues is two cards: each posts to its own queue."""
    with app.app_context():
        staff = make_user(role=Role.STAFF)
        reporter = make_user()
        report_item(reporter, db.session.get(Proposal, pending[0]), "spam")
        db.session.commit()
    client = login(staff)
    reported = item_forms(client.get("/staff?queue=reports").text)[f"proposal:{pending[0]}"]
    waiting = item_forms(client.get("/staff?queue=pending").text)[f"proposal:{pending[0]}"]
    assert 'name="queue" value="reports"' in reported
    assert re.findall(r'name="action" value="(\w+)"', reported) == [
        "dismiss", "hide", "restore"]
    assert 'name="queue" value="pending"' in waiting


def test_only_admins_cards_offer_to_suspend_the_author(app, login, pending):
    with app.app_context():
        author = db.session.get(Proposal, pending[0]).author_id
        report_item(make_user(), db.session.get(Proposal, pending[0]), "spam")
        db.session.commit()
    suspend = f"/staff/users/{author}/suspend"
    admin = login(make_user_committed(app, Role.ADMIN))
    staff = login(make_user_committed(app, Role.STAFF))
    assert suspend in card(admin.get("/staff?queue=reports").text, f"proposal-{pending[0]}")
    assert suspend not in card(staff.get("/staff?queue=reports").text, f"proposal-{pending[0]}")
    assert suspend in card(admin.get("/staff?queue=reports").text, f"proposal-{pending[0]}")


def make_user_committed(app, role):
    with app.app_context():
        user = make_user(role=role)
        db.session.commit()
        return user


def test_a_refused_card_shows_what_was_typed_and_the_others_stay_blank(
        app, login, csrf_on, pending):
    client = login(staff_user(app))
    token = token_of(client.get("/staff?queue=pending").text)
    refused = client.post("/staff/actions", data={
        "csrf_token": token, "targets": f"proposal:{pending[0]}", "action": "hide",
        "reason": "", "inline": "1", "queue": "pending"})
    assert refused.status_code == 422
    forms = item_forms(refused.text)
    assert "理由が必要" in forms[f"proposal:{pending[0]}"]
    for ident in pending[1:]:
        blank = forms[f"proposal:{ident}"]
        assert re.search(r'<p class="field-error"[^>]*></p>', blank)
        assert re.search(r'<textarea[^>]*></textarea>', blank)
    # what was typed comes back in its card, and in no other
    typed = client.post("/staff/actions", data={
        "csrf_token": token, "targets": f"proposal:{pending[1]}", "action": "hide",
        "reason": "あ" * 2001, "inline": "1", "queue": "pending"})
    assert typed.status_code == 422
    forms = item_forms(typed.text)
    assert "あ" * 2001 in forms[f"proposal:{pending[1]}"]
    assert "あ" * 2001 not in forms[f"proposal:{pending[0]}"]
    # and the next page has blank cards again
    again = item_forms(client.get("/staff?queue=pending").text)
    assert all("あああ" not in form and "理由が必要" not in form for form in again.values())


def test_an_answer_card_turns_overdue_and_writes_the_year_once_it_turns(
        app, login, monkeypatch):
    """What a card shows of today: overdue once its deadline passes, and last year's dates
    with their year, though its days stay the same."""
    from komoro_engage.proposals.lifecycle.models import ProposalAnswer
    monkeypatch.setattr(clock, "now", lambda: START)
    with app.app_context():
        proposal = make_proposal(status=ProposalStatus.UNDER_REVIEW, title="回答を待つ提案")
        db.session.add(ProposalAnswer(proposal_id=proposal.id, review_started_at=START,
                                      deadline_at=START + timedelta(days=300)))
        db.session.commit()
        slug = f"proposal-{proposal.id}"
    client = login(staff_user(app))
    on_time = card(client.get("/staff?queue=threshold").text, slug)
    assert "検討開始 4月1日（水）" in on_time and "期限切れ" not in on_time
    monkeypatch.setattr(clock, "now", lambda: START + timedelta(days=280))  # 2027-01-06
    next_year = card(client.get("/staff?queue=threshold").text, slug)
    assert "検討開始 2026年4月1日（水）" in next_year and "期限切れ" not in next_year
    monkeypatch.setattr(clock, "now", lambda: START + timedelta(days=302))
    assert "期限切れ（2日超過）" in card(client.get("/staff?queue=threshold").text, slug)


def test_the_tabs_and_heading_name_the_queues_in_each_readers_language(app, login, pending):
    """The queues' names are translated once per language (staff/blueprint.py
    queue_labels): each reader still gets their own language, in turns."""
    japanese, english = login(staff_user(app, "職員A")), login(staff_user(app, "職員B"))
    english.set_cookie("lang", "en")
    for _ in range(2):
        ja = japanese.get("/staff?queue=pending").text
        en = english.get("/staff?queue=pending").text
        assert re.search(r'aria-current="page">審査待ち <span class="counts">3</span>', ja)
        assert '<h2 id="queue-heading">審査待ち（' in ja and "Awaiting review" not in ja
        assert re.search(r'aria-current="page">Awaiting review <span class="counts">3</span>', en)
        assert '<h2 id="queue-heading">Awaiting review（' in en and "審査待ち <" not in en
