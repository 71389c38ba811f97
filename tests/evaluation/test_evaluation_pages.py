"""Staff pages write through forms; public pages show finalised records only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from komoro_engage.accounts.models import Role
from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from komoro_engage.plan.models import Indicator, IndicatorActual, Measure
from tests.evaluation.helpers import jst, link, measure, rating
from tests.factories import make_user
from tests.proposals.helpers import make_proposal


@pytest.fixture
def staff(app):
    with app.app_context():
        user = make_user(Role.STAFF, nickname="評価担当職員")
        db.session.commit()
        assert user.id  # loaded before the session closes
        return user


@pytest.fixture
def target(app):
    with app.app_context():
        m = measure("1-2")
        link(make_proposal(title="子育てひろばを増やす", published_at=jst(2025, 5, 1)), m)
        db.session.commit()
        return m.id


def test_staff_add_an_indicator_and_an_actual_with_its_source(app, login, staff, target):
    client = login(staff)
    response = client.post(f"/staff/measures/{target}/indicators", data={
        "name": "一時預かりの利用者数", "unit": "人", "direction": "lower",
        "baseline_value": "120", "target_value": "80", "target_fy": "2027"})
    assert response.status_code == 302
    with app.app_context():
        indicator = db.session.scalars(select(Indicator).where(
            Indicator.measure_id == target, Indicator.name == "一時預かりの利用者数")).one()
        indicator_id = indicator.id
    response = client.post(f"/staff/indicators/{indicator_id}/actuals", data={
        f"a{indicator_id}-fiscal_year": "2025", f"a{indicator_id}-value": "100",
        f"a{indicator_id}-source": "保育課 集計"})
    assert response.status_code == 302
    page = client.get(f"/staff/measures/{target}/indicators").get_data(as_text=True)
    assert "保育課 集計" in page and "50%" in page  # lower is better: 120 → 100 of 120 → 80
    with app.app_context():
        actual = db.session.scalars(select(IndicatorActual).where(
            IndicatorActual.indicator_id == indicator_id)).one()
        assert actual.value == Decimal("100") and actual.entered_by_id == staff.id
        actions = set(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.actor_id == staff.id)))
    assert {"indicator.added", "indicator.actual_recorded"} <= actions


def test_a_bad_actual_is_refused_next_to_the_field_and_kept(login, staff, target, app):
    with app.app_context():
        indicator_id = db.session.scalars(select(Indicator.id)).first()
    client = login(staff)
    response = client.post(f"/staff/indicators/{indicator_id}/actuals", data={
        f"a{indicator_id}-fiscal_year": "2025", f"a{indicator_id}-value": "たくさん",
        f"a{indicator_id}-source": "市民意識調査"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "field-error" in page and 'value="市民意識調査"' in page


def test_staff_correct_the_official_title(app, login, staff, target):
    response = login(staff).post(f"/staff/measures/{target}/edit", data={
        "title": "子育て環境を整えます", "description": "相談と支援の体制をつくる。"})
    assert response.status_code == 302
    with app.app_context():
        corrected = db.session.get(Measure, target)
        assert corrected.title == "子育て環境を整えます" and not corrected.provisional
        assert corrected.corrected_at is not None


def test_seeding_again_keeps_staff_corrections(app, ctx):
    from komoro_engage.evaluation.indicators import MeasureText, correct_measure
    from komoro_engage.plan.loader import read_plan_file
    from komoro_engage.plan.services import seed_plan

    staff = make_user(Role.STAFF)
    m = measure("1-2")
    correct_measure(staff, m, MeasureText(title="正式名称", description="職員が書いた説明"))
    seed_plan(read_plan_file(app.config["PLAN_DATA_FILE"]))
    assert (m.title, m.description, m.provisional) == ("正式名称", "職員が書いた説明", False)


def test_draft_finalise_and_amend_through_the_pages(app, login, client, staff, target):
    staff_client = login(staff)
    base = f"/staff/measures/{target}/evaluations/2025"
    with app.app_context():
        b = str(rating("B").id)
        c = str(rating("C").id)
    assert staff_client.post(base, data={"rating": b, "check_text": "順調に進んだ。",
                                         "act_text": "周知を広げる。"}).status_code == 302
    with app.app_context():
        from komoro_engage.evaluation.models import EvaluationRecord

        record_id = db.session.scalars(select(EvaluationRecord.id)).one()
    assert client.get(f"/evaluations/{record_id}").status_code == 404  # draft: staff only
    preview = staff_client.get(f"{base}/preview")
    assert preview.status_code == 200 and "プレビュー（まだ公開されていません）" in preview.text
    assert "順調に進んだ。" in preview.text and "子育てひろばを増やす" in preview.text
    # Version 2: the record was created (1) and its draft saved once (2).
    response = staff_client.post(f"{base}/finalise", data={"version": "2"})
    assert response.status_code == 422 and 'id="confirm-error"' in response.text  # not ticked
    assert client.get(f"/evaluations/{record_id}").status_code == 404
    stale = staff_client.post(f"{base}/finalise", data={"version": "1", "confirm": "y"})
    assert stale.status_code == 302  # not the version previewed: sent back to the draft
    assert client.get(f"/evaluations/{record_id}").status_code == 404
    response = staff_client.post(f"{base}/finalise", data={"version": "2", "confirm": "y"})
    assert response.status_code == 302
    again = staff_client.post(f"{base}/finalise", data={"version": "2", "confirm": "y"})
    assert again.status_code == 302  # a double click: nothing more happens
    page = client.get(f"/evaluations/{record_id}").get_data(as_text=True)
    assert "順調に進んだ。" in page and "子育てひろばを増やす" in page
    response = staff_client.post(f"{base}/amend", data={
        "rating": c, "check_text": "見直しの結果やや遅れ。", "act_text": "", "reason": ""})
    assert response.status_code == 422 and "訂正の理由を入力してください。" in response.get_data(
        as_text=True)
    response = staff_client.post(f"{base}/amend", data={
        "rating": c, "check_text": "見直しの結果やや遅れ。", "act_text": "",
        "reason": "指標の集計誤りを直したため"})
    assert response.status_code == 302
    page = client.get(f"/evaluations/{record_id}").get_data(as_text=True)
    assert "順調に進んだ。" in page and "見直しの結果やや遅れ。" in page
    assert "指標の集計誤りを直したため" in page
    assert staff_client.post(base, data={"rating": b, "check_text": "x"}).status_code == 409
    dashboard = client.get("/dashboard?fiscal_year=2025").get_data(as_text=True)
    assert "C やや遅れ" in dashboard and "訂正あり" in dashboard
    measure_page = client.get("/plan/measures/1-2").get_data(as_text=True)
    assert "施策評価の履歴" in measure_page and f"/evaluations/{record_id}" in measure_page


def test_finalising_without_a_rating_is_refused_with_a_message(app, login, staff, target):
    client = login(staff)
    base = f"/staff/measures/{target}/evaluations/2025"
    client.post(base, data={"check_text": "途中"})
    response = client.post(f"{base}/finalise", data={"version": "2", "confirm": "y"},
                           follow_redirects=True)
    assert "確定するには" in response.get_data(as_text=True)


def test_a_fiscal_year_outside_the_plan_era_is_not_found(login, staff, target):
    assert login(staff).get(f"/staff/measures/{target}/evaluations/99999").status_code == 404


def test_a_proposal_hidden_after_finalising_loses_its_title_on_the_record(app, login, client,
                                                                          staff, target):
    from komoro_engage.evaluation.services import finalise_record, open_record, save_draft
    from komoro_engage.proposals.models import Proposal, ProposalStatus

    with app.app_context():
        record = open_record(staff, db.session.get(Measure, target), 2025)
        save_draft(staff, record, rating("B"), "評価", "")
        finalise_record(staff, record)
        proposal = db.session.scalars(select(Proposal).where(
            Proposal.title == "子育てひろばを増やす")).one()
        proposal.status = ProposalStatus.HIDDEN
        db.session.commit()
        record_id = record.id
    page = client.get(f"/evaluations/{record_id}").get_data(as_text=True)
    assert "子育てひろばを増やす" not in page and "現在は公開されていない提案" in page
    api = client.get("/api/v1/evaluations?fiscal_year=2025").get_data(as_text=True)
    assert "子育てひろばを増やす" not in api
    assert login(staff).get("/staff/evaluation/export/items.csv").get_data(
        as_text=True).count("子育てひろばを増やす") == 1  # staff still see what was frozen


def test_the_record_item_list_is_paged(app, client, staff, target, monkeypatch):
    from komoro_engage.evaluation.services import finalise_record, open_record, save_draft
    from komoro_engage.evaluation.views import public as views

    with app.app_context():
        m = db.session.get(Measure, target)
        link(make_proposal(title="二件目の提案です", published_at=jst(2025, 7, 1)), m)
        record = open_record(staff, m, 2025)
        save_draft(staff, record, rating("B"), "評価", "")
        finalise_record(staff, record)
        db.session.commit()
        record_id = record.id
    monkeypatch.setattr(views, "ITEMS_PER_PAGE", 1)
    first = client.get(f"/evaluations/{record_id}").get_data(as_text=True)
    second = client.get(f"/evaluations/{record_id}?page=2").get_data(as_text=True)
    assert "子育てひろばを増やす" in first and "二件目の提案です" not in first
    assert "二件目の提案です" in second and "子育てひろばを増やす" not in second
    assert 'rel="next"' in first and 'rel="prev"' in second
    assert client.get(f"/evaluations/{record_id}?page=99").status_code == 200
