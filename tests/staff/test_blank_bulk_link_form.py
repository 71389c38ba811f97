"""The answer queues' bulk link form is kept rendered per language, fiscal year and plan
version (core/blank_forms.py with the plan's fragments, issue 16): each page must still get
its own queue and its reader's CSRF token, the plan's current measures and this fiscal
year; a form sent back with errors shows what was typed, never the kept one.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from komoro_engage.core import clock
from komoro_engage.core.fragments import EXTENSION, PlanFragments
from komoro_engage.extensions import db
from komoro_engage.plan.models import Measure
from komoro_engage.proposals.lifecycle.models import ProposalMeasureLink
from komoro_engage.staff.views import proposal as proposal_views
from tests.staff.test_queue_cards import staff_user, waiting


def link_form(html: str) -> str:
    found = re.search(r'<form id="bulk-link".*?</form>', html, re.S)
    assert found, "no bulk link form"
    return found.group(0)


def token_of(form: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)


def queue_of(form: str) -> str:
    return re.search(r'name="queue" value="([^"]*)"', form).group(1)


def chosen_year(form: str) -> str:
    return re.search(r'<option selected value="(\d+)"', form).group(1)


@pytest.fixture
def kept(app, monkeypatch):
    """An empty store of plan fragments for this test, and how many times the blank form
    was built rather than taken as kept."""
    monkeypatch.setitem(app.extensions, EXTENSION, PlanFragments())
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production
    built = []
    build = proposal_views._link_form

    def counting(*args, **options):
        built.append(options)
        return build(*args, **options)
    monkeypatch.setattr(proposal_views, "_link_form", counting)
    return built


@pytest.fixture
def queued(app):
    """A proposal in each answer queue (one late, so both list something)."""
    with app.app_context():
        late = waiting("期限を過ぎた提案", late=True)
        on_time = waiting("期限内の提案")
        db.session.commit()
        return late.id, on_time.id


def test_one_render_serves_both_queues_with_their_own_queue_and_token(app, login, kept, queued):
    first, second = login(staff_user(app, "職員A")), login(staff_user(app, "職員B"))
    forms = {(who, queue): link_form(client.get(f"/staff?queue={queue}").text)
             for who, client in (("first", first), ("second", second))
             for queue in ("threshold", "overdue")}
    assert len(kept) == 1  # one render; the other three pages took it as kept
    for (_who, queue), form in forms.items():
        assert queue_of(form) == queue and "blank-form" not in form
    assert token_of(forms["first", "threshold"]) != token_of(forms["second", "threshold"])
    with app.app_context():
        codes = db.session.scalars(select(Measure.code)).all()
    assert all(f"{code} " in forms["first", "overdue"] for code in codes)


def test_the_form_as_served_links_the_ticked_proposals(app, login, kept, queued):
    late, _on_time = queued
    client = login(staff_user(app))
    form = link_form(client.get("/staff?queue=overdue").text)
    measure_id = re.search(r'name="measure"[^>]*>\s*<option[^>]*value="(\d+)"', form).group(1)
    sent = {"csrf_token": token_of(form), "queue": queue_of(form), "targets": f"proposal:{late}",
            "measure": measure_id, "fiscal_year": chosen_year(form), "note": "通学路の安全に関わる"}
    response = client.post("/staff/links/bulk", data=sent)
    assert response.status_code == 302
    assert "queue=overdue" in response.location
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProposalMeasureLink)
                                 .where(ProposalMeasureLink.proposal_id == late)) == 1
    forged = client.post("/staff/links/bulk", data={**sent, "csrf_token": "forged"})
    assert forged.status_code == 400


def test_a_measure_added_to_the_plan_shows_at_once(app, login, kept, queued):
    client = login(staff_user(app))
    assert "新しく加えた施策" not in link_form(client.get("/staff?queue=threshold").text)
    with app.app_context():
        model = db.session.scalars(select(Measure)).first()
        db.session.add(Measure(edition_id=model.edition_id, policy_area_id=model.policy_area_id,
                               code="9-9-9", sort_key="09-09-09", title="新しく加えた施策"))
        db.session.commit()
    assert "9-9-9 新しく加えた施策" in link_form(client.get("/staff?queue=threshold").text)
    assert len(kept) == 2


def test_the_year_chosen_is_this_fiscal_years(app, login, kept, queued):
    client = login(staff_user(app))
    with clock.freeze(datetime(2027, 3, 31, 12, tzinfo=UTC)):
        assert chosen_year(link_form(client.get("/staff?queue=threshold").text)) == "2026"
    with clock.freeze(datetime(2027, 4, 1, 3, tzinfo=UTC)):  # 12:00 on 1 April in Japan
        assert chosen_year(link_form(client.get("/staff?queue=threshold").text)) == "2027"


def test_what_was_typed_comes_back_with_its_error_not_the_kept_form(app, login, kept, queued):
    client = login(staff_user(app))
    token = token_of(link_form(client.get("/staff?queue=threshold").text))
    built = len(kept)
    response = client.post("/staff/links/bulk", data={
        "csrf_token": token, "queue": "threshold", "note": "チェックを忘れた理由"})
    assert response.status_code == 422
    form = link_form(response.text)
    assert "チェックを忘れた理由" in form  # kept as typed
    assert "紐付ける提案を1件以上選んでください。" in form
    assert len(kept) == built + 1  # the typed form is built for this answer alone
    assert "チェックを忘れた理由" not in link_form(client.get("/staff?queue=threshold").text)
