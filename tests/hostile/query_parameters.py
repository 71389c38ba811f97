"""The query-string parameters each endpoint reads, for tests/security/test_hostile_input.py.

Every endpoint of the URL map has a line (an empty tuple when it reads none): a new
route without one fails ``test_every_endpoint_declares_its_query_parameters``. The
hostile-input test puts every hostile value into each declared name, and fails when a
view reads a name that is not declared here, so the list cannot silently go stale.
"""

from __future__ import annotations

# The public lists' filters (proposals/queries.py, projects/queries.py).
LIST = ("q", "area", "item", "measure", "district", "status", "kind", "sort", "page",
        "per_page")
PROJECT_LIST = tuple(name for name in LIST if name != "kind")
AUDIT = ("action", "actor", "target_type", "since", "until")

QUERY_PARAMETERS: dict[str, tuple[str, ...]] = {
    "static": (),
    # core
    "core.healthz": (), "core.readyz": (), "core.metrics_page": (), "core.set_language": (),
    # plan
    "plan.home": (), "plan.policy_area": (), "plan.measure": ("edition",),
    "plan.priority_item": (), "plan.districts": (),
    # accounts
    "accounts.account": (), "accounts.profile": (), "accounts.change_password": (),
    "accounts.change_email": (), "accounts.confirm_email_change": (),
    "accounts.your_data": (), "accounts.download_data": (), "accounts.delete_account": (),
    "accounts.admin_users": ("q", "status", "page"), "accounts.admin_user": (),
    "accounts.admin_change_role": (), "accounts.admin_suspend": (),
    "accounts.admin_unsuspend": (),
    "accounts.organisations": ("kind", "page"), "accounts.register_organisation": (),
    "accounts.organisation": (), "accounts.edit_organisation": (), "accounts.members": (),
    "accounts.invite": (), "accounts.accept_invitation": (), "accounts.join": (),
    "accounts.leave": (), "accounts.approve_member": (), "accounts.remove_member": (),
    "accounts.member_role": (), "accounts.verify_organisation": (),
    "accounts.sign_up": (), "accounts.check_mail": (), "accounts.verify_email": (),
    "accounts.sign_in": ("next",), "accounts.sign_out": (), "accounts.forgot_password": (),
    "accounts.reset_password": (), "accounts.terms": (), "accounts.privacy": (),
    # media
    "media.photo": (), "media.thumbnail": (),
    # comments
    "comments.edit": (), "comments.delete": (), "comments.report": (),
    # proposals
    "proposals.index": LIST, "proposals.mine": LIST, "proposals.new": (),
    "proposals.edit": (), "proposals.submit": (), "proposals.withdraw": (),
    "proposals.detail": ("page", "reply"), "proposals.support": (), "proposals.unsupport": (),
    "proposals.comment": ("page",), "proposals.report_proposal": (),
    # projects
    "projects.new_day": (), "projects.edit_day": (), "projects.rsvp_day": (),
    "projects.cancel_day": (), "projects.attendance": (), "projects.new_report": (),
    "projects.project_calendar": (), "projects.person_calendar": (),
    "projects.my_calendar": (), "projects.reset_my_calendar": (), "projects.poster": (),
    "projects.index": PROJECT_LIST, "projects.detail": ("page", "reply"),
    "projects.comment": ("page",), "projects.new": (), "projects.from_proposal": (),
    "projects.edit": (), "projects.set_status": (), "projects.join": (),
    "projects.leave": (), "projects.members": (), "projects.request_partner": (),
    "projects.add_partner_view": (), "projects.decide_partner": (),
    "projects.remove_partner_view": (),
    # api
    "api.plan": (), "api.openapi": (), "api.proposals": LIST, "api.proposal": (),
    "api.projects": PROJECT_LIST, "api.project": (),
    "api.evaluations": ("fiscal_year", "measure", "page", "per_page"),
    "api.indicators": ("measure", "fiscal_year"),
    # notifications
    "notifications.index": ("page",), "notifications.follow": (),
    "notifications.mark_read": (), "notifications.mark_all_read": (),
    "notifications.preferences": (), "notifications.unsubscribe": (),
    # evaluation
    "evaluation.export_csv": ("fiscal_year",), "evaluation.export_xlsx": ("fiscal_year",),
    "evaluation.dashboard": ("fiscal_year",), "evaluation.show": ("page",),
    "evaluation.staff_index": ("fiscal_year",), "evaluation.edit_measure": (),
    "evaluation.indicators": (), "evaluation.edit_indicator": (),
    "evaluation.save_actual": (), "evaluation.edit_record": (), "evaluation.finalise": (),
    "evaluation.amend": (),
    # staff
    "staff.console": ("queue", "page"), "staff.act": ("page",), "staff.suspend": ("queue",),
    "staff.review_queue": LIST, "staff.approve": (), "staff.decide": (),
    "staff.answer": (), "staff.links": (), "staff.unlink": (), "staff.proxy_entry": (),
    "staff.audit_log": (*AUDIT, "page"), "staff.audit_export": AUDIT,
    # 管理者のいない団体: a failed appointment or archive re-renders the queue's page.
    "staff.managerless": ("page",), "staff.appoint_manager": ("page",),
    "staff.archive_organisation": ("page",),
}
