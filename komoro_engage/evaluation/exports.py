"""Staff exports: rows for the CSV downloads (written by core/csv_export.py) and a workbook.

Rows come from finalised records (frozen figures) and the plan's indicators.
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from komoro_engage.evaluation.participation import FIGURE_KEYS, proposal_statuses

FIGURE_LABELS = {
    "proposals": "提案数", "supports": "賛同数", "comments": "コメント数",
    "projects_active": "実施中のプロジェクト", "projects_completed": "完了したプロジェクト",
    "participants": "参加者数", "activity_days": "活動日数", "volunteer_hours": "ボランティア時間",
    "organisations": "関わった団体数",
}
STATUS_LABELS = {"published": "賛同募集中", "under_review": "検討中", "adopted": "採用",
                 "not_adopted": "見送り"}


def _rating(level) -> str:
    return f"{level.code} {level.label}" if level else ""


def record_rows(records) -> list[list]:
    """One row per finalised record, with the amendment in force if any."""
    statuses = proposal_statuses()
    header = ["年度", "施策コード", "施策名", "評価", "評価（Check）", "今後の方向性（Act）",
              *[FIGURE_LABELS[k] for k in FIGURE_KEYS],
              *[f"提案（{STATUS_LABELS[s]}）" for s in statuses],
              "確定日", "訂正", "訂正の理由"]
    rows = [header]
    for record in records:
        latest = record.latest_amendment
        shown = latest or record
        figures = record.figures or {}
        rows.append([
            record.fiscal_year, record.measure.code, record.measure.title,
            _rating(shown.rating), shown.check_text, shown.act_text,
            *[figures.get(k, 0) for k in FIGURE_KEYS],
            *[figures.get("proposals_by_status", {}).get(s, 0) for s in statuses],
            record.finalised_at.date().isoformat() if record.finalised_at else "",
            len(record.amendments), latest.reason if latest else ""])
    return rows


def indicator_rows(measures) -> list[list]:
    """Every indicator with every yearly actual and its achievement rate."""
    rows = [["施策コード", "指標名", "単位", "望ましい方向", "基準値", "基準年度", "目標値",
             "目標年度", "年度", "実績値", "達成率(%)", "出典", "備考"]]
    for measure in measures:
        for indicator in measure.indicators:
            head = [measure.code, indicator.name, indicator.unit,
                    "低いほど良い" if indicator.direction == "lower" else "高いほど良い",
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
    rows = [["年度", "施策コード", "種類", "ID", "タイトル", "状態"]]
    for record in records:
        for item in record.items or []:
            rows.append([record.fiscal_year, record.measure.code, item["kind"], item["id"],
                         item["title"], STATUS_LABELS.get(item["status"], item["status"])])
    return rows


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"-?\d+(\.\d+)?", text))


def _sheet_title(measure) -> str:
    return re.sub(r"[\\/*?:\[\]]", "", f"施策{measure.code}")[:31]


def to_workbook(records, measures) -> bytes:
    """An evaluation sheet per measure with a record, plus an overview sheet."""
    book = Workbook()
    overview = book.active
    overview.title = "一覧"
    for row in record_rows(records):
        _append(overview, row)
    by_measure: dict[int, list] = {}
    for record in records:
        by_measure.setdefault(record.measure_id, []).append(record)
    bold = Font(bold=True)
    for measure in measures:
        mine = by_measure.get(measure.id)
        if not mine:
            continue
        sheet = book.create_sheet(_sheet_title(measure))
        _append(sheet, [f"施策{measure.code} {measure.title}"])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.column_dimensions["A"].width = 24
        for record in mine:
            shown = record.latest_amendment or record
            sheet.append([])
            sheet.append([f"{record.fiscal_year}年度"])
            sheet.cell(sheet.max_row, 1).font = bold
            _append(sheet, ["評価", _rating(shown.rating)])
            for label, text in (("評価（Check）", shown.check_text),
                                ("今後の方向性（Act）", shown.act_text)):
                _append(sheet, [label, text])
                sheet.cell(sheet.max_row, 2).alignment = Alignment(wrap_text=True)
            if record.amendments:
                _append(sheet, ["訂正の理由", record.latest_amendment.reason])
            for key in FIGURE_KEYS:
                _append(sheet, [FIGURE_LABELS[key], (record.figures or {}).get(key, 0)])
            for row in record.indicators or []:
                _append(sheet, [row["name"], row["actual"], row["unit"],
                              f"達成率 {row['achievement']}%" if row["achievement"] else "",
                              row["source"]])
        sheet.column_dimensions["B"].width = 60
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _append(sheet, row: list) -> None:
    """Append a row; text that looks like a formula stays text (openpyxl would run it)."""
    sheet.append([_excel(value) for value in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def _excel(value):
    """Numbers stay numbers in Excel; everything else is text."""
    if value is None or isinstance(value, int | float):
        return value
    if hasattr(value, "normalize"):
        return float(value)
    text = str(value)
    return float(text) if _is_number(text) else text
