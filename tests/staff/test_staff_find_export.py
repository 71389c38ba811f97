"""探す's downloads: the page's filters and order, words in the reader's language, a
report-ready workbook, and the same few statements whatever the size."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from komoro_engage.accounts.models import Role
from komoro_engage.core import clock
from komoro_engage.extensions import db
from komoro_engage.plan.departments import Department
from komoro_engage.plan.models import District, Measure
from komoro_engage.projects.models import ProjectReview, ProjectStatus
from komoro_engage.proposals.lifecycle.links import link_measure
from komoro_engage.proposals.models import ProposalStatus
from komoro_engage.staff import find_export
from komoro_engage.staff.handling import assign_proposal
from tests.factories import make_user
from tests.projects.helpers import make_project
from tests.proposals.helpers import make_proposal
from tests.staff.test_staff_find import grow

XLSX = "/staff/find.xlsx"
CSV = "/staff/find.csv"


@pytest.fixture
def world(app):
    with app.app_context():
        district = db.session.scalars(select(District).order_by(District.id)).first()
        measure = db.session.scalars(select(Measure).order_by(Measure.sort_key)).first()
        staff = make_user(role=Role.STAFF)
        author = make_user()
        pending = make_proposal(author, ProposalStatus.PENDING, title="除雪の審査待ち提案",
                                district_id=district.id)
        link_measure(staff, pending, measure, 2026, "関連")
        department = db.session.scalars(select(Department).order_by(Department.sort_order)).first()
        published = make_proposal(author, title="=HYPERLINK(\"x\") 除雪の公開提案")
        assign_proposal(staff, published, department, due_at=datetime(2027, 1, 15, 3, tzinfo=UTC))
        make_proposal(author, title="公園のベンチ")
        make_project(author, ProjectStatus.PLANNING, review=ProjectReview.PENDING,
                     title="除雪ボランティアの会", measure_ids=[measure.id])
        db.session.commit()
        return {"staff": staff, "resident": author, "code": measure.code,
                "district": district.name, "pending": pending.id, "published": published.id,
                "department": department.name}


def _sheet(response):
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert "no-store" in response.headers["Cache-Control"]
    return load_workbook(io.BytesIO(response.data)).active


def test_the_workbook_holds_what_the_search_found_ready_to_print(login, world):
    sheet = _sheet(login(world["staff"]).get(XLSX, query_string={"q": "除雪", "sort": "title"}))
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("種別", "番号", "タイトル", "状態", "地区", "登録日", "賛同・参加の数",
                       "施策", "担当課", "回答期限", "ページ")
    titles = [row[2] for row in rows[1:]]
    assert sorted(titles) == titles and len(titles) == 3 and "公園のベンチ" not in titles
    pending = next(row for row in rows[1:] if row[1] == world["pending"])
    assert pending[0] == "提案" and pending[3] == "審査待ち" and pending[4] == world["district"]
    assert pending[7] == world["code"] and pending[10].endswith(f"/proposals/{world['pending']}")
    assert pending[8] is None and pending[9] is None  # not routed: empty cells
    routed = next(row for row in rows[1:] if row[1] == world["published"])
    assert routed[8] == world["department"] and routed[9].date() == date(2027, 1, 15)
    project = next(row for row in rows[1:] if row[0] == "プロジェクト")
    assert "審査待ち" in project[3] and project[7] == world["code"]
    assert isinstance(pending[1], int) and isinstance(pending[6], int)
    today = clock.now().astimezone(clock.JAPAN).date()
    assert sheet.cell(2, 6).is_date and sheet.cell(2, 6).value.date() == today
    # Report-ready: bold header, widths, wrapping, frozen panes, A4 with the header repeated.
    assert sheet["A1"].font.bold and sheet.column_dimensions["C"].width >= 30
    assert sheet.cell(2, 3).alignment.wrap_text and sheet.freeze_panes == "C2"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4 and sheet.print_title_rows
    # A title that looks like a formula stays text.
    formula = next(cell for cell in sheet["C"] if "HYPERLINK" in str(cell.value))
    assert formula.data_type == "s"


def test_the_csv_has_the_same_rows_in_english_for_an_english_reader(login, world):
    client = login(world["staff"])
    client.get("/?lang=en")
    response = client.get(CSV, query_string={"q": "除雪", "status": "proposal:pending"},
                          headers={"Accept-Language": "en"})
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 2 and rows[1][1] == str(world["pending"])
    assert rows[0][0] != "種別" and rows[1][0] != "提案"  # words in the reader's language


def test_the_page_links_its_downloads_with_its_filters(login, world):
    page = login(world["staff"]).get("/staff/find", query_string={"q": "除雪"}).text
    assert "/staff/find.xlsx?q=" in page and "/staff/find.csv?q=" in page
    assert "結果をExcelで保存" in page


def test_residents_and_visitors_get_no_file(login, client, world):
    for url in (XLSX, CSV):
        assert login(world["resident"]).get(url).status_code == 403
    assert client.get(XLSX).status_code == 302


def test_a_wide_search_is_cut_and_says_so(app, login, world, monkeypatch):
    monkeypatch.setattr(find_export, "EXPORT_LIMIT", 2)
    book = load_workbook(io.BytesIO(login(world["staff"]).get(XLSX).data))
    assert book.active.max_row == 3
    assert "2件" in book.worksheets[1]["A1"].value


def test_the_export_does_not_grow(app, login, count_queries, world):
    client = login(world["staff"])
    grow(app, 2)
    count_queries.reset()
    assert client.get(XLSX, query_string={"q": "除雪"}).status_code == 200
    before = count_queries.count
    grow(app, 15)
    count_queries.reset()
    assert client.get(XLSX, query_string={"q": "除雪"}).status_code == 200
    assert count_queries.count == before, count_queries.statements
