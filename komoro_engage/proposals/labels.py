"""Translated names of statuses and kinds, for templates and the API."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from komoro_engage.core.labels import register_labels
from komoro_engage.proposals import permissions
from komoro_engage.proposals.lifecycle.models import AnswerStatus, ProxyOccasion

STATUS_LABELS = {
    "draft": _l("下書き"),
    "pending": _l("審査待ち"),
    "published": _l("賛同募集中"),
    "under_review": _l("検討中"),
    "adopted": _l("採用"),
    "not_adopted": _l("見送り"),
    "withdrawn": _l("取り下げ"),
    "hidden": _l("非表示"),
}
KIND_LABELS = {"idea": _l("アイデア"), "collaboration": _l("協働提案")}
SORT_LABELS = {"new": _l("新着順"), "supported": _l("賛同の多い順"),
               "discussed": _l("コメントの多い順"), "active": _l("最近動きのあった順")}
ANSWER_LABELS = {
    AnswerStatus.UNDER_REVIEW.value: _l("検討中"), AnswerStatus.ADOPTED.value: _l("採用"),
    AnswerStatus.NOT_ADOPTED.value: _l("見送り"),
}
# Steps of the city's answer in the timeline; all but the publication are for staff only.
ANSWER_STEP_LABELS = {
    "answer_draft_saved": _l("回答の下書きを保存"), "answer_submitted": _l("回答を決裁に回付"),
    "answer_returned": _l("回答を差し戻し"), "answer_approved": _l("回答を承認"),
    "answer_published": _l("市の回答を公開"),
    # Routing to a department (staff/handling.py): the department itself shows only on
    # the staff's handling page.
    "assigned": _l("担当課に割り当て"), "reassigned": _l("担当課を変更"),
}
DRAFT_STATE_LABELS = {"draft": _l("下書き"), "submitted": _l("決裁待ち"),
                      "returned": _l("差し戻し")}
OCCASION_LABELS = {
    ProxyOccasion.PAPER.value: _l("紙の提案用紙"),
    ProxyOccasion.DISTRICT_MEETING.value: _l("地区懇談会"),
    ProxyOccasion.COUNTER.value: _l("窓口"), ProxyOccasion.OTHER.value: _l("その他"),
}


def register(bp: Blueprint) -> None:
    register_labels("proposal_status", STATUS_LABELS)  # notifications name the new status
    for name in ("can_create", "can_edit", "can_submit", "can_withdraw", "can_moderate",
                 "can_hide", "can_restore", "can_support", "can_comment", "can_answer",
                 "can_link"):
        bp.add_app_template_global(getattr(permissions, name), name)
    bp.add_app_template_filter(lambda value: STATUS_LABELS.get(str(value), value),
                               "proposal_status")
    bp.add_app_template_filter(lambda value: KIND_LABELS.get(str(value), value), "proposal_kind")
    bp.add_app_template_filter(lambda value: ANSWER_LABELS.get(str(value), value),
                               "answer_status")
    bp.add_app_template_filter(lambda value: OCCASION_LABELS.get(str(value), value),
                               "proxy_occasion")
    bp.add_app_template_filter(lambda value: ANSWER_STEP_LABELS.get(str(value), value),
                               "answer_step")
    bp.add_app_template_filter(lambda value: DRAFT_STATE_LABELS.get(str(value), value),
                               "answer_draft_state")
