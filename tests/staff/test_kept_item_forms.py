"""A queue item's blank inline form is rendered once per queue, buttons and language and
each card writes its own key in (staff/blueprint.py inline_actions, issue 16): every card
must still post its own item with the reader's CSRF token, to its own queue, in the
reader's language; a card sent back with an error is rendered with what was typed.
"""

from __future__ import annotations

import re

import pytest

from komoro_engage.core.blank_forms import EXTENSION
from komoro_engage.extensions import db
from komoro_engage.proposals.models import Proposal, ProposalStatus
from komoro_engage.staff import blueprint
from tests.consultations.helpers import make_consultation, make_statement
from tests.proposals.helpers import make_proposal
from tests.staff.test_queue_cards import staff_user

HTMX = {"HX-Request": "true"}


def item_forms(html: str) -> dict[str, str]:
    """Each card's inline form, by the item it acts on."""
    forms = re.findall(r'<form class="item-actions".*?</form>', html, re.S)
    return {re.search(r'name="targets" value="([^"]+)"', form).group(1): form
            for form in forms}


def token_of(html: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)


@pytest.fixture
def builds(app, monkeypatch):
    """How many times a blank inline form was rendered rather than taken as kept."""
    monkeypatch.setitem(app.extensions, EXTENSION, {})
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production
    counted = []
    render = blueprint.render_template

    def counting(name, **context):
        if name == "staff/_item_form.html":
            counted.append(context["queue"])
        return render(name, **context)
    monkeypatch.setattr(blueprint, "render_template", counting)
    return counted


@pytest.fixture
def pending(app):
    with app.app_context():
        ids = [make_proposal(status=ProposalStatus.PENDING, title=f"審査待ちの提案{n}").id
               for n in range(3)]
        consultation = make_consultation()
        make_statement(consultation, "確認待ちの意見", status="pending", published_at=None)
        db.session.commit()
        return ids


def test_each_card_gets_its_own_item_and_the_readers_token(app, login, builds, pending):
    first, second = login(staff_user(app, "職員A")), login(staff_user(app, "職員B"))
    pages = {who: client.get("/staff?queue=pending").text
             for who, client in (("first", first), ("second", second))}
    assert builds == ["pending"]  # one render for six cards on two pages
    for who, page in pages.items():
        forms = item_forms(page)
        assert set(forms) == {f"proposal:{ident}" for ident in pending}, who
        for key, form in forms.items():
            slug = key.replace(":", "-")
            assert f'hx-target="#item-{slug}"' in form and f'id="reason-{slug}"' in form
            assert f'aria-describedby="error-{slug}"' in form and f'id="error-{slug}"' in form
            assert 'name="queue" value="pending"' in form and "staff-item" not in form
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


def test_one_kept_form_per_queue_and_language(app, login, builds, pending):
    client = login(staff_user(app))
    statements = item_forms(client.get("/staff?queue=statements").text)
    (form,) = statements.values()
    assert 'name="queue" value="statements"' in form
    assert re.findall(r'name="action" value="(\w+)"', form) == ["approve", "hide"]
    client.get("/staff?queue=pending")
    client.set_cookie("lang", "en")
    english = item_forms(client.get("/staff?queue=pending").text)
    assert all("理由" not in form and "Approve" in form for form in english.values())
    client.get("/staff?queue=pending")
    assert builds == ["statements", "pending", "pending"]


def test_a_refused_card_shows_what_was_typed_and_the_others_stay_blank(
        app, login, builds, pending):
    client = login(staff_user(app))
    token = token_of(client.get("/staff?queue=pending").text)
    refused = client.post("/staff/actions", data={
        "csrf_token": token, "targets": f"proposal:{pending[0]}", "action": "hide",
        "reason": "",
        "inline": "1", "queue": "pending"})
    assert refused.status_code == 422
    forms = item_forms(refused.text)
    assert "理由が必要" in forms[f"proposal:{pending[0]}"]
    for ident in pending[1:]:
        blank = forms[f"proposal:{ident}"]
        assert re.search(r'<p class="field-error"[^>]*></p>', blank)
        assert re.search(r'<textarea[^>]*></textarea>', blank)
