"""Forms for projects, joining, activity days, attendance and reports. Validation lives here."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from komoro_engage.core.forms import KomoroForm, MultiCheckboxField, choices
from komoro_engage.media.forms import PHOTO_INPUT_ATTRS, PhotoFiles
from komoro_engage.plan.place_forms import PlaceFields
from komoro_engage.projects.message_models import BODY_MAX, SUBJECT_MAX, Audience
from komoro_engage.projects.models import MemberRole, PartnerRole

MAX_PHOTOS = 4
NOT_BEGUN = _l("この活動日はまだ始まっていません。報告は活動日が始まってから書けます。")


def role_choices():
    return choices((MemberRole.PARTICIPANT.value, _l("参加者として")),
                   (MemberRole.VOLUNTEER.value, _l("ボランティアとして")))


def partner_role_choices(with_city: bool = True):
    pairs = [(PartnerRole.HOST.value, _l("主催")), (PartnerRole.CO_HOST.value, _l("共催")),
             (PartnerRole.COOPERATION.value, _l("協力"))]
    if with_city:
        pairs.append((PartnerRole.CITY_DEPARTMENT.value, _l("市担当課")))
    return choices(*pairs)


class ProjectForm(PlaceFields, KomoroForm):
    title = StringField(_l("タイトル"), validators=[
        DataRequired(_l("タイトルを入力してください。")),
        Length(max=80, message=_l("タイトルは80文字以内で入力してください。"))])
    summary = StringField(_l("概要"), description=_l("一覧に表示する一文（200文字まで）"),
                          validators=[DataRequired(_l("概要を入力してください。")), Length(
                              max=200, message=_l("200文字以内で入力してください。"))])
    description = TextAreaField(_l("内容"), validators=[
        Optional(), Length(max=8000, message=_l("8,000文字以内で入力してください。"))])
    lead = SelectField(_l("主催者"))
    policy_areas = MultiCheckboxField(
        _l("政策分野"), coerce=int,
        validators=[DataRequired(_l("政策分野を1つ以上選んでください。"))])
    priority_items = MultiCheckboxField(_l("重点項目（任意）"), coerce=int,
                                        validators=[Optional()])
    measures = MultiCheckboxField(_l("関連する施策（任意）"), coerce=int, validators=[Optional()])
    district = SelectField(_l("地区"), validators=[Optional()])
    starts_on = DateField(_l("開始日（任意）"), validators=[Optional()])
    ends_on = DateField(_l("終了日（任意）"), validators=[Optional()])
    help_wanted = TextAreaField(_l("求める協力（任意）"),
                                description=_l("1行に1つ（例：当日スタッフ、講師、物品提供）"),
                                validators=[Optional(), Length(max=1000)])
    capacity = IntegerField(_l("定員（任意）"), description=_l("空欄なら定員なし"),
                            validators=[Optional(), NumberRange(
                                min=1, max=100000, message=_l("1以上の数を入力してください。"))])

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("終了日は開始日より後にしてください。"))


class StatusForm(KomoroForm):
    reason = TextAreaField(_l("理由・お知らせ（任意）"), description=_l(
        "参加者とキャンセル待ちの人に、通知とメールで届きます。プロジェクトの経過にも載ります。"),
        validators=[Optional(), Length(max=2000, message=_l("2,000文字以内で入力してください。"))])


class JoinForm(KomoroForm):
    role = RadioField(_l("参加のしかた"), choices=role_choices(),
                      default=MemberRole.PARTICIPANT.value,
                      validators=[InputRequired(_l("参加のしかたを選んでください。"))])
    message = TextAreaField(_l("主催者へのひとこと（任意）"), validators=[
        Optional(), Length(max=500, message=_l("500文字以内で入力してください。"))])


class PartnerRequestForm(KomoroForm):
    organisation = SelectField(_l("団体・事業者"),
                               validators=[DataRequired(_l("団体・事業者を選んでください。"))])
    role = RadioField(_l("役割"), choices=partner_role_choices(with_city=False),
                      validators=[InputRequired(_l("役割を選んでください。"))])
    message = TextAreaField(_l("主催者へのひとこと（任意）"), validators=[
        Optional(), Length(max=500, message=_l("500文字以内で入力してください。"))])


class PartnerForm(KomoroForm):
    """Organisers add a partner: an organisation, or a city department by name."""

    role = RadioField(_l("役割"), choices=partner_role_choices(),
                      validators=[InputRequired(_l("役割を選んでください。"))])
    # Checked in validate_organisation: empty is fine for a city department.
    organisation = SelectField(_l("団体・事業者"), validate_choice=False)
    department = StringField(_l("担当課の名前（市担当課のとき）"), validators=[
        Length(max=100, message=_l("100文字以内で入力してください。"))])

    def validate_department(self, field):
        if self.role.data == PartnerRole.CITY_DEPARTMENT and not (field.data or "").strip():
            raise ValidationError(_l("担当課の名前を入力してください。"))

    def validate_organisation(self, field):
        if self.role.data == PartnerRole.CITY_DEPARTMENT:
            field.data = ""
        elif not field.data or field.data not in {c.value for c in field.choices if c.value}:
            raise ValidationError(_l("団体・事業者を選んでください。"))


class ActivityDayForm(PlaceFields, KomoroForm):
    title = StringField(_l("活動の名前（任意）"), validators=[Optional(), Length(max=80)])
    day = DateField(_l("日付"), validators=[InputRequired(_l("日付を入力してください。"))])
    start = TimeField(_l("開始時刻"),
                      validators=[InputRequired(_l("開始時刻を入力してください。"))])
    end = TimeField(_l("終了時刻"), validators=[InputRequired(_l("終了時刻を入力してください。"))])
    place = StringField(_l("場所"), validators=[
        DataRequired(_l("場所を入力してください。")), Length(max=200)])
    capacity = IntegerField(_l("定員（任意）"), validators=[Optional(), NumberRange(
        min=1, max=100000, message=_l("1以上の数を入力してください。"))])


class AttendanceForm(KomoroForm):
    attended = MultiCheckboxField(_l("参加した人"), coerce=int, validators=[Optional()])
    count = IntegerField(_l("参加者数（予約なしの人を含む、任意）"), validators=[
        Optional(), NumberRange(min=0, max=100000, message=_l("0以上の数を入力してください。"))])


class ReportForm(KomoroForm):
    body = TextAreaField(_l("報告"), validators=[
        DataRequired(_l("報告を入力してください。")),
        Length(max=4000, message=_l("4,000文字以内で入力してください。"))])
    # Checked in validate_activity_day, which names a day that has not begun.
    activity_day = SelectField(_l("活動日（任意）"), validate_choice=False,
                               validators=[Optional()])
    attendance_count = IntegerField(_l("参加者数（任意）"), validators=[Optional(), NumberRange(
        min=0, max=100000, message=_l("0以上の数を入力してください。"))])
    volunteer_hours = DecimalField(_l("ボランティア時間（合計、任意）"), places=1,
                                   validators=[Optional(), NumberRange(
                                       min=0, max=100000,
                                       message=_l("0以上の数を入力してください。"))])
    is_completion = BooleanField(_l("完了報告として提出する"))
    # No Optional(): it would stop validate_outcomes from asking for outcomes.
    outcomes = TextAreaField(_l("成果（完了報告のとき）"), validators=[
        Length(max=4000, message=_l("4,000文字以内で入力してください。"))])
    photos = MultipleFileField(_l("写真（4枚まで）"), render_kw=PHOTO_INPUT_ATTRS,
                               description=_l("JPEG・PNG・WebP・HEIC。位置情報などは削除して保存します。"),
                               validators=[PhotoFiles(max_files=MAX_PHOTOS)])

    # The view sets the ids (as strings) of the project's days that have not begun yet.
    days_not_begun: frozenset[str] = frozenset()

    def validate_activity_day(self, field):
        if not field.data:
            return
        if field.data in self.days_not_begun:
            raise ValidationError(NOT_BEGUN)
        if field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("活動日を選んでください。"))

    def validate_outcomes(self, field):
        if self.is_completion.data and not (field.data or "").strip():
            raise ValidationError(_l("完了報告には成果を書いてください。"))


def audience_choices():
    return choices((Audience.MEMBERS.value, _l("参加者（参加が決まった人）")),
                   (Audience.WAITING.value, _l("キャンセル待ちの人")),
                   (Audience.PARTNERS.value, _l("協力団体（団体の管理者）")))


class MessageForm(KomoroForm):
    """A message to the project's people; ``key`` is made once per form and sent with it."""

    audiences = MultiCheckboxField(_l("送る相手"), choices=audience_choices(), validators=[
        DataRequired(_l("送る相手を1つ以上選んでください。"))])
    subject = StringField(_l("件名"), validators=[
        DataRequired(_l("件名を入力してください。")),
        Length(max=SUBJECT_MAX, message=_l("件名は100文字以内で入力してください。"))])
    body = TextAreaField(_l("本文"), description=_l("文字だけのお知らせです（2,000文字まで）。"),
                         validators=[DataRequired(_l("本文を入力してください。")), Length(
                             max=BODY_MAX, message=_l("2,000文字以内で入力してください。"))])
    key = HiddenField(validators=[InputRequired(), Regexp(r"^[A-Za-z0-9_-]{16,64}$")])
