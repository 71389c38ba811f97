"""The query-string parameters each endpoint reads, for tests/security/test_hostile_input.py.

Every endpoint of the URL map has a line (an empty tuple when it reads none): a new
route without one fails ``test_every_endpoint_declares_its_query_parameters``. The
hostile-input test puts every hostile value into each declared name, and fails when a
view reads a name that is not declared here, so the list cannot silently go stale.
"""

from __future__ import annotations

# The public lists' filters (proposals/queries.py, projects/queries.py).
LIST = ("q", "area", "item", "measure", "district", "status", "kind", "sort", "page",
        "per_page", "view")
PROJECT_LIST = tuple(name for name in LIST if name != "kind")
AUDIT = ("action", "actor", "target_type", "since", "until")
# The staff console's 探す (staff/find.py).
FIND = ("q", "kind", "status", "measure", "district", "department", "age", "since", "until",
        "sort", "page")

QUERY_PARAMETERS: dict[str, tuple[str, ...]] = {
    "static": (),
    # core
    "core.healthz": (), "core.readyz": (), "core.metrics_page": (), "core.set_language": (),
    "core.display_settings": ("next",), "core.set_display": (),
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
    "accounts.accessibility": (),
    # media
    "media.photo": (), "media.thumbnail": (),
    # comments
    "comments.edit": (), "comments.delete": (), "comments.report": (),
    # proposals
    "consultations.index": ("page",), "consultations.detail": (),
    "consultations.add_statement": (), "consultations.vote": (),
    "consultations.report_statement": (), "consultations.staff_list": (),
    "consultations.new": (), "consultations.manage": (), "consultations.edit": (),
    "consultations.set_status": (), "consultations.proxy_statement": (),
    "consultations.moderate": (), "consultations.refresh": (),
    "consultations.participants_votes": (), "consultations.statements": (),
    "proposals.index": LIST, "proposals.mine": LIST, "proposals.new": (),
    "proposals.edit": (), "proposals.submit": (), "proposals.withdraw": (),
    "proposals.detail": ("page", "reply"), "proposals.support": (), "proposals.unsupport": (),
    "proposals.comment": ("page",), "proposals.report_proposal": (),
    # budgeting (市民予算)
    "budgeting.index": ("page",), "budgeting.detail": (), "budgeting.vote": (),
    "budgeting.results_page": (), "budgeting.pabulib_file": ("budget",),
    "budgeting.my_vote": (), "budgeting.new_process": (), "budgeting.manage": (),
    "budgeting.edit_process": (), "budgeting.set_district": (), "budgeting.set_phase": (),
    "budgeting.new_project": (), "budgeting.edit_project": (), "budgeting.paper_ballot": (),
    "budgeting.compute": (), "budgeting.publish": (), "api.budgets": ("page",),
    "api.budget_results": (),
    # surveys
    "api.surveys": ("page",), "api.survey": (), "surveys.index": (), "surveys.detail": (),
    "surveys.answer": ("page",),
    "surveys.results_page": (), "surveys.results_csv": (), "surveys.results_by": (),
    "surveys.manage": (), "surveys.new_poll": (), "surveys.vote": (),
    "surveys.new": (), "surveys.edit": (), "surveys.add_section": (),
    "surveys.add_question": (), "surveys.fix_wording": (), "surveys.set_status": (),
    "surveys.paper_entry": (), "surveys.texts": (), "surveys.review_text": (),
    "surveys.results_xlsx": (), "surveys.link_indicator": (), "surveys.confirm_indicator": (),
    "surveys.delete_question": (), "surveys.move_question": (), "surveys.delete_section": (),
    "surveys.move_section": (),
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
    "projects.remove_partner_view": (), "projects.new_message": (),
    "projects.message_list": (), "projects.message_detail": (),
    # api
    "api.plan": (), "api.openapi": (), "api.proposals": LIST, "api.proposal": (),
    "api.projects": PROJECT_LIST, "api.project": (),
    "api.consultations": ("page",), "api.consultation_analysis": (),
    "api.evaluations": ("fiscal_year", "measure", "page", "per_page"),
    "api.indicators": ("measure", "fiscal_year"),
    # notifications
    "notifications.index": ("page",), "notifications.follow": (),
    "notifications.mark_read": (), "notifications.mark_all_read": (),
    "notifications.preferences": (), "notifications.unsubscribe": (),
    "notifications.newsletters": ("page",), "notifications.newsletter": (),
    "notifications.following": ("page",), "notifications.follow_item": (),
    "notifications.unfollow_item": (),
    # evaluation
    "evaluation.export_csv": ("fiscal_year",), "evaluation.export_xlsx": ("fiscal_year",),
    "evaluation.dashboard": ("fiscal_year",), "evaluation.show": ("page",),
    "evaluation.staff_index": ("fiscal_year",), "evaluation.edit_measure": (),
    "evaluation.indicators": (), "evaluation.edit_indicator": (),
    "evaluation.save_actual": (), "evaluation.edit_record": (), "evaluation.finalise": (),
    "evaluation.preview": (), "evaluation.submit": (), "evaluation.approve": (),
    "evaluation.send_back": (),
    "evaluation.vision_targets": (), "evaluation.choose_vision_indicator": (),
    "evaluation.amend": (),
    # the free-text map (search/views.py)
    "search.measure_map": (), "search.year_map": (), "search.rename": (),
    "search.refresh": (), "search.consultation_map": (), "search.survey_map": (),
    # staff
    "staff.console": ("queue", "page"), "staff.find": FIND, "staff.find_export_file": FIND,
    "staff.act": ("page",),
    "staff.link_many": ("page",), "staff.take_back": (),
    "staff.suspend": ("queue",),
    "staff.review_queue": LIST, "staff.approve": (), "staff.decide": (),
    "staff.answer": (), "staff.answer_preview": (), "staff.publish_answer": (),
    "staff.submit_answer": (), "staff.approve_answer": (), "staff.return_answer": (),
    "staff.handling_page": (), "staff.assign": (), "staff.add_proposal_note": (),
    "staff.project_notes": (), "staff.department_list": (), "staff.department_edit": (),
    "staff.department_active": (), "staff.user_departments": (),
    "staff.newsletter_list": (), "staff.newsletter_new": (), "staff.newsletter_page": (),
    "staff.newsletter_edit": (), "staff.newsletter_test": (), "staff.newsletter_check": (),
    "staff.newsletter_send": (),
    "staff.links": (), "staff.unlink": (), "staff.proxy_entry": (),
    "staff.audit_log": (*AUDIT, "page"), "staff.audit_export": AUDIT,
    # 管理者のいない団体: a failed appointment or archive re-renders the queue's page.
    "staff.managerless": ("page",), "staff.appoint_manager": ("page",),
    "staff.archive_organisation": ("page",),
}
