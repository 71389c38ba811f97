"""Typed text refuses control characters, and line breaks where one line is asked for, with
a field error in the user's language: the same on SQLite and PostgreSQL (which refuses NUL
in text where SQLite stores it).
"""

from __future__ import annotations

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict
from wtforms import StringField, TextAreaField

from komoro_engage.accounts.models import Organisation
from komoro_engage.core.forms import KomoroForm
from komoro_engage.extensions import db
from tests.factories import make_user

LINE_BREAK_JA = "改行は入力できません。1行で入力してください。"
CONTROL_JA = "使えない制御文字が含まれています。取り除いてから送信してください。"
LINE_BREAK_EN = "Line breaks are not allowed here: please write it on one line."
CONTROL_EN = "This contains control characters that cannot be used."


def app_forms() -> list[type[FlaskForm]]:
    """Every form class of the app (the app fixture has imported every view and form)."""
    found, todo = [], [FlaskForm]
    while todo:
        for subclass in todo.pop().__subclasses__():
            todo.append(subclass)
            if subclass.__module__.startswith("komoro_engage."):
                found.append(subclass)
    return found


def test_every_form_of_the_app_derives_from_the_base_form(app):
    forms = app_forms()
    assert len(forms) > 30, [form.__name__ for form in forms]  # the walk found them
    outside = [f"{form.__module__}.{form.__name__}" for form in forms
               if not issubclass(form, KomoroForm)]
    assert not outside, f"forms that skip core.forms.KomoroForm (and its PlainText): {outside}"


def _text_fields(form_class: type[FlaskForm]):
    with_csrf_off = form_class(formdata=None, meta={"csrf": False})
    return [field for field in with_csrf_off if isinstance(field, StringField)]


def _errors_for(form_class, name: str, value: str) -> list[str]:
    """The field's errors when the form is sent with ``value`` in it, other fields empty."""
    empty = {field.name: "" for field in form_class(formdata=None, meta={"csrf": False})}
    form = form_class(formdata=MultiDict({**empty, name: value}), meta={"csrf": False})
    form[name].validate(form)
    return [str(error) for error in form[name].errors]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_text_field_of_every_form_refuses_control_characters(app, language):
    line_break, control = ((LINE_BREAK_JA, CONTROL_JA) if language == "ja"
                           else (LINE_BREAK_EN, CONTROL_EN))
    checked = 0
    with app.test_request_context(method="POST", headers={"Accept-Language": language}):
        for form_class in app_forms():
            for field in _text_fields(form_class):
                name, where = field.name, f"{form_class.__name__}.{field.name}"
                for value in ("a\x00b", "a\x1bb", "a\x7fb", "a\u0085b"):
                    errors = _errors_for(form_class, name, value)
                    assert errors and errors[0].startswith(control), (where, value, errors)
                breaks = _errors_for(form_class, name, "one\r\ntwo\tthree")
                if isinstance(field, TextAreaField):  # long text keeps CRLF and tabs
                    assert not _ours(breaks, line_break, control), (where, breaks)
                else:
                    assert breaks[:1] == [line_break], (where, breaks)
                # Japanese, emoji, a full-width space and accents are text.
                ordinary = _errors_for(form_class, name, "小諸駅前\u3000👨‍👩‍👧 café ½")
                assert not _ours(ordinary, line_break, control), (where, ordinary)
                checked += 1
    assert checked > 40  # every text field of the app, not a handful


def _ours(errors: list[str], *messages: str) -> list[str]:
    return [error for error in errors if error.startswith(messages)]


def _resident(app):
    with app.app_context():
        user = make_user(nickname="制御文字の住民")
        db.session.commit()
        db.session.refresh(user)
        db.session.expunge(user)
    return user


def _organisations(app, name_like: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Organisation)
                                 .where(Organisation.name.like(f"%{name_like}%")))


@pytest.mark.parametrize(("language", "line_break", "control"), [
    ("ja", LINE_BREAK_JA, CONTROL_JA), ("en", LINE_BREAK_EN, CONTROL_EN)])
def test_an_organisation_name_with_a_line_break_or_nul_gets_a_field_error(
        app, login, language, line_break, control):
    client = login(_resident(app))
    client.set_cookie("lang", language)
    form = {"name": "里山\r\nクラブ", "kind": "npo", "district_id": "",
            "description": "毎月第2土曜日。\r\n\t雨天中止。"}
    page = client.post("/organisations/new", data=form)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'<p class="field-error" id="name-error">{line_break}</p>' in html
    assert "毎月第2土曜日。" in html  # what was typed is kept
    assert "description-error" not in html  # long text keeps its line breaks and tabs

    page = client.post("/organisations/new", data={**form, "name": "里山クラブ",
                                                   "description": "毎月\x00第2土曜日。"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="description-error"' in html and control in html
    assert _organisations(app, "里山") == 0  # nothing reached the database


def test_line_breaks_and_tabs_in_long_text_are_kept(app, login):
    client = login(_resident(app))
    response = client.post("/organisations/new", data={
        "name": "改行テストの会", "kind": "npo", "district_id": "",
        "description": "一行目\r\n\t二行目"})
    assert response.status_code == 302
    with app.app_context():
        organisation = db.session.scalar(select(Organisation).filter_by(name="改行テストの会"))
        assert organisation.description.replace("\r\n", "\n") == "一行目\n\t二行目"

