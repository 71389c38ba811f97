"""Forms of newsletters (お知らせメール) in the staff console. Validation lives here only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Regexp, ValidationError

from komoro_engage.core.forms import KomoroForm, MultiCheckboxField, choices
from komoro_engage.notifications.newsletter_models import (
    BODY_MAX,
    SUBJECT_MAX,
    Audience,
    NewsletterStatus,
)
from komoro_engage.staff import newsletters

AUDIENCE_LABELS = {
    Audience.ALL: _l("受け取ると選んだ全員"),
    Audience.DISTRICTS: _l("選んだ地区に住む人"),
    Audience.POLICY_AREAS: _l("選んだ政策分野をフォローしている人"),
    Audience.PROJECT: _l("選んだ協働プロジェクトの参加者"),
}

STATUS_LABELS = {
    NewsletterStatus.DRAFT: _l("下書き"),
    NewsletterStatus.SENDING: _l("送信中"),
    NewsletterStatus.SENT: _l("送信済み"),
}


def _optional_int(value):
    return int(value) if value not in (None, "") else None


class NewsletterForm(KomoroForm):
    """A newsletter's text and audience; the choices of districts, areas and projects are
    filled from the database when the form is made (:func:`newsletter_form`)."""

    subject = StringField(_l("件名"), validators=[
        DataRequired(_l("件名を入力してください。")),
        Length(max=SUBJECT_MAX, message=_l("件名は100文字以内で入力してください。"))])
    body = TextAreaField(_l("本文"), description=_l(
        "文字だけのメールです（10,000文字まで）。https:// で始まるアドレスはリンクになります。"),
        validators=[DataRequired(_l("本文を入力してください。")),
                    Length(max=BODY_MAX, message=_l("10,000文字以内で入力してください。"))])
    audience = RadioField(_l("送る相手"), choices=choices(*AUDIENCE_LABELS.items()),
                          default=Audience.ALL.value,
                          description=_l("どの場合も、メールの設定で「市からのお知らせメール」を"
                                         "受け取ると選んだ人にだけ届きます。"),
                          validators=[InputRequired(_l("送る相手を選んでください。"))])
    districts = MultiCheckboxField(_l("地区"), coerce=int, validate_choice=False)
    policy_areas = MultiCheckboxField(_l("政策分野"), coerce=int, validate_choice=False)
    project = SelectField(_l("協働プロジェクト"), coerce=_optional_int, validate_choice=False)

    def _chosen(self, field, message) -> None:
        allowed = {value for value, _label in field.choices_pairs}
        picked = field.data if isinstance(field.data, list) else [field.data]
        picked = [value for value in picked if value is not None]
        if any(value not in allowed for value in picked):
            raise ValidationError(_l("選べない項目が含まれています。"))
        if not picked:
            raise ValidationError(message)

    def validate_districts(self, field):
        if self.audience.data == Audience.DISTRICTS:
            self._chosen(field, _l("地区を1つ以上選んでください。"))

    def validate_policy_areas(self, field):
        if self.audience.data == Audience.POLICY_AREAS:
            self._chosen(field, _l("政策分野を1つ以上選んでください。"))

    def validate_project(self, field):
        if self.audience.data == Audience.PROJECT:
            self._chosen(field, _l("協働プロジェクトを選んでください。"))

    def audience_ids(self) -> list[int]:
        match self.audience.data:
            case Audience.DISTRICTS:
                return list(self.districts.data or [])
            case Audience.POLICY_AREAS:
                return list(self.policy_areas.data or [])
            case Audience.PROJECT:
                return [self.project.data] if self.project.data else []
        return []


def newsletter_form(newsletter=None) -> NewsletterForm:
    """The form, with today's districts, policy areas and public projects to choose from."""
    data = None
    if newsletter is not None:
        ids = list(newsletter.audience_ids or [])
        data = {"subject": newsletter.subject, "body": newsletter.body,
                "audience": str(newsletter.audience),
                "districts": ids if newsletter.audience == Audience.DISTRICTS else [],
                "policy_areas": ids if newsletter.audience == Audience.POLICY_AREAS else [],
                "project": ids[0] if newsletter.audience == Audience.PROJECT and ids else None}
    form = NewsletterForm(data=data) if data is not None else NewsletterForm()
    for field, pairs in ((form.districts, newsletters.district_choices()),
                         (form.policy_areas, newsletters.policy_area_choices())):
        field.choices = choices(*pairs)
        field.choices_pairs = pairs
    projects = newsletters.project_choices()
    form.project.choices = choices(("", _l("選んでください")), *projects)
    form.project.choices_pairs = projects
    return form


class SendForm(KomoroForm):
    """送信する on the check page: ``key`` is made once per check page and sent with it."""

    key = HiddenField(validators=[InputRequired(), Regexp(r"^[A-Za-z0-9_-]{16,64}$")])
