"""Form pieces every feature uses: choices, checkbox lists, button-only and reason forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

REASON_MAX = 2000


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


class ActionForm(FlaskForm):
    """No fields: carries the CSRF token for button-only posts (support, withdraw, delete)."""


class ReasonForm(FlaskForm):
    """The written reason of a staff or admin decision, kept in the audit log.

    A view may set ``form.reason.label.text`` to name the decision.
    """

    reason = TextAreaField(_l("理由（監査ログに記録されます）"), validators=[
        DataRequired(_l("理由を入力してください。")),
        Length(max=REASON_MAX, message=_l("2,000文字以内で入力してください。"))])
