"""Demo projects: every state, partners, members within capacity, days, reports; by seed."""

from sqlalchemy import func, select

from komoro_engage.extensions import db
from komoro_engage.projects.demo import load_project_demo
from komoro_engage.projects.message_models import ProjectMessage
from komoro_engage.projects.models import (
    ActivityDay,
    MemberStatus,
    ProgressReport,
    Project,
    ProjectMember,
    ProjectPartner,
    ProjectReview,
    Rsvp,
)
from komoro_engage.proposals.demo import load_demo


def snapshot():
    return [tuple(row) for row in db.session.execute(select(
        Project.title, Project.status, Project.capacity, Project.member_count,
        Project.lead_organisation_id).order_by(Project.id))]


def test_demo_projects_cover_every_state_and_stay_consistent(ctx):
    load_demo(60, seed=5)
    totals = load_project_demo(5, 60)
    assert totals["projects"] == 10
    statuses = set(db.session.scalars(select(Project.status)))
    assert statuses == {"planning", "recruiting", "active", "completed", "cancelled"}
    # Demo projects stand for published ones: none waits for staff review.
    assert set(db.session.scalars(select(Project.review))) == {ProjectReview.APPROVED}
    for project in db.session.scalars(select(Project)):
        joined = db.session.scalar(select(func.count()).select_from(ProjectMember).where(
            ProjectMember.project_id == project.id,
            ProjectMember.status == MemberStatus.JOINED))
        assert joined == project.member_count
        assert project.capacity is None or joined <= project.capacity
    for day in db.session.scalars(select(ActivityDay)):
        assert day.rsvp_count == db.session.scalar(select(func.count()).select_from(Rsvp).where(
            Rsvp.activity_day_id == day.id))
    assert db.session.scalar(select(func.count()).select_from(ProjectPartner)) > 0
    assert db.session.scalar(select(func.count()).select_from(ProgressReport).where(
        ProgressReport.is_completion)) == 2
    (message,) = db.session.scalars(select(ProjectMessage))  # one organisers' message
    assert message.project.status == "active" and message.audience_list == ["members"]
    assert message.recipient_count == message.project.member_count


def test_same_seed_same_projects(ctx):
    first = db.session.begin_nested()
    load_demo(30, seed=2)
    load_project_demo(2, 30)
    one = snapshot()
    first.rollback()
    load_demo(30, seed=2)
    load_project_demo(2, 30)
    assert snapshot() == one


def test_demo_command_creates_projects(runner):
    result = runner.invoke(args=["komoro", "demo", "--proposals", "30", "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert "10 projects" in result.output
