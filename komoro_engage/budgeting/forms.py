"""Forms of 市民予算: the process, sub-budgets, projects and their review, phases, paper
ballots, and the ballot itself (one checkbox or number per project). Validation lives here."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from komoro_engage.accounts.forms import AGE_BAND_LABELS, district_choices, optional_int
from komoro_engage.accounts.services import user_by_email
from komoro_engage.budgeting.ballots import PaperVoter
from komoro_engage.budgeting.labels import (
    FEASIBILITY_LABELS,
    KIND_LABELS,
    PHASE_LABELS,
    RULE_LABELS,
    SOURCE_LABELS,
)
from komoro_engage.core.forms import KomoroForm, MultiCheckboxField, as_choices
from komoro_engage.core.i18n import localized
from komoro_engage.core.numbers import DB_INT_MAX
from komoro_engage.extensions import db
from komoro_engage.plan import queries as plan_queries
from komoro_engage.projects.models import Project
from komoro_engage.proposals.models import Proposal, ProposalStatus

YEN_MAX = 10**12  # one trillion yen: far above any city budget, within BIGINT
AMOUNT = [NumberRange(min=1, max=YEN_MAX, message=_l("1円以上の金額を入力してください。"))]
TITLE = [DataRequired(_l("タイトルを入力してください。")),
         Length(max=120, message=_l("120文字以内で入力してください。"))]
LONG = [Optional(), Length(max=8000, message=_l("8,000文字以内で入力してください。"))]


def age_choices():
    return as_choices([("", _l("制限なし")), *AGE_BAND_LABELS.items()])


class ProcessForm(KomoroForm):
    title = StringField(_l("タイトル"), validators=TITLE)
    description = TextAreaField(_l("説明"), validators=LONG)
    total_amount = IntegerField(_l("予算総額（円）"), validators=[
        DataRequired(_l("予算総額を入力してください。")), *AMOUNT])
    ballot_kind = SelectField(_l("投票方式"), choices=as_choices(KIND_LABELS.items()))
    max_approvals = IntegerField(_l("選べる事業の数の上限（承認投票・任意）"), validators=[
        Optional(), NumberRange(min=1, max=1000, message=_l("1〜1000で入力してください。"))])
    points_total = IntegerField(_l("1人が配るポイント（ポイント投票）"), validators=[
        Optional(), NumberRange(min=1, max=1000, message=_l("1〜1000で入力してください。"))])
    rule = SelectField(_l("集計方法"), choices=as_choices(RULE_LABELS.items()),
                       description=_l("投票が始まると変えられません。"))
    ideas_from = DateField(_l("案の募集の開始日"), validators=[Optional()])
    review_from = DateField(_l("審査の開始日"), validators=[Optional()])
    voting_from = DateField(_l("投票の開始日"), validators=[Optional()])
    voting_until = DateField(_l("投票の締切日"), validators=[Optional()])
    results_on = DateField(_l("結果の発表日"), validators=[Optional()])
    min_age_band = SelectField(_l("投票できる年代（この年代から上）"), choices=age_choices())
    district_only = BooleanField(_l("地区予算のある地区の住民だけが投票できる"))

    def validate_points_total(self, field) -> None:
        if self.ballot_kind.data == "points" and not field.data:
            raise ValidationError(_l("ポイント投票では配るポイントを入力してください。"))

    def validate_voting_until(self, field) -> None:
        if field.data and self.voting_from.data and field.data < self.voting_from.data:
            raise ValidationError(_l("締切日は投票の開始日より後にしてください。"))


class DistrictBudgetForm(KomoroForm):
    district_id = SelectField(_l("地区"), coerce=optional_int,
                              validators=[DataRequired(_l("地区を選んでください。"))])
    amount = IntegerField(_l("地区予算（円、0で取り消し）"), validators=[
        Optional(), NumberRange(min=0, max=YEN_MAX, message=_l("0円以上で入力してください。"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.district_id.choices = district_choices()


class ProjectForm(KomoroForm):
    title = StringField(_l("事業名"), validators=TITLE)
    description = TextAreaField(_l("内容"), validators=LONG)
    cost = IntegerField(_l("費用（円）"), validators=[DataRequired(_l("費用を入力してください。")),
                                                      *AMOUNT])
    district_id = SelectField(_l("地区（地区予算の事業のとき）"), coerce=optional_int)
    source = SelectField(_l("事業案の出どころ"), choices=as_choices(SOURCE_LABELS.items()))
    source_id = IntegerField(_l("提案または協働プロジェクトの番号"), validators=[
        Optional(), NumberRange(min=1, max=DB_INT_MAX, message=_l("番号を入力してください。"))])
    feasibility = SelectField(_l("実現可能性の審査"),
                              choices=as_choices(FEASIBILITY_LABELS.items()))
    department = StringField(_l("担当課"), validators=[
        Optional(), Length(max=120, message=_l("120文字以内で入力してください。"))])
    department_note = TextAreaField(_l("担当課の所見"), validators=LONG)
    measures = MultiCheckboxField(_l("関連する施策（任意・施策評価で数えます）"), coerce=int,
                                  validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.district_id.choices = district_choices()
        self.measures.choices = as_choices(
            (m.id, f"{m.code} {localized(m, 'title')}")
            for m in plan_queries.current_edition().measures)

    def validate_source_id(self, field) -> None:
        source = self.source.data
        if source == "staff":
            return
        if not field.data:
            raise ValidationError(_l("番号を入力してください。"))
        if source == "proposal":
            status = db.session.scalar(select(Proposal.status).where(Proposal.id == field.data))
            if status != ProposalStatus.ADOPTED:
                raise ValidationError(_l("この番号の採用された提案はありません。"))
        elif db.session.get(Project, field.data) is None:
            raise ValidationError(_l("この番号の協働プロジェクトはありません。"))


class PhaseForm(KomoroForm):
    phase = SelectField(_l("段階"), choices=as_choices(PHASE_LABELS.items()))


class PaperBallotForm(KomoroForm):
    paper_ref = StringField(_l("投票用紙の番号"), validators=[
        DataRequired(_l("投票用紙の番号を入力してください。")),
        Length(max=40, message=_l("40文字以内で入力してください。"))])
    # The 公民館 checked who voted; these two find a second slip of the same person and
    # are kept only as a keyed hash (budgeting/ballots.voter_key).
    voter_name = StringField(_l("投票者の氏名"), validators=[
        DataRequired(_l("投票者の氏名を入力してください。")),
        Length(max=100, message=_l("100文字以内で入力してください。"))])
    birth_date = DateField(_l("投票者の生年月日"), validators=[
        InputRequired(_l("生年月日を入力してください（例: 1960-04-01）。"))])
    district_id = SelectField(_l("投票者の地区"), coerce=optional_int)
    account_email = EmailField(_l("投票者のアカウントのメールアドレス（ある場合）"), validators=[
        Optional(), Length(max=254, message=_l("254文字以内で入力してください。"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.district_id.choices = district_choices()
        self.account = None

    def validate_birth_date(self, field):
        if field.data is not None and not date(1900, 1, 1) <= field.data <= date.today():
            raise ValidationError(_l("生年月日を正しく入力してください。"))

    def validate_account_email(self, field):
        if field.data:
            self.account = user_by_email(field.data)
            if self.account is None:
                raise ValidationError(_l("このメールアドレスのアカウントはありません。"))

    def voter(self) -> PaperVoter:
        return PaperVoter(name=self.voter_name.data, birth_date=self.birth_date.data,
                          district_id=self.district_id.data, account=self.account)


def read_choices(formdata, projects, points: bool) -> tuple[dict[int, int], dict[int, str]]:
    """The ballot's choices from a posted form (``project`` checkboxes, or ``points-<id>``
    numbers), and the field errors of numbers that are not whole numbers 0–1000."""
    if not points:
        ticked = set(formdata.getlist("project"))
        return {p.id: 1 for p in projects if str(p.id) in ticked}, {}
    choices, errors = {}, {}
    for project in projects:
        raw = (formdata.get(f"points-{project.id}") or "").strip()
        if not raw:
            continue
        if not raw.isascii() or not raw.isdigit() or int(raw) > 1000:
            errors[project.id] = str(_l("0以上の整数で入力してください。"))
            continue
        if int(raw):
            choices[project.id] = int(raw)
    return choices, errors
