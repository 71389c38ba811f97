"""Organisation use cases: register, verify, join, invite, approve, manage members."""

from __future__ import annotations

import unicodedata

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from komoro_engage.accounts import tokens
from komoro_engage.accounts.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    User,
)
from komoro_engage.accounts.services import absolute_url, normalize_email
from komoro_engage.core import clock
from komoro_engage.core.audit import record_audit
from komoro_engage.core.limits import spend
from komoro_engage.core.outbox import queue_mail
from komoro_engage.extensions import db


class OrganisationError(Exception):
    """A request that cannot be honoured; ``field`` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def name_key(name: str) -> str:
    """NFKC + casefold of a name: the organisation's uniqueness key."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


def membership_of(user: User, organisation: Organisation) -> Membership | None:
    """``user``'s membership of ``organisation`` (any status), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(Membership).filter_by(
        organisation_id=organisation.id, user_id=user.id))


def register_organisation(user: User, *, name: str, kind: str, district_id: int | None,
                          description: str) -> Organisation:
    """Register an unverified organisation with ``user`` as its first manager."""
    name = unicodedata.normalize("NFKC", name).strip()
    organisation = Organisation(name=name, name_key=name_key(name), kind=OrganisationKind(kind),
                                district_id=district_id, description=description.strip(),
                                created_by_id=user.id)
    try:
        with db.session.begin_nested():
            db.session.add(organisation)
    except IntegrityError as error:
        raise OrganisationError(_("同じ名前の団体・事業者がすでに登録されています。"),
                                "name") from error
    db.session.add(Membership(organisation=organisation, user_id=user.id,
                              role=MembershipRole.MANAGER, status=MembershipStatus.ACTIVE))
    db.session.flush()
    return organisation


def update_organisation(organisation: Organisation, *, name: str, kind: str,
                        district_id: int | None, description: str) -> None:
    """Edit the public profile. A new name needs verifying again."""
    name = unicodedata.normalize("NFKC", name).strip()
    try:
        with db.session.begin_nested():
            if name_key(name) != organisation.name_key:
                organisation.verified_at = None
                organisation.verified_by_id = None
            organisation.name, organisation.name_key = name, name_key(name)
            organisation.kind = OrganisationKind(kind)
            organisation.district_id = district_id
            organisation.description = description.strip()
    except IntegrityError as error:
        raise OrganisationError(_("同じ名前の団体・事業者がすでに登録されています。"),
                                "name") from error


def set_verified(staff: User, organisation: Organisation, verified: bool, reason: str) -> None:
    """Staff confirm (or withdraw) that the organisation is who it says it is."""
    before = {"verified": organisation.is_verified}
    organisation.verified_at = clock.now() if verified else None
    organisation.verified_by_id = staff.id if verified else None
    action = "organisation.verified" if verified else "organisation.unverified"
    record_audit(staff, action, organisation, reason, before, {"verified": verified})


def request_to_join(user: User, organisation: Organisation) -> Membership:
    """Ask to join; a manager decides. Asking twice changes nothing."""
    existing = membership_of(user, organisation)
    if existing is not None:
        return existing
    membership = Membership(organisation_id=organisation.id, user_id=user.id,
                            role=MembershipRole.MEMBER, status=MembershipStatus.REQUESTED)
    try:
        with db.session.begin_nested():
            db.session.add(membership)
    except IntegrityError:  # a concurrent request by the same person won
        return membership_of(user, organisation)
    return membership


def approve_request(membership: Membership) -> None:
    """A manager accepts a join request."""
    membership.status = MembershipStatus.ACTIVE


def active_manager_count(organisation: Organisation) -> int:
    """How many active managers ``organisation`` has."""
    return db.session.scalar(select(func.count()).select_from(Membership).filter_by(
        organisation_id=organisation.id, role=MembershipRole.MANAGER,
        status=MembershipStatus.ACTIVE))


def _last_manager_message() -> str:
    return _("最後の管理者は抜けられません。先に別の管理者を指名してください。")


def _is_last_manager(membership: Membership) -> bool:
    return (membership.role == MembershipRole.MANAGER
            and membership.status == MembershipStatus.ACTIVE
            and active_manager_count(membership.organisation) <= 1)


def remove_membership(membership: Membership) -> None:
    """Decline a request, remove a member, or leave. The last manager cannot go."""
    if _is_last_manager(membership):
        raise OrganisationError(_last_manager_message())
    db.session.delete(membership)
    db.session.flush()


def set_member_role(membership: Membership, role: str) -> None:
    """Make a member a manager or back; the last manager must stay."""
    if role != MembershipRole.MANAGER and _is_last_manager(membership):
        raise OrganisationError(_last_manager_message())
    membership.role = MembershipRole(role)


def invitation_refused(manager: User, organisation: Organisation) -> str | None:
    """Count one invitation against the limits (config.py ``RATELIMIT_INVITE_*``) and
    say why it may not go, or None. Every invitation is a mail from the city's address
    carrying a name the organisation chose, so a freshly registered one must not send
    many; an unverified organisation has only a few out at once."""
    config = current_app.config
    checks = [("RATELIMIT_INVITE_PER_ORGANISATION", "organisation", organisation.id,
               _("この団体から送れる招待の数の上限に達しました。時間をおいてもう一度お試しください。")),
              ("RATELIMIT_INVITE_PER_SENDER", "sender", manager.id,
               _("あなたが送れる招待の数の上限に達しました。時間をおいてもう一度お試しください。"))]
    if not organisation.is_verified:
        checks.insert(0, ("RATELIMIT_INVITE_UNVERIFIED_ORGANISATION", "unverified",
                          organisation.id,
                          _("市の確認が済んでいない団体は、一度に招待できる人数が限られています。"
                            "招待した人の参加を待つか、市の確認を受けてからお試しください。")))
    for setting, kind, ident, message in checks:
        if not spend(config[setting], f"invitations-{kind}", f"{kind}:{ident}"):
            return message
    return None


def invitation_mail(manager: User, organisation: Organisation, link: str) -> tuple[str, str]:
    """Subject and body of an invitation. The subject carries no name a member wrote;
    the body says the organisation's name is its members' words, not the city's, and
    whether staff verified it."""
    standing = (_("市はこの団体・事業者を確認済みです。") if organisation.is_verified else
                _("市はまだこの団体・事業者を確認していません（未確認）。"
                  "心当たりがなければ、このメールは無視してください。"))
    return _("【こもろ協働ひろば】団体・事業者への招待"), _(
        "%(inviter)s さんから、こもろ協働ひろばに登録された団体・事業者「%(name)s」の"
        "メンバーに招待されました。\n"
        "団体・事業者の名前と招待はその会員が入力したもので、小諸市からの案内ではありません。"
        "%(standing)s\n\n"
        "参加するには、次のリンクを開いて、このメールアドレスのアカウントでログインしてください"
        "（14日間有効）。アカウントがない場合は、このアドレスで登録してから開いてください。\n\n"
        "%(link)s",
        inviter=manager.nickname, name=organisation.name, standing=standing, link=link)


def invite_by_email(manager: User, organisation: Organisation, email: str) -> None:
    """Mail an accept link to ``email``; it works for whoever signs in with that address."""
    email = normalize_email(email)
    token = tokens.make_token(tokens.INVITE_MEMBER, {"org": organisation.id, "email": email})
    queue_mail(email, *invitation_mail(manager, organisation, absolute_url(
        "accounts.accept_invitation", token=token)), kind="invitation")


def read_invitation(token: str) -> tuple[Organisation, str] | None:
    """The organisation and email address of a valid invitation link."""
    payload = tokens.read_token(tokens.INVITE_MEMBER, token)
    if not isinstance(payload, dict):
        return None
    organisation = db.session.get(Organisation, payload.get("org"))
    return (organisation, payload.get("email", "")) if organisation else None


def accept_invitation(user: User, organisation: Organisation) -> Membership:
    """Make ``user`` an active member (a pending request of theirs becomes active)."""
    membership = request_to_join(user, organisation)
    if membership.status != MembershipStatus.ACTIVE:
        membership.status = MembershipStatus.ACTIVE
    return membership
