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
    assert header[:4] == ["年度", "施策コード", "施策名", "評価"]
    assert len(records) == 1  # drafts are not exported
    row = dict(zip(header, records[0], strict=True))
    assert row["施策コード"] == "1-2" and row["評価"] == "C やや遅れ"
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
    assert book.sheetnames == ["一覧", "施策1-2"]
    sheet = book["施策1-2"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0].startswith("施策1-2")
    labels = {row[0]: row[1] for row in values if row and row[0]}
    assert labels["評価"] == "C やや遅れ"
    assert labels["評価（Check）"] == "集計を直すとやや遅れ。"
    assert labels["訂正の理由"] == "集計誤りのため"
    assert labels["提案数"] == 2
    assert labels["不満と答えた割合"] == pytest.approx(23.7)
    overview = book["一覧"]
    assert overview["B2"].value == "1-2" and overview["A2"].value == 2024
    for row in overview.iter_rows():
        for cell in row:
            assert cell.data_type != "f"  # no formulas in an export
