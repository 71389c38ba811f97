"""Every URL of accounts, listed in one place: (rule, view, methods).

The endpoint of each is "accounts.<view name>".
"""

from __future__ import annotations

from flask import Blueprint

from komoro_engage.accounts.views import account, admin, organisations, sign_in

bp = Blueprint("accounts", __name__)

BOTH, GET, POST = ("GET", "POST"), ("GET",), ("POST",)
URLS = (
    # views/account.py
    ("/account", account.account, GET),
    ("/account/profile", account.profile, BOTH),
    ("/account/password", account.change_password, BOTH),
    ("/account/email", account.change_email, BOTH),
    ("/account/email/confirm/<token>", account.confirm_email_change, GET),
    ("/account/data", account.your_data, GET),
    ("/account/data.json", account.download_data, GET),
    ("/account/delete", account.delete_account, POST),
    # views/admin.py
    ("/admin/users", admin.admin_users, GET),
    ("/admin/users/<int:user_id>", admin.admin_user, GET),
    ("/admin/users/<int:user_id>/role", admin.admin_change_role, POST),
    ("/admin/users/<int:user_id>/suspend", admin.admin_suspend, POST),
    ("/admin/users/<int:user_id>/unsuspend", admin.admin_unsuspend, POST),
    # views/organisations.py
    ("/organisations", organisations.organisations, GET),
    ("/organisations/new", organisations.register_organisation, BOTH),
    ("/organisations/<int:organisation_id>", organisations.organisation, GET),
    ("/organisations/<int:organisation_id>/edit", organisations.edit_organisation, BOTH),
    ("/organisations/<int:organisation_id>/members", organisations.members, GET),
    ("/organisations/<int:organisation_id>/invite", organisations.invite, POST),
    ("/organisations/invitations/<token>", organisations.accept_invitation, BOTH),
    ("/organisations/<int:organisation_id>/join", organisations.join, POST),
    ("/organisations/<int:organisation_id>/leave", organisations.leave, POST),
    ("/organisations/<int:organisation_id>/members/<int:membership_id>/approve",
     organisations.approve_member, POST),
    ("/organisations/<int:organisation_id>/members/<int:membership_id>/remove",
     organisations.remove_member, POST),
    ("/organisations/<int:organisation_id>/members/<int:membership_id>/role",
     organisations.member_role, POST),
    ("/organisations/<int:organisation_id>/verification", organisations.verify_organisation, POST),
    # views/sign_in.py
    ("/signup", sign_in.sign_up, BOTH),
    ("/signup/check-mail", sign_in.check_mail, GET),
    ("/verify/<token>", sign_in.verify_email, GET),
    ("/login", sign_in.sign_in, BOTH),
    ("/logout", sign_in.sign_out, POST),
    ("/password/forgot", sign_in.forgot_password, BOTH),
    ("/password/reset/<token>", sign_in.reset_password, BOTH),
    ("/terms", sign_in.terms, GET),
    ("/privacy", sign_in.privacy, GET),
)
for _rule, _view, _methods in URLS:
    bp.add_url_rule(_rule, view_func=_view, methods=_methods)
