"""Form pieces every feature uses: the base form, choices, checkbox lists, button-only and
reason forms."""

from __future__ import annotations

import re

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.meta import DefaultMeta
from wtforms.validators import DataRequired, InputRequired, Length, StopValidation
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from komoro_engage.core.i18n import form_catalogue

REASON_MAX = 2000
# Unicode's control characters (Cc); long text keeps tabs and line breaks (browsers send CRLF).
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_IN_LONG_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class PlainText:
    """Refuses control characters in typed text, and line breaks unless ``multiline``.

    Raises StopValidation so that the field's other checks, its ``validate_<field>``
    (which may query the database) and so the database never see them: PostgreSQL
    refuses NUL in text where SQLite would store it, and both now answer alike.
    """

    def __init__(self, multiline: bool):
        self.multiline = multiline

    def __call__(self, form, field) -> None:
        text = field.data if isinstance(field.data, str) else ""
        if (CONTROL_IN_LONG_TEXT if self.multiline else CONTROL).search(text) is None:
            return
        field.errors[:] = []
        if not self.multiline and CONTROL_IN_LONG_TEXT.search(text) is None:
            raise StopValidation(_l("改行は入力できません。1行で入力してください。"))
        raise StopValidation(
            _l("使えない制御文字が含まれています。取り除いてから送信してください。"))


class KomoroForm(FlaskForm):
    """The base of every form of the app: each text field gets ``PlainText`` first, so no
    form can forget it (tests/core/test_plain_text.py checks every form derives from this)."""

    class Meta(DefaultMeta):
        def get_translations(self, form):
            # WTForms' own messages in the reader's language, kept (Flask-WTF reloads them
            # from disk for every request); WTF_I18N_ENABLED=False keeps WTForms' English.
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return _FormMessages()

        def bind_field(self, form, unbound_field, options):
            field = super().bind_field(form, unbound_field, options)
            if isinstance(field, StringField):  # text, textarea, email, password, hidden …
                multiline = isinstance(field, TextAreaField)
                field.validators = [PlainText(multiline), *field.validators]
            return field


class _FormMessages:
    """WTForms' translations interface over :func:`form_catalogue` (looked up when used,
    so a form built before the language is known still answers in it)."""

    def gettext(self, string):
        return form_catalogue().ugettext(string)

    def ngettext(self, singular, plural, n):
        return form_catalogue().ungettext(singular, plural, n)


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes: big touch targets, no JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def choices(*pairs, group: str | None = None) -> list[SelectChoice]:
    """WTForms 3.3+ choice objects from (value, label) pairs, optionally in an <optgroup>."""
    return [SelectChoice(value, label, optgroup=group) for value, label in pairs]


def as_choices(pairs) -> list[SelectChoice]:
    """Choices whose values are written as strings (ids, enum members) for the form to coerce."""
    return choices(*((str(value), label) for value, label in pairs))


class ActionForm(KomoroForm):
    """No fields: carries the CSRF token for button-only posts (support, withdraw, delete)."""


class VersionForm(KomoroForm):
    """A step on a draft (submit it for approval): names the version the person saw, so a
    draft changed since then is not acted on unseen."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class ConfirmForm(VersionForm):
    """Publishing or finalising: the box must be ticked, checked on the server (no script)."""

    confirm = BooleanField(_l("プレビューの内容で公開することを確認しました"), validators=[
        DataRequired(_l("公開する前に、内容を確認してチェックを入れてください。"))])


class ReasonForm(KomoroForm):
    """The written reason of a staff or admin decision, kept in the audit log.

    A view may set ``form.reason.label.text`` to name the decision.
    """

    reason = TextAreaField(_l("理由（監査ログに記録されます）"), validators=[
        DataRequired(_l("理由を入力してください。")),
        Length(max=REASON_MAX, message=_l("2,000文字以内で入力してください。"))])
