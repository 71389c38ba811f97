"""Translated names of project statuses and roles, for templates and the API."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from komoro_engage.core.labels import register_labels
from komoro_engage.projects import permissions

STATUS_LABELS = {
    "planning": _l("準備中"),
    "recruiting": _l("参加者募集中"),
    "active": _l("実施中"),
    "completed": _l("完了"),
    "cancelled": _l("中止"),
}
PARTNER_ROLE_LABELS = {"host": _l("主催"), "co_host": _l("共催"), "cooperation": _l("協力"),
                       "city_department": _l("市担当課")}
MEMBER_ROLE_LABELS = {"participant": _l("参加者"), "volunteer": _l("ボランティア")}
# The buttons organisers see for each lifecycle action.
ACTION_LABELS = {"open_recruiting": _l("参加者の募集を始める"), "start": _l("実施中にする"),
                 "complete": _l("完了にする"), "cancel": _l("中止にする")}
AUDIENCE_LABELS = {"members": _l("参加者"), "waiting": _l("キャンセル待ちの人"),
                   "partners": _l("協力団体")}
SORT_LABELS = {"new": _l("新着順"), "active": _l("最近動きのあった順")}


def register(bp: Blueprint) -> None:
    register_labels("project_status", STATUS_LABELS)  # notifications name the new status
    for name in ("can_manage", "can_join", "can_report", "can_change_status",
                 "can_request_partnership", "can_create_from"):
        bp.add_app_template_global(getattr(permissions, name), f"project_{name}")
    bp.add_app_template_filter(lambda value: STATUS_LABELS.get(str(value), value),
                               "project_status")
    bp.add_app_template_filter(lambda value: PARTNER_ROLE_LABELS.get(str(value), value),
                               "partner_role")
    bp.add_app_template_filter(lambda value: MEMBER_ROLE_LABELS.get(str(value), value),
                               "member_role")
    bp.add_app_template_filter(
        lambda values: "・".join(str(AUDIENCE_LABELS.get(str(v), v)) for v in values),
        "audiences")
