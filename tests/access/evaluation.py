"""Access entries of evaluation: the public dashboard and records, staff management and exports.

``build`` gives measure 1-2 a finalised record for FY2024, a draft for FY2025, a
record staff submitted for approval for FY2023 (whose text no visitor may see), and an
indicator; POSTs send valid forms, so a staff success is a redirect.
"""

from decimal import Decimal

from sqlalchemy import select

from komoro_engage.accounts.models import User
from komoro_engage.evaluation.indicators import IndicatorData, add_indicator
from komoro_engage.evaluation.services import (
    finalise_record,
    open_record,
    save_draft,
    submit_record,
)
from komoro_engage.extensions import db
from komoro_engage.plan.models import VisionTarget
from tests.access import Access, World, everyone, expect, staff_only
from tests.evaluation.helpers import measure, rating


def build(world: World) -> None:
    staff = db.session.get(User, world.users["staff"])
    target = measure("1-2")
    final = open_record(staff, target, 2024)
    save_draft(staff, final, rating("B"), "概ね順調。", "継続する。")
    finalise_record(staff, final)
    draft = open_record(staff, target, 2025)
    save_draft(staff, draft, rating("A"), "順調。", "")  # complete: it can be finalised
    waiting = open_record(staff, target, 2023)
    save_draft(staff, waiting, rating("B"), "アクセス表の決裁待ちの評価です。", "")
    submit_record(staff, waiting, waiting.version)
    world.extra["private"]["staff"].append("アクセス表の決裁待ちの評価です。")
    indicator = add_indicator(staff, target, IndicatorData(
        name="相談件数", unit="件", direction="higher", target_value=Decimal("10")))
    world.extra.update(eval_final=final.id, eval_draft=draft.id, eval_measure=target.id,
                       eval_indicator=indicator.id, eval_rating=rating("A").id,
                       vision_target=db.session.scalars(select(VisionTarget.id)).first())


def _measure(world):
    return {"measure_id": world.extra["eval_measure"]}


def _draft_year(world):
    return {**_measure(world), "fiscal_year": 2025}


def _waiting_year(world):
    return {**_measure(world), "fiscal_year": 2023}


def _final_year(world):
    return {**_measure(world), "fiscal_year": 2024}


def _indicator(world):
    return {"indicator_id": world.extra["eval_indicator"]}


def _record_form(world):
    return {"rating": str(world.extra["eval_rating"]), "check_text": "順調です。",
            "act_text": "続けます。"}


INDICATOR_FORM = {"name": "参加者数", "unit": "人", "direction": "higher", "target_value": "50"}

ENTRIES = [
    Access("evaluation.dashboard", "GET", everyone(200)),
    Access("evaluation.show", "GET", everyone(200),
           args=lambda world: {"record_id": world.extra["eval_final"]}),
    Access("evaluation.staff_index", "GET", staff_only(200)),
    Access("evaluation.edit_measure", "GET", staff_only(200), args=_measure),
    Access("evaluation.edit_measure", "POST", staff_only(302), args=_measure,
           data={"title": "子育て環境を整えます", "description": "説明"}),
    Access("evaluation.indicators", "GET", staff_only(200), args=_measure),
    Access("evaluation.indicators", "POST", staff_only(302), args=_measure, data=INDICATOR_FORM),
    Access("evaluation.edit_indicator", "GET", staff_only(200), args=_indicator),
    Access("evaluation.edit_indicator", "POST", staff_only(302), args=_indicator,
           data=INDICATOR_FORM),
    Access("evaluation.save_actual", "POST", staff_only(302), args=_indicator,
           data=lambda world: {f"a{world.extra['eval_indicator']}-{key}": value for key, value
                               in {"fiscal_year": "2025", "value": "7", "source": "集計"}.items()}),
    Access("evaluation.edit_record", "GET", staff_only(200), args=_draft_year),
    Access("evaluation.edit_record", "POST", staff_only(302), args=_draft_year,
           data=_record_form),
    Access("evaluation.preview", "GET", staff_only(200), args=_draft_year),
    Access("evaluation.finalise", "POST", staff_only(302), args=_draft_year,
           data={"version": "2", "confirm": "y"}),
    Access("evaluation.submit", "POST", staff_only(302), args=_draft_year,
           data={"version": "2"}),
    # Staff saved and submitted the FY2023 record: they may not approve or return it.
    Access("evaluation.approve", "POST", expect(302, 403, 403, 403, 403, 302), args=_waiting_year,
           data={"version": "2", "confirm": "y"}),
    Access("evaluation.send_back", "POST", expect(302, 403, 403, 403, 403, 302),
           args=_waiting_year, data={"version": "2", "reason": "数値の出典を加えてください"}),
    Access("evaluation.amend", "POST", staff_only(302), args=_final_year,
           data=lambda world: {**_record_form(world), "reason": "誤記の訂正"}),
    Access("evaluation.vision_targets", "GET", staff_only(200)),
    Access("evaluation.choose_vision_indicator", "POST", staff_only(302),
           args=lambda world: {"target_id": world.extra["vision_target"]},
           data=lambda world: {f"t{world.extra['vision_target']}-indicator":
                               str(world.extra["eval_indicator"])}),
    Access("evaluation.export_csv", "GET", staff_only(200), args={"kind": "records"}),
    Access("evaluation.export_xlsx", "GET", staff_only(200)),
    Access("api.evaluations", "GET", everyone(200)),
    Access("api.indicators", "GET", everyone(200)),
]
