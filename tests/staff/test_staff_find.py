"""探す (/staff/find): proposals and projects in every status, found with the Japanese
search, filtered, sorted and paged in a fixed number of statements."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from komoro_engage.accounts.models import Role
from komoro_engage.core import clock
from komoro_engage.extensions import db
from komoro_engage.plan.models import District, Measure
from komoro_engage.projects.models import ProjectReview, ProjectStatus
from komoro_engage.proposals.lifecycle.links import link_measure
from komoro_engage.proposals.models import ProposalStatus
from komoro_engage.proposals.services import hide_proposal, withdraw_proposal
from tests.factories import make_user
from tests.projects.helpers import make_project
from tests.proposals.helpers import make_proposal

URL = "/staff/find"


@pytest.fixture
def staff(app, login, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 20)
    with app.app_context():
        user = make_user(role=Role.STAFF)
        db.session.commit()
    return login(user)


def _titles(response) -> str:
    assert response.status_code == 200, response.status_code
    page = response.get_data(as_text=True)
    return page[page.find("<main"):page.find("</main>")]


def test_finds_what_the_public_never_sees(app, staff, client):
    with app.app_context():
        author = make_user()
        make_proposal(author, ProposalStatus.PENDING, title="除雪の審査待ち提案")
        make_proposal(author, ProposalStatus.DRAFT, title="除雪の差し戻し提案",
                      submitted_at=clock.now(), moderation_note="場所を書いてください")
        make_proposal(author, ProposalStatus.DRAFT, title="除雪の書きかけ")  # never submitted
        hide_proposal(None, make_proposal(author, title="除雪の非表示提案"), "個人情報")
        withdraw_proposal(make_proposal(author, title="除雪の取り下げ提案"))
        make_proposal(author, title="除雪の公開提案")
        make_proposal(author, title="公園のベンチ")
        make_project(author, ProjectStatus.PLANNING, review=ProjectReview.PENDING,
                     title="除雪ボランティアの会")
        db.session.commit()
    page = _titles(staff.get(URL, query_string={"q": "除雪"}))
    for title in ("除雪の審査待ち提案", "除雪の差し戻し提案", "除雪の非表示提案",
                  "除雪の取り下げ提案", "除雪の公開提案", "除雪ボランティアの会"):
        assert title in page
    assert "除雪の書きかけ" not in page and "公園のベンチ" not in page
    assert "6件" in page
    # The public search still finds only the public one.
    public = client.get("/proposals", query_string={"q": "除雪"}).get_data(as_text=True)
    assert "除雪の公開提案" in public and "除雪の審査待ち提案" not in public
    assert "除雪の非表示提案" not in public


def test_a_status_change_moves_the_proposal_between_the_indexes(app, staff, client):
    with app.app_context():
        proposal = make_proposal(title="図書館の開館時間")
        hide_proposal(None, proposal, "確認中")
        db.session.commit()
    assert "図書館の開館時間" in _titles(staff.get(URL, query_string={"q": "開館"}))
    public = client.get("/proposals", query_string={"q": "開館"}).get_data(as_text=True)
    assert "図書館の開館時間" not in public


def test_filters_by_status_measure_district_age_and_dates(app, staff):
    with app.app_context():
        district = db.session.scalars(select(District).order_by(District.id)).first()
        measure = db.session.scalars(select(Measure).order_by(Measure.sort_key)).first()
        young, old = make_user(age_band="18_29"), make_user(age_band="70_plus")
        linked = make_proposal(young, ProposalStatus.PENDING, title="若者の居場所",
                               district_id=district.id)
        link_measure(make_user(role=Role.STAFF), linked, measure, 2026, "関連")
        dated = make_proposal(old, title="昔の提案")
        dated.created_at = datetime(2025, 4, 1, 3, tzinfo=UTC)
        make_project(old, ProjectStatus.RECRUITING, title="散歩の会", measure_ids=[measure.id])
        db.session.commit()
        ids = {"district": district.id, "measure": measure.id}
    assert "若者の居場所" in _titles(staff.get(URL, query_string={"status": "proposal:pending"}))
    by_district = _titles(staff.get(URL, query_string={"district": ids["district"]}))
    assert "若者の居場所" in by_district and "昔の提案" not in by_district
    by_measure = _titles(staff.get(URL, query_string={"measure": ids["measure"]}))
    assert "若者の居場所" in by_measure and "散歩の会" in by_measure
    assert "昔の提案" not in by_measure
    by_age = _titles(staff.get(URL, query_string={"age": "70_plus"}))
    assert "昔の提案" in by_age and "散歩の会" in by_age and "若者の居場所" not in by_age
    dated = _titles(staff.get(URL, query_string={"since": "2025-04-01",
                                                 "until": "2025-04-01"}))
    assert "昔の提案" in dated and "若者の居場所" not in dated
    projects = _titles(staff.get(URL, query_string={"kind": "project"}))
    assert "散歩の会" in projects and "昔の提案" not in projects
    # The choices stay in the form.
    assert 'value="70_plus" selected' in by_age
    assert 'value="2025-04-01"' in dated


def test_sorts_and_pages(app, staff):
    with app.app_context():
        for n, supports in enumerate((5, 50, 0)):
            proposal = make_proposal(title=f"並び{n}号の提案", support_count=supports)
            proposal.created_at = datetime(2026, 1, 1 + n, tzinfo=UTC)
        db.session.commit()
    newest = _titles(staff.get(URL, query_string={"q": "並び"}))
    assert newest.index("並び2号") < newest.index("並び1号") < newest.index("並び0号")
    oldest = _titles(staff.get(URL, query_string={"q": "並び", "sort": "old"}))
    assert oldest.index("並び0号") < oldest.index("並び1号")
    supported = _titles(staff.get(URL, query_string={"q": "並び", "sort": "supported"}))
    assert supported.index("並び1号") < supported.index("並び0号") < supported.index("並び2号")
    app.config["PAGE_SIZE"] = 2
    first = _titles(staff.get(URL, query_string={"q": "並び", "sort": "title"}))
    second = _titles(staff.get(URL, query_string={"q": "並び", "sort": "title", "page": "2"}))
    assert "並び0号" in first and "並び1号" in first and "並び2号" not in first
    assert "並び2号" in second and 'rel="prev"' in second


@pytest.mark.parametrize("args, message", [
    ({"since": "2026-13-45"}, "日付は 2026-06-01 の形"),
    ({"until": "昨日"}, "日付は 2026-06-01 の形"),
    ({"since": "2026-06-02", "until": "2026-06-01"}, "終了日が開始日より前"),
    ({"page": "99999999999999999999"}, "ページ番号は"),
    ({"page": "-1"}, "ページ番号は"),
    ({"sort": "'; DROP TABLE proposal; --"}, "この並び順はありません"),
    ({"status": "proposal:nope"}, "この値は選べません"),
    ({"measure": "0x10"}, "この値は選べません"),
    ({"page": "90000"}, "このページには結果がありません"),
])
def test_bad_values_are_ignored_with_a_message(staff, args, message):
    page = _titles(staff.get(URL, query_string=args))
    assert message in page


def test_residents_and_visitors_are_refused(app, login, client):
    with app.app_context():
        resident = make_user()
        db.session.commit()
    assert login(resident).get(URL).status_code == 403
    assert client.get(URL).status_code == 302


def grow(app, n: int) -> None:
    """``n`` proposals in several statuses and projects under review, all matching 除雪,
    linked to a measure, in a district, by authors with an age band."""
    with app.app_context():
        district = db.session.scalars(select(District).order_by(District.id)).first()
        measure = db.session.scalars(select(Measure).order_by(Measure.sort_key)).first()
        staff = make_user(role=Role.STAFF)
        for status in (ProposalStatus.PENDING, ProposalStatus.PUBLISHED, ProposalStatus.HIDDEN):
            for _ in range(n):
                proposal = make_proposal(make_user(age_band="40s"), status,
                                         title="除雪をお願いする提案", district_id=district.id)
                link_measure(staff, proposal, measure, 2026, "関連")
        for _ in range(n):
            make_project(make_user(age_band="40s"), ProjectStatus.PLANNING,
                         review=ProjectReview.PENDING, title="除雪の協働",
                         district_id=district.id, measure_ids=[measure.id])
        db.session.commit()


FILTERED = [URL, f"{URL}?q=除雪", f"{URL}?q=除雪をお願い&sort=supported&page=2",
            f"{URL}?status=proposal:hidden&age=40s&sort=title",
            f"{URL}?measure=MEASURE&district=DISTRICT&since=2020-01-01&until=2099-12-31",
            f"{URL}?kind=project&status=project:review_pending&sort=old"]


@pytest.mark.parametrize("url", FILTERED)
def test_find_does_not_grow(app, login, count_queries, url):
    with app.app_context():
        staff = make_user(role=Role.STAFF)
        district = db.session.scalars(select(District.id).order_by(District.id)).first()
        measure = db.session.scalars(select(Measure.id).order_by(Measure.sort_key)).first()
        db.session.commit()
    url = url.replace("MEASURE", str(measure)).replace("DISTRICT", str(district))
    client = login(staff)
    grow(app, 3)
    before = count_queries.of_get(client, url)
    grow(app, 25)
    assert count_queries.of_get(client, url) == before, count_queries.statements
