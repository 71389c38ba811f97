"""Forms for proposals and staff decisions. Validation lives here only.

The comment form is in comments/forms.py, the report form in moderation/forms.py.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from komoro_engage.core.forms import KomoroForm, MultiCheckboxField, choices
from komoro_engage.core.text import grapheme_length
from komoro_engage.media.forms import PHOTO_INPUT_ATTRS, PhotoFiles, chosen_files
from komoro_engage.plan.place_forms import PlaceFields
from komoro_engage.proposals.models import ProposalKind

TITLE_MIN, TITLE_MAX, BODY_MAX = 5, 80, 4000
MAX_PHOTOS = 4
CITYWIDE = ""




def kind_choices():
    return choices((ProposalKind.IDEA.value, _l("アイデア")),
                   (ProposalKind.COLLABORATION.value, _l("協働提案")))


class ProposalForm(PlaceFields, KomoroForm):
    """Title and body are counted in characters as a person counts them."""

    title = StringField(_l("タイトル"), description=_l("5〜80文字"),
                        validators=[DataRequired(_l("タイトルを入力してください。"))])
    body = TextAreaField(_l("内容"), validators=[DataRequired(_l("内容を入力してください。"))],
                         description=_l("4,000文字まで"))
    kind = RadioField(_l("種類"), choices=kind_choices(), default=ProposalKind.IDEA.value,
                      validators=[InputRequired(_l("種類を選んでください。"))])
    policy_areas = MultiCheckboxField(
        _l("政策分野"), coerce=int,
        validators=[DataRequired(_l("政策分野を1つ以上選んでください。"))])
    priority_items = MultiCheckboxField(_l("重点項目（任意）"), coerce=int,
                                        validators=[Optional()])
    place = SelectField(_l("場所"), validators=[Optional()])
    organisation = SelectField(_l("投稿者"), validators=[Optional()])
    photos = MultipleFileField(_l("写真（4枚まで）"), render_kw=PHOTO_INPUT_ATTRS,
                               description=_l("JPEG・PNG・WebP・HEIC。位置情報などは削除して保存します。"),
                               validators=[PhotoFiles(max_files=MAX_PHOTOS)])
    # Photos already attached that the author ticks to remove (edit form only).
    remove_photos = MultiCheckboxField(_l("削除する写真"), coerce=int, validators=[Optional()])

    def validate_photos(self, field):
        kept = len(self.remove_photos.choices or []) - len(self.remove_photos.data or [])
        if kept + len(chosen_files(field)) > MAX_PHOTOS:
            raise ValidationError(
                _l("写真は合わせて4枚までです。削除する写真を選ぶか、選び直してください。"))

    def validate_title(self, field):
        text = (field.data or "").strip()
        length = grapheme_length(text)
        # The code-point cap stops a "character" built of thousands of combining marks.
        if not TITLE_MIN <= length <= TITLE_MAX or len(text) > TITLE_MAX * 10:
            raise ValidationError(_l(
                "タイトルは%(min)d〜%(max)d文字で入力してください（今は%(n)d文字）。",
                min=TITLE_MIN, max=TITLE_MAX, n=length))

    def validate_body(self, field):
        length = grapheme_length((field.data or "").strip())
        if length > BODY_MAX:
            raise ValidationError(_l("内容は%(max)s文字以内で入力してください（今は%(n)s文字）。",
                                     max=f"{BODY_MAX:,}", n=f"{length:,}"))

    def place_ids(self) -> tuple[int | None, int | None]:
        """(district_id, ku_id) from the place choice: "d<id>", "k<district>-<ku>" or 市全域."""
        value = self.place.data or CITYWIDE
        if value.startswith("d"):
            return int(value[1:]), None
        if value.startswith("k"):
            district, ku = value[1:].split("-")
            return int(district), int(ku)
        return None, None
