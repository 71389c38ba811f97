"""Forms of consultations: staff's consultation and proxy entry, residents' statement
and vote. Validation lives here only; the report form is moderation's."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from komoro_engage.consultations.models import AGREE, DISAGREE, PASS, STATEMENT_MAX
from komoro_engage.core.forms import KomoroForm, MultiCheckboxField, choices
from komoro_engage.core.text import grapheme_length

TITLE_MAX, DESCRIPTION_MAX, SOURCE_MAX, SEEDS_MAX = 120, 4000, 100, 100
VOTES = {"agree": AGREE, "disagree": DISAGREE, "pass": PASS}


def check_statement(text: str) -> None:
    """A statement is 1–140 characters as people count them (one line)."""
    length = grapheme_length(text.strip())
    # The code-point cap stops a "character" built of thousands of combining marks.
    if length > STATEMENT_MAX or len(text) > STATEMENT_MAX * 10:
        raise ValidationError(_l("%(max)d文字以内で入力してください（今は%(n)d文字）。",
                                 max=STATEMENT_MAX, n=length))


class StatementForm(KomoroForm):
    text = StringField(_l("あなたの意見"),
                       description=_l("140文字まで。公開の前に市が内容を確認します。"),
                       validators=[DataRequired(_l("意見を入力してください。"))])

    def validate_text(self, field):
        check_statement(field.data or "")


class ProxyStatementForm(StatementForm):
    """代理入力: what a resident said on paper or at a meeting, and where it came from."""

    text = StringField(_l("意見の内容"), description=_l("140文字まで。すぐに公開されます。"),
                       validators=[DataRequired(_l("意見を入力してください。"))])
    source = StringField(
        _l("入力元"), description=_l("例：地区懇談会（御牧ヶ原）、紙の意見用紙"),
        validators=[DataRequired(_l("入力元を入力してください。")),
                    Length(max=SOURCE_MAX, message=_l("100文字以内で入力してください。"))])


class VoteForm(KomoroForm):
    """The pressed button (賛成 / 反対 / パス) names the vote."""

    vote = SelectField(choices=choices(("agree", _l("賛成")), ("disagree", _l("反対")),
                                       ("pass", _l("パス"))),
                       validators=[InputRequired()])

    @property
    def value(self) -> int:
        return VOTES[self.vote.data]


class ConsultationForm(KomoroForm):
    title = StringField(_l("テーマ"), validators=[
        DataRequired(_l("テーマを入力してください。")),
        Length(max=TITLE_MAX, message=_l("120文字以内で入力してください。"))])
    description = TextAreaField(_l("説明"), validators=[
        Length(max=DESCRIPTION_MAX, message=_l("4,000文字以内で入力してください。"))])
    opens_on = DateField(_l("開始日"), validators=[
        InputRequired(_l("開始日を入力してください。"))])
    closes_on = DateField(_l("終了日"), description=_l("この日の終わりまで受け付けます。"),
                          validators=[InputRequired(_l("終了日を入力してください。"))])
    measures = MultiCheckboxField(_l("関連する施策"), coerce=int, validate_choice=True)
    policy_areas = MultiCheckboxField(_l("関連する政策分野"), coerce=int)
    seeds = TextAreaField(_l("最初の意見（1行に1つ）"),
                          description=_l("参加者が賛否を示すきっかけになる意見。各140文字まで。"))

    def validate_closes_on(self, field):
        if self.opens_on.data and field.data and field.data < self.opens_on.data:
            raise ValidationError(_l("終了日は開始日以降にしてください。"))

    def validate_policy_areas(self, field):
        if not (field.data or self.measures.data):
            raise ValidationError(_l("施策か政策分野を1つ以上選んでください。"))

    def validate_seeds(self, field):
        lines = self.seed_lines()
        if len(lines) > SEEDS_MAX:
            raise ValidationError(_l("最初の意見は100件までです。"))
        for number, line in enumerate(lines, start=1):
            try:
                check_statement(line)
            except ValidationError as error:
                raise ValidationError(_l("%(n)d行目：%(error)s", n=number,
                                         error=str(error))) from None

    def seed_lines(self) -> list[str]:
        return [line.strip() for line in (self.seeds.data or "").splitlines() if line.strip()]
