"""The blank statement form of a consultation page is rendered once per language and kept
(core/blank_forms.py): each page must still get a form that posts to its own consultation
with the reader's own CSRF token, in the reader's language; a form with what was typed is
never the kept one."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from komoro_engage.consultations.models import Statement
from komoro_engage.consultations.views import public
from komoro_engage.core.blank_forms import EXTENSION
from komoro_engage.extensions import db
from tests.blank_forms import count_builds, token_of
from tests.consultations.helpers import make_consultation
from tests.factories import make_user


def statement_form(html: str) -> str:
    forms = re.findall(r'<form class="form" method="post" action="[^"]*/statements".*?</form>',
                       html, re.S)
    assert len(forms) == 1, forms
    return forms[0]


@pytest.fixture
def builds(monkeypatch):
    return count_builds(monkeypatch, public, "_blank_statement_form")


@pytest.fixture
def setting(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production
    app.extensions.pop(EXTENSION, None)
    with app.app_context():
        first, second = make_consultation(), make_consultation()
        people = [make_user(), make_user()]
        db.session.commit()
        return first.id, second.id, people


def test_each_page_gets_its_own_action_and_token_from_one_kept_form(app, login, setting,
                                                                    builds):
    first, second, people = setting
    alice, bob = (login(person) for person in people)
    pages = {(who, consultation): statement_form(
        client.get(f"/consultations/{consultation}").get_data(as_text=True))
        for who, client in (("alice", alice), ("bob", bob)) for consultation in (first, second)}
    assert len(builds) == 1  # one render; the other three pages took it as kept
    for (_who, consultation), form in pages.items():
        assert f'action="/consultations/{consultation}/statements"' in form
        assert "blank-form" not in form and "あなたの意見" in form
    assert token_of(pages["alice", first]) != token_of(pages["bob", first])
    # The form as served posts: its token is the reader's own.
    form = pages["bob", second]
    response = bob.post(f"/consultations/{second}/statements",
                        data={"csrf_token": token_of(form), "text": "駐輪場を増やしてほしい"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Statement.consultation_id).where(
            Statement.text == "駐輪場を増やしてほしい")) == second
    refused = bob.post(f"/consultations/{second}/statements",
                       data={"csrf_token": "forged", "text": "もう一度"})
    assert refused.status_code == 400


def test_typed_text_and_its_error_come_back_in_a_form_of_their_own(app, login, setting,
                                                                   builds):
    first, _second, people = setting
    client = login(people[0])
    token = token_of(statement_form(client.get(f"/consultations/{first}").get_data(
        as_text=True)))
    too_long = "長" * 141
    response = client.post(f"/consultations/{first}/statements",
                           data={"csrf_token": token, "text": too_long})
    form = statement_form(response.get_data(as_text=True))
    assert response.status_code == 422
    assert f'value="{too_long}"' in form and 'aria-invalid="true"' in form
    assert "140文字以内で入力してください" in form
    # The next blank page is the kept form again, without the typed text or its error.
    again = statement_form(client.get(f"/consultations/{first}").get_data(as_text=True))
    assert too_long not in again and "field-error" not in again
    assert len(builds) == 1


def test_the_kept_form_is_in_the_readers_language(app, login, setting, builds):
    first, _second, people = setting
    client = login(people[0])
    japanese = statement_form(client.get(f"/consultations/{first}").get_data(as_text=True))
    client.set_cookie("lang", "en")
    english = statement_form(client.get(f"/consultations/{first}").get_data(as_text=True))
    assert "あなたの意見" in japanese and "あなたの意見" not in english
    assert len(builds) == 2  # one per language
