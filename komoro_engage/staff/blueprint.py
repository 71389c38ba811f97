"""The staff console's blueprint: every URL it serves, listed here, and what its
templates use (permission predicates, labels, time helpers).

The console is screens and queues on top of the features: the proposal lifecycle
(komoro_engage/proposals/lifecycle), accounts and the audit log (core/audit.py).
"""

from __future__ import annotations

import functools
import json

from flask import g, url_for
from flask_babel import gettext as _

from komoro_engage.core.i18n import language_key
from komoro_engage.core.urls import blueprint
from komoro_engage.staff import forms, newsletter_forms, permissions, queries, shown
from komoro_engage.staff.views import (
    answers,
    audit,
    console,
    decisions,
    departments,
    find,
    handling,
    newsletters,
    organisations,
    proposal,
)

bp = blueprint("staff", __name__,
               views=(answers, audit, console, decisions, departments, find, handling, newsletters,
                      organisations, proposal),
               urls="""
    # Queues and the actions on their items
    GET        /staff                                                                      console.console
    POST       /staff/actions                                                              console.act
    POST       /staff/actions/undo                                                         console.take_back
    POST       /staff/links/bulk                                                           console.link_many
    GET POST   /staff/users/<int:user_id>/suspend                                          console.suspend
    # 探す: any proposal or project, in any status
    GET        /staff/find                                                                 find.find
    GET        /staff/find.<any('xlsx', 'csv'):extension>                                  find.find_export_file
    # Decisions from a proposal's page, and the plain review queue
    GET        /proposals/review                                                           decisions.review_queue
    POST       /proposals/<int:proposal_id>/approve                                        decisions.approve
    GET POST   /proposals/<int:proposal_id>/<any('send-back', 'hide', 'restore'):action>   decisions.decide
    # One proposal: the city's answer (a draft, its preview, publication or approval)
    GET POST   /staff/proposals/<int:proposal_id>/answer                                   answers.answer
    GET        /staff/proposals/<int:proposal_id>/answer/preview                           answers.answer_preview
    POST       /staff/proposals/<int:proposal_id>/answer/publish                           answers.publish_answer
    POST       /staff/proposals/<int:proposal_id>/answer/submit                            answers.submit_answer
    POST       /staff/proposals/<int:proposal_id>/answer/approve                           answers.approve_answer
    POST       /staff/proposals/<int:proposal_id>/answer/return                            answers.return_answer
    # 対応: the department a proposal is routed to, and internal notes (staff only)
    GET        /staff/proposals/<int:proposal_id>/handling                                 handling.handling_page
    POST       /staff/proposals/<int:proposal_id>/assign                                   handling.assign
    POST       /staff/proposals/<int:proposal_id>/notes                                    handling.add_proposal_note
    GET POST   /staff/projects/<int:project_id>/notes                                      handling.project_notes
    # Links to measures; proxy entry
    GET POST   /staff/proposals/<int:proposal_id>/links                                    proposal.links
    POST       /staff/links/<int:link_id>/unlink                                           proposal.unlink
    GET POST   /staff/proposals/new                                                        proposal.proxy_entry
    # 管理者のいない団体: organisations whose last manager left
    GET        /staff/organisations/managerless                                            organisations.managerless
    POST       /staff/organisations/<int:organisation_id>/appoint                          organisations.appoint_manager
    POST       /staff/organisations/<int:organisation_id>/archive                          organisations.archive_organisation
    # 担当課 (admins): departments and who belongs to them
    GET POST   /admin/departments                                                          departments.department_list
    GET POST   /admin/departments/<int:department_id>                                      departments.department_edit
    POST       /admin/departments/<int:department_id>/active                               departments.department_active
    GET POST   /admin/users/<int:user_id>/departments                                      departments.user_departments
    # お知らせメール: drafts, preview, a test to oneself, the count, sending
    GET        /staff/newsletters                                                          newsletters.newsletter_list
    GET POST   /staff/newsletters/new                                                      newsletters.newsletter_new
    GET        /staff/newsletters/<int:newsletter_id>                                      newsletters.newsletter_page
    GET POST   /staff/newsletters/<int:newsletter_id>/edit                                 newsletters.newsletter_edit
    POST       /staff/newsletters/<int:newsletter_id>/test                                 newsletters.newsletter_test
    GET        /staff/newsletters/<int:newsletter_id>/check                                newsletters.newsletter_check
    POST       /staff/newsletters/<int:newsletter_id>/send                                 newsletters.newsletter_send
    # The audit log
    GET        /admin/audit                                                                audit.audit_log
    GET        /admin/audit.csv                                                            audit.audit_export
""")

for _name in ("can_use_console", "can_suspend", "can_export_audit", "can_manage_departments",
              "can_handle", "can_send_newsletters"):
    bp.add_app_template_global(getattr(permissions, _name), _name)
bp.add_app_template_filter(
    lambda value: json.dumps(value, ensure_ascii=False, sort_keys=True), "audit_json")
bp.add_app_template_filter(queries.queue_count_text, "queue_count")  # "99+" past the cap


# A waiting item's age and its deadline, as the handling page shows them.
bp.add_app_template_global(shown.days_since, "days_since")
bp.add_app_template_global(shown.past_due, "past_due")


@bp.app_context_processor
def _labels() -> dict:
    return {"staff_labels": forms, "staff_newsletter_labels": newsletter_forms}


@bp.app_template_global()
def queue_labels() -> dict[str, str]:
    """The queues' names in the reader's language (the tabs, the heading), translated once
    per language and worker: ten lazy labels translated on every console page were a
    twentieth of its calls once its cards were kept (issue 16)."""
    return _queue_labels(language_key())


@functools.lru_cache(maxsize=16)
def _queue_labels(_language: str) -> dict[str, str]:
    """The language is only the key's: ``str`` translates through the request."""
    return {name: str(label) for name, label in forms.QUEUE_LABELS.items()}


@bp.app_template_global()
def item_words() -> dict:
    """The words of the queue cards (staff/_queue_card.html), made once per request (kept
    on ``g``) for the cards not kept: the inline form's action URL, the reason's label,
    the buttons' labels and each line's words. Twenty cards built them twenty times."""
    if "staff_item_words" not in g:
        g.staff_item_words = {
            "act_url": url_for("staff.act"),
            "reason": _("理由（差し戻し・非表示・再表示のとき。非表示の理由は公開されます）"),
            "pick": _("選択"),
            "actions": {name: str(label) for name, label in forms.ACTION_LABELS.items()},
            # A proposal card's facts (staff/cards.py)
            "place": _("場所"), "citywide": _("市全域"), "photos": _("写真 %(n)d枚"),
            "supports": _("賛同 %(n)s"),
            "history": _("投稿者のこれまで: 提案 %(proposals)d件・投稿への通報 %(reports)d件"),
            # The cards' own lines (staff/console.html), with their figures put in by the
            # template's ``format``: a queue of twenty asked for a hundred translations.
            "sent": _("送信 %(time)s（%(days)d日前）"), "unknown": _("（不明）"),
            "overdue": _("期限切れ（%(days)d日超過）"), "due": _("期限 %(time)s"),
            "no_due": _("期限なし"), "answer": _("回答する"), "link": _("施策に紐付ける"),
            "review_started": _("検討開始 %(time)s"), "deadline": _("回答期限 %(time)s"),
            "proposal": _("提案"), "statement": _("広聴の意見"), "comment": _("コメント"),
            "hidden": _("非表示中"), "reports": _("通報 %(n)d件"),
            "first_reported": _("最初の通報 %(days)d日前"), "author": _("投稿者"),
            # A report's reasons: lazy labels, each translated again wherever shown
            "report_reasons": {name: str(label)
                               for name, label in forms.REPORT_REASON_LABELS.items()},
            "suspend": _("この投稿者を利用停止にする"),
        }
    return g.staff_item_words
