"""Every URL of accounts, in one table (see core/urls.py): methods, rule, view.

The endpoint of each is "accounts.<view name>".
"""

from __future__ import annotations

from komoro_engage.accounts.views import account, admin, organisations, sign_in
from komoro_engage.core.urls import blueprint

bp = blueprint("accounts", __name__, views=(account, admin, organisations, sign_in), urls="""
    # views/account.py
    GET        /account                                                                   account.account
    GET POST   /account/profile                                                           account.profile
    GET POST   /account/password                                                          account.change_password
    GET POST   /account/email                                                             account.change_email
    GET        /account/email/confirm/<token>                                             account.confirm_email_change
    GET        /account/data                                                              account.your_data
    GET        /account/data.json                                                         account.download_data
    POST       /account/delete                                                            account.delete_account
    # views/admin.py
    GET        /admin/users                                                               admin.admin_users
    GET        /admin/users/<int:user_id>                                                 admin.admin_user
    POST       /admin/users/<int:user_id>/role                                            admin.admin_change_role
    POST       /admin/users/<int:user_id>/suspend                                         admin.admin_suspend
    POST       /admin/users/<int:user_id>/unsuspend                                       admin.admin_unsuspend
    # views/organisations.py
    GET        /organisations                                                             organisations.organisations
    GET POST   /organisations/new                                                         organisations.register_organisation
    GET        /organisations/<int:organisation_id>                                       organisations.organisation
    GET POST   /organisations/<int:organisation_id>/edit                                  organisations.edit_organisation
    GET        /organisations/<int:organisation_id>/members                               organisations.members
    POST       /organisations/<int:organisation_id>/invite                                organisations.invite
    GET POST   /organisations/invitations/<token>                                         organisations.accept_invitation
    POST       /organisations/<int:organisation_id>/join                                  organisations.join
    POST       /organisations/<int:organisation_id>/leave                                 organisations.leave
    POST       /organisations/<int:organisation_id>/members/<int:membership_id>/approve   organisations.approve_member
    POST       /organisations/<int:organisation_id>/members/<int:membership_id>/remove    organisations.remove_member
    POST       /organisations/<int:organisation_id>/members/<int:membership_id>/role      organisations.member_role
    POST       /organisations/<int:organisation_id>/verification                          organisations.verify_organisation
    # views/sign_in.py
    GET POST   /signup                                                                    sign_in.sign_up
    GET        /signup/check-mail                                                         sign_in.check_mail
    GET        /verify/<token>                                                            sign_in.verify_email
    GET POST   /login                                                                     sign_in.sign_in
    POST       /logout                                                                    sign_in.sign_out
    GET POST   /password/forgot                                                           sign_in.forgot_password
    GET POST   /password/reset/<token>                                                    sign_in.reset_password
    GET        /terms                                                                     sign_in.terms
    GET        /privacy                                                                   sign_in.privacy
    GET        /accessibility                                                             sign_in.accessibility
""")
