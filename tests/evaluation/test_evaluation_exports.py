"""Staff exports read back: CSV with a UTF-8 BOM, and a workbook with a sheet per measure."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from komoro_engage.accounts.models import Role
from komoro_engage.evaluation.indicators import IndicatorData, add_indicator, record_actual
from komoro_engage.evaluation.services import amend_record, finalise_record, open_record, save_draft
from komoro_engage.extensions import db
from tests.evaluation.helpers import jst, link, measure, rating
from tests.factories import make_user
from tests.proposals.helpers import make_proposal


@pytest.fixture
def staff_client(app, login):
    with app.app_context():
        staff = make_user(Role.STAFF)
        target = measure("1-2")
        indicator = add_indicator(staff, target, IndicatorData(
            name="不満と答えた割合", unit="%", direction="lower",
            baseline_value=Decimal("26.3"), target_value=Decimal("19.5")))
        record_actual(staff, indicator, 2024, Decimal("23.7"), "市民意識調査")
        link(make_proposal(title="=HYPERLINK(\"http://evil\")", published_at=jst(2024, 5, 1)),
             target)
        link(make_proposal(title="駅前に授乳室を", published_at=jst(2024, 7, 1)), target)
        record = open_record(staff, target, 2024)
        save_draft(staff, record, rating("B"), "概ね順調に進んだ。", "相談窓口を広げる。")
        finalise_record(staff, record)
        amend_record(staff, record, rating("C"), "集計を直すとやや遅れ。", "見直す。",
                     "集計誤りのため")
        draft = open_record(staff, measure("3-1"), 2024)
        save_draft(staff, draft, rating("A"), "下書きは出ない", "")
        db.session.commit()
        return login(staff)


def read_csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_records_csv(staff_client):
    rows = read_csv(staff_client.get("/staff/evaluation/export/records.csv?fiscal_year=2024"))
    header, *records = rows
    assert header[:5] == ["年度", "年度（和暦）", "施策コード", "施策名", "評価"]
    assert len(records) == 1  # drafts are not exported
    row = dict(zip(header, records[0], strict=True))
    assert row["施策コード"] == "1-2" and row["評価"] == "C やや遅れ"
    assert row["年度（和暦）"] == "2024年度（令和6年度）" and row["確定日"].startswith("20")
    assert row["評価（Check）"] == "集計を直すとやや遅れ。"
    assert row["提案数"] == "2" and row["提案（賛同募集中）"] == "2"
    assert row["訂正"] == "1" and row["訂正の理由"] == "集計誤りのため"


def test_indicators_and_items_csv(staff_client):
    header, *rows = read_csv(staff_client.get("/staff/evaluation/export/indicators.csv"))
    mine = [dict(zip(header, r, strict=True)) for r in rows if r[1] == "不満と答えた割合"]
    assert mine[0]["実績値"] == "23.7" and mine[0]["達成率(%)"] == "38.2"
    assert mine[0]["出典"] == "市民意識調査" and mine[0]["望ましい方向"] == "低いほど良い"
    header, *items = read_csv(staff_client.get("/staff/evaluation/export/items.csv"))
    titles = [row[4] for row in items]
    # a title that a spreadsheet would run as a formula is quoted
    assert titles == ["'=HYPERLINK(\"http://evil\")", "駅前に授乳室を"]


def test_workbook_has_an_evaluation_sheet_per_measure(staff_client):
    response = staff_client.get("/staff/evaluation/export.xlsx?fiscal_year=2024")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.get_data()))
    assert book.sheetnames == ["一覧", "指標", "施策1-2"]
    sheet = book["施策1-2"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0].startswith("施策1-2")
    labels = {row[0]: row[1] for row in values if row and row[0]}
    assert "2024年度（令和6年度）" in labels
    assert labels["評価"] == "C やや遅れ"
    assert labels["評価（Check）"] == "集計を直すとやや遅れ。"
    assert labels["訂正の理由"] == "集計誤りのため"
    assert labels["提案数"] == 2
    assert labels["達成率の計算"].startswith("達成率 =（実績値 − 基準値）÷（目標値 − 基準値）")
    overview = book["一覧"]
    assert overview["C2"].value == "1-2" and overview["A2"].value == 2024
    assert overview["B2"].value == "2024年度（令和6年度）"
    for each in book.worksheets:
        for row in each.iter_rows():
            for cell in row:
                assert cell.data_type != "f"  # no formulas in an export


def test_indicator_rows_are_labelled_with_numbers_as_numbers(staff_client):
    book = load_workbook(io.BytesIO(
        staff_client.get("/staff/evaluation/export.xlsx?fiscal_year=2024").get_data()))
    sheet = book["施策1-2"]
    rows = [[cell for cell in row] for row in sheet.iter_rows()]
    header_at = next(i for i, row in enumerate(rows) if row[0].value == "指標")
    assert [c.value for c in rows[header_at][:7]] == [
        "指標", "実績値", "単位", "基準値", "目標値", "達成率", "出典"]
    assert rows[header_at][0].font.b and rows[header_at][5].comment is not None
    name, actual, unit, baseline, target, rate, source = rows[header_at + 1][:7]
    assert (name.value, unit.value, source.value) == ("不満と答えた割合", "%", "市民意識調査")
    assert actual.value == pytest.approx(23.7) and baseline.value == pytest.approx(26.3)
    assert target.value == pytest.approx(19.5)
    # (26.3 − 23.7) / (26.3 − 19.5) = 38.2 %: a number formatted as a percentage, not text
    assert rate.value == pytest.approx(0.382, abs=1e-3) and rate.number_format == "0.0%"

    indicators = book["指標"]
    header = [c.value for c in indicators[1]]
    row = dict(zip(header, [c for c in indicators[2]], strict=False))
    assert row["達成率"].number_format == "0.0%" and isinstance(row["実績値"].value, float)


def test_workbook_is_ready_to_print(staff_client):
    book = load_workbook(io.BytesIO(
        staff_client.get("/staff/evaluation/export.xlsx").get_data()))
    overview = book["一覧"]
    assert overview.freeze_panes == "E2" and overview.auto_filter.ref
    assert int(overview.page_setup.paperSize) == int(overview.PAPERSIZE_A4)
    assert overview.page_setup.orientation == "landscape"
    assert overview.sheet_properties.pageSetUpPr.fitToPage
    assert overview.page_setup.fitToWidth == 1 and overview.page_setup.fitToHeight == 0
    assert overview.print_title_rows == "$1:$1"
    assert all(cell.font.b for cell in overview[1] if cell.value)
    assert overview.column_dimensions["F"].width >= 40  # 評価（Check）, wrapped
    assert overview["F2"].alignment.wrap_text
    finalised = overview.cell(2, [c.value for c in overview[1]].index("確定日") + 1)
    assert finalised.is_date and finalised.number_format == "yyyy-mm-dd"


def test_items_csv_writes_kinds_and_statuses_in_the_readers_language(staff_client):
    header, *items = read_csv(staff_client.get("/staff/evaluation/export/items.csv"))
    assert header == ["年度", "施策コード", "種類", "ID", "タイトル", "状態"]
    assert {row[2] for row in items} == {"提案"} and {row[5] for row in items} == {"賛同募集中"}
    staff_client.set_cookie("lang", "en")
    header, *items = read_csv(staff_client.get("/staff/evaluation/export/items.csv"))
    assert header[:3] == ["Fiscal year", "Measure code", "Type"]
    assert {row[2] for row in items} == {"Proposals"} and {row[5] for row in items} == {
        "Open for support"}


def test_pages_explain_how_achievement_is_computed(client, staff_client, app):
    from komoro_engage.evaluation.models import EvaluationRecord
    with app.app_context():
        record_id = db.session.query(EvaluationRecord.id).filter(
            EvaluationRecord.fiscal_year == 2024,
            EvaluationRecord.finalised_at.is_not(None)).scalar()
    page = client.get(f"/evaluations/{record_id}").get_data(as_text=True)
    assert "達成率 =（実績値 − 基準値）÷（目標値 − 基準値）× 100" in page
