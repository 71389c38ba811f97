"""Staff forms of the survey builder (answering pages are read by answering.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from komoro_engage.accounts.forms import (
    AGE_BAND_LABELS,
    NO_CHOICE,
    district_choices,
    optional_int,
)
from komoro_engage.core.forms import KomoroForm, as_choices, choices
from komoro_engage.surveys.labels import KIND_LABELS

LINES_HINT = _l("1行に1つずつ書いてください。")


class SurveyForm(KomoroForm):
    title = StringField(_l("タイトル"), validators=[DataRequired(), Length(max=200)])
    intro = TextAreaField(_l("はじめに（目的・所要時間など）"), validators=[Length(max=4000)])
    allow_visitors = BooleanField(_l("ログインしていない人も回答できる（ブラウザごとに1回）"))


class SectionForm(KomoroForm):
    title = StringField(_l("セクション名"), validators=[DataRequired(), Length(max=200)])


class QuestionForm(KomoroForm):
    kind = RadioField(_l("質問の種類"), choices=choices(*KIND_LABELS.items()),
                      validators=[DataRequired()])
    prompt = StringField(_l("質問文"), validators=[DataRequired(), Length(max=500)])
    help = TextAreaField(_l("補足説明"), validators=[Length(max=2000)])
    required = BooleanField(_l("回答を必須にする"))
    options = TextAreaField(_l("選択肢（単一・複数選択、順位づけ）"), description=LINES_HINT,
                            validators=[Length(max=6000)])
    max_choices = IntegerField(_l("複数選択で選べる数の上限"), validators=[
        Optional(), NumberRange(min=1, max=50)])
    rows = TextAreaField(_l("評価する項目（マトリクス）"), description=LINES_HINT,
                         validators=[Length(max=6000)])
    condition = SelectField(_l("表示する条件"), validators=[Optional()])

    def lines(self, name: str) -> list[str]:
        return [line.strip()[:300] for line in (self[name].data or "").splitlines()
                if line.strip()]

    def validate_options(self, field) -> None:
        if self.kind.data in ("single", "multiple", "ranking") and len(self.lines("options")) < 2:
            raise ValidationError(_l("選択肢を2つ以上書いてください。"))

    def validate_rows(self, field) -> None:
        if self.kind.data == "matrix" and not self.lines("rows"):
            raise ValidationError(_l("評価する項目を1つ以上書いてください。"))


class WordingForm(KomoroForm):
    prompt = StringField(_l("質問文"), validators=[DataRequired(), Length(max=500)])
    reason = TextAreaField(_l("修正の理由（監査ログに残ります）"),
                           validators=[DataRequired(), Length(max=2000)])


class PaperForm(KomoroForm):
    """The sheet's number, and the district and age band the respondent wrote on it, so
    paper answers count in the breakdowns like web ones (both optional: その他 if blank)."""

    paper_ref = StringField(_l("用紙の番号"), validators=[DataRequired(), Length(max=60)])
    district_id = SelectField(_l("回答者の地区（用紙に書かれていれば）"), coerce=optional_int,
                              validators=[Optional()], validate_choice=True)
    age_band = SelectField(_l("回答者の年代（用紙に書かれていれば）"), validators=[Optional()],
                           choices=as_choices([("", NO_CHOICE), *AGE_BAND_LABELS.items()]))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.district_id.choices = district_choices()


class IndicatorLinkForm(KomoroForm):
    question = SelectField(_l("測る質問"), validators=[DataRequired()])
    indicator = SelectField(_l("成果指標（単位が％のもの）"), validators=[DataRequired()])
    values = StringField(_l("数える回答"), validators=[DataRequired(), Length(max=60)],
                         description=_l(
                             "5段階評価は点数（例: 1,2）、選択肢は上からの番号（例: 1,3）。"
                             "その回答をした人の割合が実績になります。"))

    def numbers(self) -> list[int]:
        parts = (self.values.data or "").replace("、", ",").replace("，", ",").split(",")
        return [int(part) for part in (p.strip() for p in parts) if part.isascii()
                and part.isdigit() and len(part) < 4]


class PollForm(KomoroForm):
    prompt = StringField(_l("質問文"), validators=[DataRequired(), Length(max=500)])
    options = TextAreaField(_l("選択肢"), description=LINES_HINT,
                            validators=[DataRequired(), Length(max=3000)])
    placement = RadioField(_l("置く場所"), choices=choices(
        ("home", _l("ホーム")), ("measure", _l("施策のページ")),
        ("project", _l("協働プロジェクトのページ"))), validators=[DataRequired()])
    placement_id = IntegerField(_l("施策またはプロジェクトの番号（ID）"), validators=[
        Optional(), NumberRange(min=1, max=2**31 - 1)])

    def lines(self, name: str) -> list[str]:
        return [line.strip()[:300] for line in (self[name].data or "").splitlines()
                if line.strip()]

    def validate_options(self, field) -> None:
        if len(self.lines("options")) < 2:
            raise ValidationError(_l("選択肢を2つ以上書いてください。"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Checked here: Optional() ends the field's own checks when it is empty.
        if self.placement.data in ("measure", "project") and not self.placement_id.data:
            self.placement_id.errors = [*self.placement_id.errors,
                                        _l("施策またはプロジェクトの番号を入れてください。")]
            return False
        return valid
