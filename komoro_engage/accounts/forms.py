"""Forms of the accounts feature. Validation lives here and only here."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from komoro_engage.accounts.models import MembershipRole, OrganisationKind, Role
from komoro_engage.accounts.passwords import password_problem, verify_password
from komoro_engage.accounts.services import nickname_taken, normalize_nickname
from komoro_engage.extensions import db
from komoro_engage.plan.models import District

NICKNAME_MAX = 30
REASON_MAX = 500

AGE_BAND_LABELS = {
    "under_18": _l("18歳未満"), "18_29": _l("18〜29歳"), "30s": _l("30代"), "40s": _l("40代"),
    "50s": _l("50代"), "60s": _l("60代"), "70_plus": _l("70歳以上"),
}
ORGANISATION_KIND_LABELS = {
    OrganisationKind.COMMUNITY_GROUP: _l("団体・サークル"),
    OrganisationKind.NPO: _l("NPO法人"),
    OrganisationKind.KU_ASSOCIATION: _l("区・自治会"),
    OrganisationKind.BUSINESS: _l("事業者"),
}
ROLE_LABELS = {Role.RESIDENT: _l("市民"), Role.STAFF: _l("市職員"), Role.ADMIN: _l("管理者")}
MEMBERSHIP_ROLE_LABELS = {
    MembershipRole.MANAGER: _l("管理者"), MembershipRole.MEMBER: _l("メンバー"),
}

REQUIRED = _l("入力してください。")
NICKNAME_TAKEN = _l("このニックネームはすでに使われています。別のものにしてください。")
EMAIL_INVALID = _l("メールアドレスの形式が正しくありません。")


def district_choices() -> list[tuple[str, str]]:
    from komoro_engage.core.i18n import localized

    districts = db.session.scalars(select(District).order_by(District.sort_order)).all()
    return [("", _l("選択しない"))] + [(str(d.id), localized(d, "name")) for d in districts]


def optional_int(value) -> int | None:
    return int(value) if value not in (None, "", "None") else None


def _new_password_check(form, field) -> None:
    email = getattr(form, "email", None)
    nickname = getattr(form, "nickname", None)
    problem = password_problem(field.data or "", email=email.data if email else "",
                               nickname=nickname.data if nickname else "")
    if problem:
        raise ValidationError(problem)


class DistrictMixin:
    def fill_district_choices(self) -> None:
        self.district_id.choices = district_choices()


class SignUpForm(FlaskForm, DistrictMixin):
    email = EmailField(_l("メールアドレス"), validators=[
        DataRequired(REQUIRED), Email(EMAIL_INVALID), Length(max=254)])
    password = PasswordField(_l("パスワード"), validators=[DataRequired(REQUIRED),
                                                       _new_password_check])
    nickname = StringField(_l("ニックネーム（公開されます）"), validators=[
        DataRequired(REQUIRED), Length(max=NICKNAME_MAX)])
    district_id = SelectField(_l("お住まいの地区（任意）"), coerce=optional_int,
                              validators=[Optional()], validate_choice=True)
    age_band = SelectField(_l("年代（任意・統計にのみ使います）"), validators=[Optional()],
                           choices=[("", _l("選択しない"))] + list(AGE_BAND_LABELS.items()))
    accept_terms = BooleanField(_l("利用規約とプライバシーポリシーに同意します"), validators=[
        DataRequired(_l("登録するには利用規約とプライバシーポリシーへの同意が必要です。"))])

    def validate_nickname(self, field) -> None:
        nickname = normalize_nickname(field.data or "")
        if not nickname:
            raise ValidationError(REQUIRED)
        if nickname_taken(nickname):
            raise ValidationError(NICKNAME_TAKEN)


class SignInForm(FlaskForm):
    email = EmailField(_l("メールアドレス"), validators=[DataRequired(REQUIRED)])
    password = PasswordField(_l("パスワード"), validators=[DataRequired(REQUIRED)])
    remember = BooleanField(_l("ログインしたままにする"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("メールアドレス"), validators=[
        DataRequired(REQUIRED), Email(EMAIL_INVALID)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("新しいパスワード"), validators=[DataRequired(REQUIRED),
                                                           _new_password_check])


class CurrentPasswordMixin:
    def validate_current_password(self, field) -> None:
        if not verify_password(current_user.password_hash, field.data or ""):
            raise ValidationError(_l("現在のパスワードが正しくありません。"))


class ChangePasswordForm(FlaskForm, CurrentPasswordMixin):
    current_password = PasswordField(_l("現在のパスワード"), validators=[DataRequired(REQUIRED)])
    password = PasswordField(_l("新しいパスワード"), validators=[DataRequired(REQUIRED),
                                                           _new_password_check])


class ChangeEmailForm(FlaskForm, CurrentPasswordMixin):
    email = EmailField(_l("新しいメールアドレス"), validators=[
        DataRequired(REQUIRED), Email(EMAIL_INVALID), Length(max=254)])
    current_password = PasswordField(_l("現在のパスワード"), validators=[DataRequired(REQUIRED)])


class ProfileForm(FlaskForm, DistrictMixin):
    nickname = StringField(_l("ニックネーム（公開されます）"), validators=[
        DataRequired(REQUIRED), Length(max=NICKNAME_MAX)])
    district_id = SelectField(_l("お住まいの地区（任意）"), coerce=optional_int,
                              validators=[Optional()])
    age_band = SelectField(_l("年代（任意・統計にのみ使います）"), validators=[Optional()],
                           choices=[("", _l("選択しない"))] + list(AGE_BAND_LABELS.items()))

    def validate_nickname(self, field) -> None:
        nickname = normalize_nickname(field.data or "")
        if not nickname:
            raise ValidationError(REQUIRED)
        if nickname_taken(nickname, except_user=current_user):
            raise ValidationError(NICKNAME_TAKEN)


class DeleteAccountForm(FlaskForm, CurrentPasswordMixin):
    posts = RadioField(_l("投稿の扱い"), default="keep", choices=[
        ("keep", _l("投稿は残し、投稿者名を「退会したユーザー」にする")),
        ("remove", _l("投稿も削除する")),
    ], validators=[InputRequired(REQUIRED)])
    current_password = PasswordField(_l("現在のパスワード"), validators=[DataRequired(REQUIRED)])


class EmptyForm(FlaskForm):
    """Buttons that only POST still carry a CSRF token."""


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("理由（監査ログに記録されます）"), validators=[
        DataRequired(_l("理由を入力してください。")), Length(max=REASON_MAX)])


class RoleForm(ReasonForm):
    role = SelectField(_l("役割"), choices=list(ROLE_LABELS.items()))


class OrganisationForm(FlaskForm, DistrictMixin):
    name = StringField(_l("名称"), validators=[DataRequired(REQUIRED), Length(max=100)])
    kind = SelectField(_l("種類"), choices=list(ORGANISATION_KIND_LABELS.items()))
    district_id = SelectField(_l("主な活動地区（任意）"), coerce=optional_int,
                              validators=[Optional()])
    description = TextAreaField(_l("紹介文"), validators=[Optional(), Length(max=2000)])


class InviteForm(FlaskForm):
    email = EmailField(_l("招待する人のメールアドレス"), validators=[
        DataRequired(REQUIRED), Email(EMAIL_INVALID), Length(max=254)])


class MemberRoleForm(FlaskForm):
    role = SelectField(_l("役割"), choices=list(MEMBERSHIP_ROLE_LABELS.items()))
