"""Translated names of phases, ballot kinds, rules, feasibility and sources."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from komoro_engage.budgeting import permissions

PHASE_LABELS = {"ideas": _l("案の募集"), "review": _l("審査"), "voting": _l("投票"),
                "results": _l("結果")}
KIND_LABELS = {"approval": _l("承認投票（よいと思う事業を選ぶ）"),
               "knapsack": _l("予算内で選ぶ（選んだ事業の合計が予算以内）"),
               "points": _l("ポイント投票（ポイントを配る）")}
RULE_LABELS = {"mes": _l("均等割方式（Method of Equal Shares）"), "greedy": _l("得票順方式")}
FEASIBILITY_LABELS = {"pending": _l("審査中"), "feasible": _l("実施可能"),
                      "infeasible": _l("実施困難")}
SOURCE_LABELS = {"staff": _l("職員が登録"), "proposal": _l("採用された提案"),
                 "project": _l("協働プロジェクト")}
INELIGIBLE_LABELS = {
    "sign_in": _l("投票するにはログインしてください。"),
    "age": _l("この市民予算に投票できる年代ではありません（登録情報の年代で判断します）。"),
    "district": _l("この市民予算は、地区予算のある地区の住民が投票できます"
                   "（登録情報の地区で判断します）。"),
}


def register(bp: Blueprint) -> None:
    for name, mapping in (("budget_phase", PHASE_LABELS), ("budget_kind", KIND_LABELS),
                          ("budget_rule", RULE_LABELS), ("budget_feasibility", FEASIBILITY_LABELS),
                          ("budget_source", SOURCE_LABELS)):
        bp.add_app_template_filter(
            lambda value, mapping=mapping: mapping.get(str(value), value), name)
    bp.add_app_template_filter(lambda value: f"{round(value or 0):,}", "budget_yen")
    bp.add_app_template_global(permissions.can_manage, "budget_can_manage")
