"""Translated names of survey statuses and question kinds, for templates and the API."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from komoro_engage.surveys import permissions

STATUS_LABELS = {"draft": _l("下書き"), "published": _l("回答受付中"), "closed": _l("締め切り")}
KIND_LABELS = {
    "single": _l("単一選択"),
    "multiple": _l("複数選択"),
    "short_text": _l("自由記述（短文）"),
    "long_text": _l("自由記述（長文）"),
    "scale": _l("5段階評価"),
    "matrix": _l("マトリクス（項目ごとの5段階評価）"),
    "ranking": _l("順位づけ"),
}
SCALE_HINT = _l("1＝そう思う　5＝そう思わない")


def register(bp: Blueprint) -> None:
    for name in ("can_manage", "can_answer", "can_see_results"):
        bp.add_app_template_global(getattr(permissions, name), f"survey_{name}")
    bp.add_app_template_filter(lambda value: STATUS_LABELS.get(str(value), value),
                               "survey_status")
    bp.add_app_template_filter(lambda value: KIND_LABELS.get(str(value), value),
                               "question_kind")
