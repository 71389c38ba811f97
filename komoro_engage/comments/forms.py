"""The comment form (post, reply, edit). Validation lives here only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from komoro_engage.comments.models import Stance
from komoro_engage.core.forms import KomoroForm, choices

COMMENT_MAX = 2000


STANCE_LABELS = {Stance.FOR.value: _l("賛成"), Stance.AGAINST.value: _l("反対"),
                 Stance.QUESTION.value: _l("質問")}


def stance_label(stance: str) -> str:
    """A comment's stance in the reader's language (comments/_thread.html)."""
    return str(STANCE_LABELS[stance])


def stance_choices():
    return choices(("", _l("なし")), *STANCE_LABELS.items())


class CommentForm(KomoroForm):
    body = TextAreaField(_l("コメント"), validators=[
        DataRequired(_l("コメントを入力してください。")),
        Length(max=COMMENT_MAX, message=_l("コメントは2,000文字以内で入力してください。"))])
    stance = RadioField(_l("立場（任意）"), choices=stance_choices(), default="",
                        validators=[Optional()])
