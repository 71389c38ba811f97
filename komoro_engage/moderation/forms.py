"""The report form (通報), shared by every reportable kind. Validation lives here only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from komoro_engage.core.forms import KomoroForm, choices
from komoro_engage.moderation.models import ReportReason


def reason_choices():
    return choices((ReportReason.SPAM.value, _l("スパム")),
                   (ReportReason.ABUSE.value, _l("誹謗中傷")),
                   (ReportReason.PERSONAL_INFO.value, _l("個人情報")),
                   (ReportReason.INAPPROPRIATE.value, _l("不適切")),
                   (ReportReason.OTHER.value, _l("その他")))


class ReportForm(KomoroForm):
    reason = RadioField(_l("理由"), choices=reason_choices(),
                        validators=[InputRequired(_l("理由を選んでください。"))])
    detail = TextAreaField(_l("詳しい内容（任意）"), validators=[
        Optional(), Length(max=1000, message=_l("1,000文字以内で入力してください。"))])
