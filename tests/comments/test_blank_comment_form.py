"""The blank comment form is rendered once per language and kept (core/blank_forms.py):
each page must still get a form that posts to its own subject with the reader's own
CSRF token, in the reader's language; a form with what was typed is never the kept one.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from komoro_engage.comments import sections
from komoro_engage.comments.models import Comment
from komoro_engage.core.blank_forms import EXTENSION
from komoro_engage.extensions import db
from tests.blank_forms import count_builds, token_of
from tests.projects.helpers import make_project
from tests.proposals.helpers import make_proposal
from tests.proposals.test_proposal_engagement import fresh_user


def comment_form(html: str) -> str:
    """The main comment form (not a reply form) of a page."""
    forms = [form for form in re.findall(r'<form method="post" action="[^"]*"\s+hx-post=.*?</form>',
                                         html, re.S)
             if 'class="comment-form"' in form and 'name="parent_id"' not in form]
    assert len(forms) == 1, forms
    return forms[0]


@pytest.fixture
def builds(monkeypatch):
    return count_builds(monkeypatch, sections, "_blank_comment_form")


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production


@pytest.fixture
def subjects(app):
    with app.app_context():
        first, second = make_proposal(), make_proposal()
        project = make_project()
        db.session.commit()
        return first.id, second.id, project.id


def test_each_page_gets_its_own_action_and_token_from_one_kept_form(
        app, login, subjects, builds, csrf_on):
    app.extensions.pop(EXTENSION, None)
    first, second, project = subjects
    alice, bob = login(fresh_user(app)), login(fresh_user(app))
    pages = {(who, path): comment_form(client.get(path).get_data(as_text=True))
             for who, client in (("alice", alice), ("bob", bob))
             for path in (f"/proposals/{first}", f"/proposals/{second}", f"/projects/{project}")}
    assert len(builds) == 1  # one render; the other five pages took it as kept
    for (_who, path), form in pages.items():
        action = f"{path}/comments"
        assert f'action="{action}"' in form and f'hx-post="{action}"' in form
        assert "blank-form" not in form  # no marker left behind
    assert token_of(pages["alice", f"/proposals/{first}"]) != token_of(
        pages["bob", f"/proposals/{first}"])
    # The form as served posts: its token is the reader's own, its action the subject's.
    form = pages["bob", f"/proposals/{second}"]
    response = bob.post(f"/proposals/{second}/comments",
                        data={"csrf_token": token_of(form), "body": "ベンチに賛成です",
                              "stance": "for"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Comment)
                                 .where(Comment.proposal_id == second)) == 1
    refused = bob.post(f"/proposals/{second}/comments",
                       data={"csrf_token": "forged", "body": "もう一度", "stance": "for"})
    assert refused.status_code == 400


def test_the_kept_form_is_one_per_language(app, login, subjects, builds):
    app.extensions.pop(EXTENSION, None)
    first = subjects[0]
    client = login(fresh_user(app))
    japanese = comment_form(client.get(f"/proposals/{first}").get_data(as_text=True))
    client.set_cookie("lang", "en", domain="localhost")
    english = comment_form(client.get(f"/proposals/{first}").get_data(as_text=True))
    assert "コメントする" in japanese and "コメントする" not in english
    assert "Post comment" in english
    assert len(builds) == 2
    client.get(f"/proposals/{first}")
    assert len(builds) == 2


def test_what_was_typed_comes_back_in_its_own_form(app, login, subjects, builds):
    first = subjects[0]
    client = login(fresh_user(app))
    client.get(f"/proposals/{first}")
    built = len(builds)
    response = client.post(f"/proposals/{first}/comments",
                           data={"body": "x" * 2001, "stance": "against"})
    assert response.status_code == 422
    form = comment_form(response.get_data(as_text=True))
    assert "x" * 2001 in form  # the text kept, with its error beside it
    assert "2,000" in form and 'aria-invalid="true"' in form
    assert re.search(r'checked id="stance-2"', form)  # 反対 still chosen
    assert len(builds) == built
    # The next blank page is not the typed one.
    assert "x" * 50 not in comment_form(client.get(f"/proposals/{first}").get_data(as_text=True))


def test_a_form_kept_with_csrf_off_is_not_served_with_it_on(app, login, subjects, monkeypatch):
    app.extensions.pop(EXTENSION, None)
    client = login(fresh_user(app))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    assert "csrf_token" not in comment_form(client.get(f"/proposals/{subjects[0]}")
                                            .get_data(as_text=True))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    form = comment_form(client.get(f"/proposals/{subjects[0]}").get_data(as_text=True))
    assert token_of(form)
