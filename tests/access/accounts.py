"""Access entries of accounts, admin and organisation routes."""

from tests.access import (
    Access,
    admin_only,
    everyone,
    expect,
    managers_only,
    signed_in,
    staff_only,
)

ORG = {"args": lambda w: {"organisation_id": w.organisation}}


def _membership(attribute):
    return lambda w: {"organisation_id": w.organisation, "membership_id": getattr(w, attribute)}


SIGN_UP = {"email": "access-new@example.jp", "password": "access-table-2026",
           "nickname": "アクセス表の新人", "accept_terms": "y"}
# Anonymous visitors use these; signed-in people are sent on (302).
ANONYMOUS_ONLY = expect(200, 302, 302, 302, 302, 302)

ENTRIES = [
    # Signing up, in and out
    Access("accounts.sign_up", "GET", ANONYMOUS_ONLY),
    Access("accounts.sign_up", "POST", everyone(302), data=SIGN_UP),
    Access("accounts.check_mail", "GET", everyone(200)),
    Access("accounts.verify_email", "GET", everyone(400), args={"token": "forged"}),
    Access("accounts.sign_in", "GET", ANONYMOUS_ONLY),
    Access("accounts.sign_in", "POST", ANONYMOUS_ONLY,
           data={"email": "nobody@example.jp", "password": "not-the-password"}),
    Access("accounts.sign_out", "POST", everyone(302)),
    Access("accounts.forgot_password", "GET", everyone(200)),
    Access("accounts.forgot_password", "POST", everyone(302),
           data={"email": "nobody@example.jp"}),
    Access("accounts.reset_password", "GET", everyone(400), args={"token": "forged"}),
    Access("accounts.reset_password", "POST", everyone(400), args={"token": "forged"},
           data={"password": "access-table-2026"}),
    Access("accounts.terms", "GET", everyone(200)),
    Access("accounts.privacy", "GET", everyone(200)),
    Access("accounts.accessibility", "GET", everyone(200)),
    # Your own account
    Access("accounts.account", "GET", signed_in(200)),
    Access("accounts.profile", "GET", signed_in(200)),
    Access("accounts.profile", "POST", signed_in(302), data={"nickname": "アクセス表の名前"},
           protected=True),
    Access("accounts.change_password", "GET", signed_in(200)),
    Access("accounts.change_password", "POST", signed_in(200),  # wrong current password
           data={"current_password": "wrong", "password": "access-table-2026"}),
    Access("accounts.change_email", "GET", signed_in(200)),
    Access("accounts.change_email", "POST", signed_in(200),  # wrong current password
           data={"email": "new@example.jp", "current_password": "wrong"}),
    Access("accounts.confirm_email_change", "GET", signed_in(400), args={"token": "forged"}),
    Access("accounts.your_data", "GET", signed_in(200)),
    Access("accounts.download_data", "GET", signed_in(200)),
    Access("accounts.delete_account", "POST", signed_in(200),  # wrong current password
           data={"posts": "keep", "current_password": "wrong"}),
    # Staff and admin
    Access("accounts.admin_users", "GET", staff_only(200)),
    Access("accounts.admin_user", "GET", staff_only(200), args=lambda w: {"user_id": w.subject}),
    Access("accounts.admin_change_role", "POST", admin_only(302),
           args=lambda w: {"user_id": w.subject}, data={"role": "staff", "reason": "表の確認"}),
    Access("accounts.admin_suspend", "POST", admin_only(302),
           args=lambda w: {"user_id": w.subject}, data={"reason": "表の確認"}),
    Access("accounts.admin_unsuspend", "POST", admin_only(302),
           args=lambda w: {"user_id": w.suspended}, data={"reason": "表の確認"}),
    # Organisations
    Access("accounts.organisations", "GET", everyone(200)),
    Access("accounts.organisation", "GET", everyone(200), **ORG),
    Access("accounts.register_organisation", "GET", signed_in(200)),
    Access("accounts.register_organisation", "POST", signed_in(302),
           data={"name": "アクセス表の会", "kind": "npo"}, protected=True),
    Access("accounts.edit_organisation", "GET", managers_only(200), **ORG),
    Access("accounts.edit_organisation", "POST", managers_only(302), **ORG,
           data={"name": "アクセス表の改名", "kind": "business"}),
    Access("accounts.members", "GET", managers_only(200), **ORG),
    Access("accounts.invite", "POST", managers_only(302), **ORG,
           data={"email": "invited@example.jp"}),
    Access("accounts.accept_invitation", "GET", signed_in(400), args={"token": "forged"}),
    Access("accounts.accept_invitation", "POST", signed_in(400), args={"token": "forged"}),
    Access("accounts.join", "POST", signed_in(302), **ORG, protected=True),
    Access("accounts.leave", "POST", expect(302, 302, 403, 302, 403, 403), **ORG),
    Access("accounts.approve_member", "POST", managers_only(302),
           args=_membership("request_membership")),
    Access("accounts.remove_member", "POST", managers_only(302),
           args=_membership("request_membership")),
    Access("accounts.member_role", "POST", managers_only(302),
           args=_membership("member_membership"), data={"role": "manager"}),
    Access("accounts.verify_organisation", "POST", staff_only(302), **ORG,  # see test_organisations
           data={"verified": "1", "reason": "表の確認"}),
]
