"""Staff exports: rows for the CSV downloads (written by core/csv_export.py) and the workbook
(evaluation/workbook.py).

Rows come from finalised records (frozen figures) and the plan's indicators. Headers,
kinds and statuses are words in the reader's language, never codes (issue 23): a sheet
pasted into the city's report reads as it is. Numbers stay numbers.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from komoro_engage.core.i18n import current_language
from komoro_engage.evaluation.participation import FIGURE_KEYS, proposal_statuses
from komoro_engage.plan.fiscal import format_fiscal_year

FIGURE_LABELS = {
    "proposals": _l("提案数"), "supports": _l("賛同数"), "comments": _l("コメント数"),
    "projects_active": _l("実施中のプロジェクト"), "projects_completed": _l("完了したプロジェクト"),
    "participants": _l("参加者数"), "activity_days": _l("活動日数"),
    "volunteer_hours": _l("ボランティア時間"), "organisations": _l("関わった団体数"),
    "budget_ballots": _l("市民予算の投票数"),
    "budget_projects_funded": _l("市民予算で採択された事業"),
}
# What a record's items are and where they stand (its page says the same, evaluation/_macros).
ITEM_KIND_LABELS = {"proposal": _l("提案"), "project": _l("プロジェクト")}
ITEM_STATUS_LABELS = {
    "published": _l("賛同募集中"), "under_review": _l("検討中"), "adopted": _l("採用"),
    "not_adopted": _l("見送り"), "planning": _l("準備中"), "recruiting": _l("募集中"),
    "active": _l("実施中"), "completed": _l("完了"), "cancelled": _l("中止"),
}


def item_status_label(status: str) -> str:
    return str(ITEM_STATUS_LABELS.get(status, status))


def fiscal_year_words(fiscal_year: int) -> str:
    """2024年度（令和6年度） / FY2024 (Reiwa 6)."""
    return format_fiscal_year(fiscal_year, current_language())


def rate_fraction(rate) -> float | None:
    """A stored rate in percent (77.5) as the fraction a percent-formatted cell holds (0.775)."""
    return None if rate is None or rate == "" else float(Decimal(str(rate)) / 100)


def _rating(level) -> str:
    return f"{level.code} {level.label}" if level else ""


def record_rows(records) -> list[list]:
    """One row per finalised record, with the amendment in force if any."""
    statuses = proposal_statuses()
    header = [_("年度"), _("年度（和暦）"), _("施策コード"), _("施策名"), _("評価"),
              _("評価（Check）"), _("今後の方向性（Act）"),
              *[str(FIGURE_LABELS[k]) for k in FIGURE_KEYS],
              *[_("提案（%(status)s）", status=item_status_label(s)) for s in statuses],
              _("確定日"), _("訂正"), _("訂正の理由")]
    rows = [header]
    for record in records:
        latest = record.latest_amendment
        shown = latest or record
        figures = record.figures or {}
        rows.append([
            record.fiscal_year, fiscal_year_words(record.fiscal_year), record.measure.code,
            record.measure.title, _rating(shown.rating), shown.check_text, shown.act_text,
            *[figures.get(k, 0) for k in FIGURE_KEYS],
            *[figures.get("proposals_by_status", {}).get(s, 0) for s in statuses],
            record.finalised_at.date() if record.finalised_at else "",
            len(record.amendments), latest.reason if latest else ""])
    return rows


def indicator_header() -> list[str]:
    return [_("施策コード"), _("指標名"), _("単位"), _("望ましい方向"), _("基準値"), _("基準年度"),
            _("目標値"), _("目標年度"), _("年度"), _("実績値"), _("達成率(%)"), _("出典"),
            _("備考")]


def indicator_rows(measures) -> list[list]:
    """Every indicator with every yearly actual and its achievement rate (in percent)."""
    rows = [indicator_header()]
    for measure in measures:
        for indicator in measure.indicators:
            head = [measure.code, indicator.name, indicator.unit,
                    _("低いほど良い") if indicator.direction == "lower" else _("高いほど良い"),
                    indicator.baseline_value, indicator.baseline_fy, indicator.target_value,
                    indicator.target_fy]
            for actual in indicator.actuals or [None]:
                rate = indicator.achievement(actual) if actual else None
                rows.append([*head, actual.fiscal_year if actual else "",
                             actual.value if actual else "", rate if rate is not None else "",
                             actual.source if actual else "", actual.note if actual else ""])
    return rows


def item_rows(records) -> list[list]:
    """The frozen item list of each finalised record (proposals, projects …)."""
    rows = [[_("年度"), _("施策コード"), _("種類"), _("ID"), _("タイトル"), _("状態")]]
    for record in records:
        for item in record.items or []:
            rows.append([record.fiscal_year, record.measure.code,
                         str(ITEM_KIND_LABELS.get(item["kind"], item["kind"])), item["id"],
                         item["title"], item_status_label(item["status"])])
    return rows
