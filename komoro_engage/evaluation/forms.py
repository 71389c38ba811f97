"""Staff forms: measure text, indicators, yearly actuals, evaluation records and amendments."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DecimalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from komoro_engage.core.forms import KomoroForm, VersionForm, choices
from komoro_engage.plan.fiscal import FIRST_FY, LAST_FY
from komoro_engage.plan.models import Direction

FY_RANGE = NumberRange(min=FIRST_FY, max=LAST_FY,
                       message=_l("1989〜2100の年度で入力してください。"))
TEXT_MAX = 4000


def _long_text(label, required_message=None, description=None):
    validators = [DataRequired(required_message)] if required_message else [Optional()]
    return TextAreaField(label, description=description, validators=[
        *validators, Length(max=TEXT_MAX, message=_l("4,000文字以内で入力してください。"))])


# Indicator values are NUMERIC(14, 4): ten digits before the point. NumberRange also
# refuses NaN and infinity, which Decimal would parse.
VALUE_RANGE = NumberRange(min=-(10**10) + 1, max=10**10 - 1,
                          message=_l("-9,999,999,999〜9,999,999,999の数値で入力してください。"))


def _number(label, required=False):
    first = (InputRequired(_l("数値を入力してください。")) if required else Optional())
    return DecimalField(label, places=None, validators=[first, VALUE_RANGE],
                        render_kw={"inputmode": "decimal"})


class MeasureForm(KomoroForm):
    title = StringField(_l("正式名称"), validators=[
        DataRequired(_l("正式名称を入力してください。")),
        Length(max=200, message=_l("200文字以内で入力してください。"))])
    title_en = StringField(_l("正式名称（英語・任意）"), validators=[Optional(), Length(max=200)])
    description = _long_text(_l("説明"))
    description_en = _long_text(_l("説明（英語・任意）"))
    description_easy = _long_text(_l("説明（やさしい日本語・任意）"), description=_l(
        "「やさしい日本語」を選んだ人には、こちらを表示します。短い文で、むずかしい言葉を避けて書きます。"))
    lead_department = StringField(_l("担当課（任意）"), validators=[Optional(), Length(max=100)])


def direction_choices():
    return choices((Direction.HIGHER.value, _l("高いほど良い")),
                   (Direction.LOWER.value, _l("低いほど良い")))


class IndicatorForm(KomoroForm):
    name = StringField(_l("指標名"), validators=[
        DataRequired(_l("指標名を入力してください。")),
        Length(max=300, message=_l("300文字以内で入力してください。"))])
    unit = StringField(_l("単位"), description=_l("例：％、人、件"), validators=[
        DataRequired(_l("単位を入力してください。")), Length(max=20)])
    direction = RadioField(_l("望ましい方向"), choices=direction_choices(),
                           default=Direction.HIGHER.value,
                           validators=[InputRequired(_l("望ましい方向を選んでください。"))])
    baseline_value = _number(_l("基準値（任意）"))
    baseline_fy = IntegerField(_l("基準値の年度（任意）"), validators=[Optional(), FY_RANGE])
    target_value = _number(_l("目標値"), required=True)
    target_fy = IntegerField(_l("目標年度（任意）"), validators=[Optional(), FY_RANGE])
    source = StringField(_l("出典（任意）"), validators=[Optional(), Length(max=300)])


class ActualForm(KomoroForm):
    fiscal_year = IntegerField(_l("年度"), validators=[
        InputRequired(_l("年度を入力してください。")), FY_RANGE])
    value = _number(_l("実績値"), required=True)
    source = StringField(_l("出典"), description=_l("例：市民意識調査、〇〇課集計"),
                         validators=[DataRequired(_l("出典を入力してください。")),
                                     Length(max=300)])
    note = StringField(_l("備考（任意）"), validators=[Optional(), Length(max=300)])


class RecordForm(KomoroForm):
    """Rating and texts; the view fills the rating choices from the plan's scale."""

    rating = RadioField(_l("評価区分"), validators=[Optional()])
    check_text = _long_text(_l("評価（Check）"),
                            description=_l("成果指標と市民参加の実績から見た今年度の評価"))
    act_text = _long_text(_l("今後の方向性（Act）"))


class AmendmentForm(RecordForm):
    reason = _long_text(_l("訂正の理由"), required_message=_l("訂正の理由を入力してください。"),
                        description=_l("元の記録の横に公開されます。"))


class VisionTargetForm(KomoroForm):
    """Which indicator measures one vision target; the choices are set by the view."""

    indicator = SelectField(_l("実績を示す成果指標"), validators=[Optional()], description=_l(
        "ホームの将来像の目標値の横に、この指標の最新の実績を表示します。"))


class ReturnRecordForm(VersionForm):
    """決裁: the approver sends a submitted record back, saying why (staff only)."""

    reason = _long_text(_l("差し戻す理由（職員にだけ表示されます）"),
                        required_message=_l("差し戻す理由を入力してください。"))
