"""Translated names of consultation and statement statuses and votes, for templates."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from komoro_engage.consultations import permissions
from komoro_engage.core.clock import JAPAN, as_utc

STATUS_LABELS = {"draft": _l("準備中"), "open": _l("受付中"), "closed": _l("終了")}
STATEMENT_LABELS = {"pending": _l("確認待ち"), "published": _l("公開"), "hidden": _l("非表示")}
VOTE_LABELS = {1: _l("賛成"), -1: _l("反対"), 0: _l("パス")}
VOTE_NAMES = {1: "agree", -1: "disagree", 0: "pass"}


def local_date(moment: datetime) -> str:
    """The Japan-time day of a stored moment: 2026-12-03."""
    return as_utc(moment).astimezone(JAPAN).strftime("%Y-%m-%d")


def local_end_date(moment: datetime) -> str:
    """The last day a period ending (exclusive) at ``moment`` includes."""
    return local_date(as_utc(moment) - timedelta(seconds=1))


def register(bp: Blueprint) -> None:
    for name in ("can_manage", "can_take_part"):
        bp.add_app_template_global(getattr(permissions, name), f"consultation_{name}")
    bp.add_app_template_filter(lambda value: STATUS_LABELS.get(str(value), value),
                               "consultation_status")
    bp.add_app_template_filter(lambda value: STATEMENT_LABELS.get(str(value), value),
                               "statement_status")
    bp.add_app_template_filter(lambda value: VOTE_LABELS.get(value, value), "vote_label")
    bp.add_app_template_filter(local_date, "local_date")
    bp.add_app_template_filter(local_end_date, "local_end_date")
    bp.add_app_template_filter(lambda value: VOTE_NAMES.get(value, ""), "vote_name")
