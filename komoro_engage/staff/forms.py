"""Forms of the staff console. Validation lives here only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from wtforms import (
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from komoro_engage.accounts.models import User
from komoro_engage.accounts.services import nickname_key, normalize_email
from komoro_engage.core import clock
from komoro_engage.core.forms import (
    KomoroForm,
    MultiCheckboxField,
    ReasonForm,
    VersionForm,
    choices,
)
from komoro_engage.extensions import db
from komoro_engage.moderation.forms import reason_choices
from komoro_engage.plan.departments import Department
from komoro_engage.proposals.forms import ProposalForm
from komoro_engage.proposals.labels import ANSWER_LABELS, OCCASION_LABELS
from komoro_engage.proposals.lifecycle.models import ProxyOccasion
from komoro_engage.staff.actions import ACTIONS, NEEDS_REASON, parse_target

ACTION_LABELS = {
    "approve": _l("承認して公開"), "send_back": _l("差し戻す"), "hide": _l("非表示にする"),
    "restore": _l("再表示する"), "dismiss": _l("通報を却下する"),
}
REPORT_REASON_LABELS = {choice.value: choice.label for choice in reason_choices()}
QUEUE_LABELS = {
    "mine": _l("自分の課"), "mine_overdue": _l("自分の課・期限切れ"),
    "pending": _l("審査待ち"), "statements": _l("広聴の意見の確認待ち"), "reports": _l("通報"),
    "threshold": _l("回答待ち（賛同が基準に到達）"), "overdue": _l("回答期限切れ"),
    "approvals": _l("決裁待ちの回答"),
    "projects": _l("協働プロジェクトの審査"), "unverified": _l("未確認の団体・事業者"),
}
# Which actions the bulk form offers in each queue.
BULK_ACTIONS = {"pending": ("approve", "send_back", "hide"),
                "statements": ("approve", "hide"),
                "reports": ("dismiss", "hide", "restore"),
                "projects": ("approve", "send_back")}
REASON_LENGTH = Length(max=2000, message=_l("2,000文字以内で入力してください。"))


class ConsoleActionForm(KomoroForm):
    """One action on the ticked items (or the one item of an inline form)."""

    action = SelectField(_l("操作"), choices=choices(*ACTION_LABELS.items()),
                         validators=[InputRequired(_l("操作を選んでください。"))])
    targets = SelectMultipleField(_l("対象"), validate_choice=False)
    reason = TextAreaField(_l("理由"), validators=[REASON_LENGTH],
                           description=_l("差し戻し・非表示・再表示には必須です。非表示の理由は公開されます。"))

    def validate_targets(self, field):
        parsed = [parse_target(raw) for raw in field.data or []]
        if not parsed:
            raise ValidationError(_l("対象を1件以上選んでください。"))
        if None in parsed:
            raise ValidationError(_l("対象が正しくありません。"))
        self.parsed_targets = parsed

    def validate_reason(self, field):
        if self.action.data in NEEDS_REASON and not (field.data or "").strip():
            raise ValidationError(_l("この操作には理由が必要です。"))

    def validate_action(self, field):
        if field.data not in ACTIONS:
            raise ValidationError(_l("操作を選んでください。"))


class LinkForm(KomoroForm):
    measure = SelectField(_l("施策"), coerce=int,
                          validators=[InputRequired(_l("施策を選んでください。"))])
    fiscal_year = SelectField(_l("年度"), coerce=int,
                              validators=[InputRequired(_l("年度を選んでください。"))])
    note = TextAreaField(_l("紐付けの理由（公開されます）"), validators=[
        DataRequired(_l("紐付けの理由を入力してください。")),
        Length(max=1000, message=_l("1,000文字以内で入力してください。"))])


class BulkLinkForm(LinkForm):
    """One measure, one year and one reason for the ticked proposals of an answer queue."""

    targets = SelectMultipleField(_l("対象"), validate_choice=False)

    def validate_targets(self, field):
        parsed = [parse_target(raw) for raw in field.data or []]
        if not parsed:
            raise ValidationError(_l("紐付ける提案を1件以上選んでください。"))
        if any(target is None or target[0] != "proposal" for target in parsed):
            raise ValidationError(_l("対象が正しくありません。"))
        self.proposal_ids = [ident for _kind, ident in parsed]


class UnlinkForm(KomoroForm):
    reason = TextAreaField(_l("紐付けを外す理由"), validators=[
        DataRequired(_l("理由を入力してください。")), REASON_LENGTH])


class AnswerForm(KomoroForm):
    status = RadioField(_l("市の判断"), choices=choices(*ANSWER_LABELS.items()),
                        validators=[InputRequired(_l("判断を選んでください。"))])
    body = TextAreaField(_l("回答"), validators=[
        DataRequired(_l("回答を入力してください。")),
        Length(max=4000, message=_l("4,000文字以内で入力してください。"))])
    body_easy = TextAreaField(_l("回答（やさしい日本語・任意）"), description=_l(
        "「やさしい日本語」を選んだ人には、こちらを表示します。短い文で、むずかしい言葉を避けて書きます。"),
        validators=[Optional(), Length(max=4000, message=_l("4,000文字以内で入力してください。"))])
    department = StringField(_l("担当課"), validators=[
        DataRequired(_l("担当課を入力してください。")),
        Length(max=100, message=_l("100文字以内で入力してください。"))])
    answered_on = DateField(_l("回答日"), default=clock.japan_today, validators=[
        InputRequired(_l("回答日を入力してください（例: 2026-04-01）。"))])


class ReturnDraftForm(VersionForm):
    reason = TextAreaField(_l("差し戻す理由（職員にだけ表示されます）"), validators=[
        DataRequired(_l("差し戻す理由を入力してください。")), REASON_LENGTH])


class ProxyForm(ProposalForm):
    """A proposal as a resident wrote it on paper, plus who and where it came from."""

    author_user: User | None = None  # set by validate_author; None means anonymous
    # Staff do not post for organisations or upload the paper (it may show a handwritten name).
    organisation = None
    photos = None
    remove_photos = None
    author = StringField(_l("提案者のアカウント（任意）"), validators=[Optional(), Length(max=254)],
                         description=_l("メールアドレスかニックネーム。空欄なら匿名で登録します。"))
    occasion = RadioField(_l("受け付けた方法"), choices=choices(*OCCASION_LABELS.items()),
                          default=ProxyOccasion.PAPER.value,
                          validators=[InputRequired(_l("受け付けた方法を選んでください。"))])
    occasion_detail = StringField(_l("機会の名前（任意）"), validators=[
        Optional(), Length(max=200, message=_l("200文字以内で入力してください。"))],
        description=_l("例: 令和8年度 乙女地区懇談会"))
    received_on = DateField(_l("受付日"), default=clock.japan_today, validators=[
        InputRequired(_l("受付日を入力してください（例: 2026-04-01）。"))])

    def validate_received_on(self, field):
        if field.data and field.data > clock.japan_today():
            raise ValidationError(_l("受付日に未来の日付は入力できません。"))

    def validate_author(self, field):
        """Find the named account by email or nickname; empty means anonymous."""
        self.author_user = None
        wanted = (field.data or "").strip()
        if not wanted:
            return
        user = db.session.scalar(select(User).where(or_(
            User.email == normalize_email(wanted), User.nickname_key == nickname_key(wanted))))
        if user is None or not user.is_active:
            raise ValidationError(
                _l("そのメールアドレスまたはニックネームの有効なアカウントはありません。"))
        self.author_user = user


class AppointManagerForm(ReasonForm):
    """管理者のいない団体: the member staff make manager (choices set by the view)."""

    member = SelectField(_l("管理者にするメンバー"), validate_choice=False,
                         validators=[InputRequired(_l("メンバーを選んでください。"))])

    def validate_member(self, field):
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("この団体のメンバーから選んでください。"))


class AssignForm(KomoroForm):
    """Route a proposal to a department (choices set by the view), perhaps a person."""

    department = SelectField(_l("担当課"), coerce=int, validate_choice=False,
                             validators=[InputRequired(_l("担当課を選んでください。"))])
    assignee = SelectField(_l("担当者（任意）"), validate_choice=False, default="")
    due_on = DateField(_l("期限（空欄なら回答期限）"), validators=[Optional()])
    reason = TextAreaField(_l("割り当ての理由・引き継ぎ事項（任意）"), validators=[
        Optional(), Length(max=500, message=_l("500文字以内で入力してください。"))])
    members: dict[int, set[str]] = {}  # department id → ids of its staff, set by the view

    def validate_department(self, field):
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("一覧にある担当課を選んでください。"))

    def validate_assignee(self, field):
        if field.data and field.data not in self.members.get(self.department.data, set()):
            raise ValidationError(_l("選んだ担当課の職員から選んでください。"))


class NoteForm(KomoroForm):
    body = TextAreaField(_l("内部メモ（職員にだけ表示されます）"), validators=[
        DataRequired(_l("メモを入力してください。")), REASON_LENGTH])


class DepartmentForm(KomoroForm):
    """Add or rename a department; the name must not be another department's."""

    name = StringField(_l("課の名前"), validators=[
        DataRequired(_l("課の名前を入力してください。")),
        Length(max=100, message=_l("100文字以内で入力してください。"))])
    name_kana = StringField(_l("よみがな（任意）"), validators=[
        Optional(), Length(max=100, message=_l("100文字以内で入力してください。")),
        Regexp(r"^[ぁ-ゖー]+$", message=_l("ひらがなで入力してください。"))])
    name_en = StringField(_l("英語名（任意）"), validators=[
        Optional(), Length(max=100, message=_l("100文字以内で入力してください。"))])
    editing_id: int | None = None

    def validate_name(self, field):
        taken = db.session.scalar(select(Department.id).where(
            Department.name == field.data.strip()))
        if taken is not None and taken != self.editing_id:
            raise ValidationError(_l("同じ名前の課がすでにあります。"))


class MembershipForm(KomoroForm):
    departments = MultiCheckboxField(_l("所属する課"), coerce=int, validate_choice=False)

    def validate_departments(self, field):
        known = {choice.value for choice in field.choices}
        if any(value not in known for value in field.data or []):
            raise ValidationError(_l("一覧にある課を選んでください。"))
