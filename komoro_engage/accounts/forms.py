"""Forms of the accounts feature. Validation lives here and only here."""

from __future__ import annotations

# Labels are built at import time, so they must be lazy; named _ so pybabel extracts them.
from flask_babel import lazy_gettext as _
from flask_login import current_user
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
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from komoro_engage.accounts.models import MembershipRole, OrganisationKind, Role
from komoro_engage.accounts.passwords import password_problem, verify_password
from komoro_engage.accounts.services import nickname_taken, normalize_nickname
from komoro_engage.core.forms import KomoroForm, ReasonForm, as_choices
from komoro_engage.extensions import db
from komoro_engage.plan.models import District, Ku

NICKNAME_MAX = 30
REASON_MAX = 500

AGE_BAND_LABELS = {
    "under_18": _("18歳未満"), "18_29": _("18〜29歳"),
    "30s": _("30代"), "40s": _("40代"),
    "50s": _("50代"), "60s": _("60代"), "70_plus": _("70歳以上"),
}
ORGANISATION_KIND_LABELS = {
    OrganisationKind.COMMUNITY_GROUP: _("団体・サークル"),
    OrganisationKind.NPO: _("NPO法人"),
    OrganisationKind.KU_ASSOCIATION: _("区・自治会"),
    OrganisationKind.BUSINESS: _("事業者"),
}
ROLE_LABELS = {
    Role.RESIDENT: _("市民"), Role.STAFF: _("市職員"),
    Role.ADMIN: _("管理者"),
}
MEMBERSHIP_ROLE_LABELS = {
    MembershipRole.MANAGER: _("管理者"), MembershipRole.MEMBER: _("メンバー"),
}

REQUIRED = _("入力してください。")
NO_CHOICE = _("選択しない")
AGE_BAND_LABEL = _("年代（任意・統計にのみ使います）")
CURRENT_PASSWORD = _("現在のパスワード")
NICKNAME_TAKEN = _("このニックネームはすでに使われています。別のものにしてください。")
EMAIL_INVALID = _("メールアドレスの形式が正しくありません。")



def district_choices() -> list[SelectChoice]:
    from komoro_engage.core.i18n import localized

    districts = db.session.scalars(select(District).order_by(District.sort_order)).all()
    return as_choices([("", NO_CHOICE)] + [(d.id, localized(d, "name")) for d in districts])


def optional_int(value) -> int | None:
    return int(value) if value not in (None, "", "None") else None


def _new_password_check(form, field) -> None:
    email = getattr(form, "email", None)
    nickname = getattr(form, "nickname", None)
    # A post may leave out the other fields: their data is then None.
    problem = password_problem(field.data or "", email=(email.data if email else "") or "",
                               nickname=(nickname.data if nickname else "") or "")
    if problem:
        raise ValidationError(problem)


def ku_choices() -> list[SelectChoice]:
    """区 grouped under their district (an <optgroup> each)."""
    from komoro_engage.core.i18n import localized

    rows = db.session.execute(
        select(Ku, District).join(District).order_by(District.sort_order, Ku.sort_order)
    ).all()
    return [SelectChoice("", NO_CHOICE)] + [
        SelectChoice(str(ku.id), ku.name, optgroup=localized(district, "name"))
        for ku, district in rows
    ]


class DistrictMixin:
    def fill_district_choices(self) -> None:
        self.district_id.choices = district_choices()
        if hasattr(self, "ku_id"):
            self.ku_id.choices = ku_choices()

    def validate_ku_id(self, field) -> None:
        if field.data is None:
            return
        ku = db.session.get(Ku, field.data)
        if ku is None:
            raise ValidationError(_("選択肢から選んでください。"))
        if self.district_id.data is None:
            self.district_id.data = ku.district_id  # the 区 tells the district
        elif ku.district_id != self.district_id.data:
            raise ValidationError(_("選んだ区は、選んだ地区にありません。"))


class SignUpForm(KomoroForm, DistrictMixin):
    email = EmailField(_("メールアドレス"), validators=[
        DataRequired(REQUIRED), Email(EMAIL_INVALID), Length(max=254)])
    password = PasswordField(_("パスワード"), validators=[DataRequired(REQUIRED),
                                                       _new_password_check])
    nickname = StringField(_("ニックネーム（公開されます）"), validators=[
        DataRequired(REQUIRED), Length(max=NICKNAME_MAX)])
    district_id = SelectField(_("お住まいの地区（任意）"), coerce=optional_int,
                              validators=[Optional()], validate_choice=True)
    ku_id = SelectField(_("お住まいの区（任意）"), coerce=optional_int, validators=[Optional()])
    age_band = SelectField(AGE_BAND_LABEL, validators=[Optional()],
                           choices=as_choices([("", NO_CHOICE), *AGE_BAND_LABELS.items()]))
    accept_terms = BooleanField(
        _("利用規約とプライバシーポリシーに同意します"), validators=[
        DataRequired(_("登録するには利用規約とプライバシーポリシーへの同意が必要です。"))])

    def validate_nickname(self, field) -> None:
        nickname = normalize_nickname(field.data or "")
        if not nickname:
            raise ValidationError(REQUIRED)
        if nickname_taken(nickname):
            raise ValidationError(NICKNAME_TAKEN)


class SignInForm(KomoroForm):
    email = EmailField(_("メールアドレス"), validators=[DataRequired(REQUIRED)])
    password = PasswordField(_("パスワード"), validators=[DataRequired(REQUIRED)])
    remember = BooleanField(_("ログインしたままにする"))


class ForgotPasswordForm(KomoroForm):
    email = EmailField(_("メールアドレス"), validators=[
        DataRequired(REQUIRED), Email(EMAIL_INVALID)])


class ResetPasswordForm(KomoroForm):
    password = PasswordField(_("新しいパスワード"), validators=[DataRequired(REQUIRED),
                                                           _new_password_check])


class CurrentPasswordMixin:
    def validate_current_password(self, field) -> None:
        if not verify_password(current_user.password_hash, field.data or ""):
            raise ValidationError(_("現在のパスワードが正しくありません。"))


class ChangePasswordForm(KomoroForm, CurrentPasswordMixin):
    current_password = PasswordField(CURRENT_PASSWORD, validators=[DataRequired(REQUIRED)])
    password = PasswordField(_("新しいパスワード"), validators=[DataRequired(REQUIRED),
                                                           _new_password_check])


class ChangeEmailForm(KomoroForm, CurrentPasswordMixin):
    email = EmailField(_("新しいメールアドレス"), validators=[
        DataRequired(REQUIRED), Email(EMAIL_INVALID), Length(max=254)])
    current_password = PasswordField(CURRENT_PASSWORD, validators=[DataRequired(REQUIRED)])


class ProfileForm(KomoroForm, DistrictMixin):
    nickname = StringField(_("ニックネーム（公開されます）"), validators=[
        DataRequired(REQUIRED), Length(max=NICKNAME_MAX)])
    district_id = SelectField(_("お住まいの地区（任意）"), coerce=optional_int,
                              validators=[Optional()])
    ku_id = SelectField(_("お住まいの区（任意）"), coerce=optional_int, validators=[Optional()])
    age_band = SelectField(AGE_BAND_LABEL, validators=[Optional()],
                           choices=as_choices([("", NO_CHOICE), *AGE_BAND_LABELS.items()]))

    def validate_nickname(self, field) -> None:
        nickname = normalize_nickname(field.data or "")
        if not nickname:
            raise ValidationError(REQUIRED)
        if nickname_taken(nickname, except_user=current_user):
            raise ValidationError(NICKNAME_TAKEN)


class DeleteAccountForm(KomoroForm, CurrentPasswordMixin):
    posts = RadioField(_("投稿の扱い"), default="keep", choices=as_choices([
        ("keep", _("投稿は残し、投稿者名を「退会したユーザー」にする")),
        ("remove", _("投稿も削除する")),
    ]), validators=[InputRequired(REQUIRED)])
    current_password = PasswordField(CURRENT_PASSWORD, validators=[DataRequired(REQUIRED)])




class RoleForm(ReasonForm):
    role = SelectField(_("役割"), choices=as_choices(ROLE_LABELS.items()))


class OrganisationForm(KomoroForm, DistrictMixin):
    name = StringField(_("名称"), validators=[DataRequired(REQUIRED), Length(max=100)])
    kind = SelectField(_("種類"), choices=as_choices(ORGANISATION_KIND_LABELS.items()))
    district_id = SelectField(_("主な活動地区（任意）"), coerce=optional_int,
                              validators=[Optional()])
    description = TextAreaField(_("紹介文"), validators=[Optional(), Length(max=2000)])


class InviteForm(KomoroForm):
    email = EmailField(_("招待する人のメールアドレス"), validators=[
        DataRequired(REQUIRED), Email(EMAIL_INVALID), Length(max=254)])


class MemberRoleForm(KomoroForm):
    role = SelectField(_("役割"), choices=as_choices(MEMBERSHIP_ROLE_LABELS.items()))
