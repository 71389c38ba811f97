"""Opinion-map snapshots: the command analyses the due consultations and stores them;
staff ask for a refresh; the page shows the map, the groups and the consensus."""

from datetime import timedelta

from sqlalchemy import select

from komoro_engage.accounts.models import Role
from komoro_engage.consultations import analysis
from komoro_engage.consultations.demo import load_consultation_demo
from komoro_engage.consultations.models import (
    Consultation,
    ConsultationAnalysis,
    ConsultationStatus,
)
from komoro_engage.core import clock
from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from tests.consultations.helpers import make_consultation
from tests.factories import make_user


def demo_consultation(app) -> int:
    with app.app_context():
        load_consultation_demo(seed=1)
        cid = db.session.scalars(select(Consultation.id).order_by(
            Consultation.id.desc())).first()
        db.session.commit()
    return cid


def test_the_command_finds_the_planted_groups_and_stores_a_snapshot(app, runner):
    cid = demo_consultation(app)
    result = runner.invoke(args=["komoro", "analyse-consultations"])
    assert result.exit_code == 0, result.output
    assert f"consultation {cid}: 150 participants, 3 groups" in result.output
    with app.app_context():
        found = analysis.latest(cid)
        assert found.computed_at is not None and found.requested_at is None
        assert found.opinion_map.participants_counted == 150
        sizes = sorted(len(g.participants) for g in found.opinion_map.groups)
        # 50 planted in each; a noisy voter or two may land in a neighbouring group.
        assert len(sizes) == 3 and all(45 <= size <= 55 for size in sizes), sizes
        assert found.opinion_map.consensus  # the five shared statements


def test_due_consultations_are_open_recent_or_requested(app):
    with app.app_context():
        staff = make_user(role=Role.STAFF)
        open_one = make_consultation(staff=staff)
        draft = make_consultation(ConsultationStatus.DRAFT, staff=staff)
        old = make_consultation(ConsultationStatus.CLOSED, staff=staff)
        old.updated_at = clock.now() - timedelta(days=30)
        recent = make_consultation(ConsultationStatus.CLOSED, staff=staff)
        due = {c.id for c in analysis.due()}
        assert open_one.id in due and recent.id in due
        assert draft.id not in due and old.id not in due
        analysis.request_refresh(staff, old)
        assert old.id in {c.id for c in analysis.due()}
        assert db.session.scalar(select(AuditEntry.action).where(
            AuditEntry.target_id == old.id, AuditEntry.target_type == "consultation",
            AuditEntry.action == "consultation.analysis_requested"))


def test_thin_data_gives_no_groups_and_no_error(app):
    with app.app_context():
        consultation = make_consultation()
        snapshot = analysis.analyse_consultation(consultation)
        assert snapshot.payload["groups"] == [] and snapshot.computed_at is not None
        again = analysis.analyse_consultation(consultation)
        assert again.id == snapshot.id
        assert db.session.scalars(select(ConsultationAnalysis)).all() == [snapshot]


def test_staff_refresh_button_sets_requested_at(app, login):
    with app.app_context():
        staff = make_user(role=Role.STAFF)
        cid = make_consultation(staff=staff).id
        db.session.commit()
    client = login(staff)
    assert client.post(f"/staff/consultations/{cid}/refresh").status_code == 302
    with app.app_context():
        assert analysis.latest(cid).requested_at is not None
    html = client.get(f"/staff/consultations/{cid}").get_data(as_text=True)
    assert "再集計を依頼済み" in html


def test_the_page_shows_the_map_groups_consensus_and_open_data(app, runner, client):
    cid = demo_consultation(app)  # the demo stores its first map at once
    with app.app_context():
        assert analysis.latest(cid).computed_at is not None
    empty = client.get(f"/consultations/{make_empty(app)}").get_data(as_text=True)
    assert "まだ集計されていません" in empty
    runner.invoke(args=["komoro", "analyse-consultations"])
    page = client.get(f"/consultations/{cid}").get_data(as_text=True)
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'role="img"' in page
    assert "グループA" in page and "グループC" in page and "グループ内の賛成" in page
    assert "まちづくりの進み具合を定期的に知らせてほしい" in page.split("グループをこえて")[1]
    assert "参加者150人のうち" in page
    votes_csv = client.get(f"/consultations/{cid}/participants-votes.csv")
    lines = votes_csv.get_data(as_text=True).splitlines()
    assert lines[0].startswith("\ufeffparticipant,group-id,n-comments,n-votes")
    assert len(lines) == 151 and {line.split(",")[1] for line in lines[1:]} == {"0", "1", "2"}
    statements_csv = client.get(f"/consultations/{cid}/statements.csv").get_data(as_text=True)
    assert "comment-body" in statements_csv and "駅前の公衆トイレ" in statements_csv
    english = client.get(f"/consultations/{cid}", headers={"Accept-Language": "en"})
    assert "% of the group agree" in english.get_data(as_text=True)


def make_empty(app) -> int:
    with app.app_context():
        consultation_id = make_consultation().id
        db.session.commit()
    return consultation_id
