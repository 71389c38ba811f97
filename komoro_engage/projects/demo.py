"""Demo 協働 projects for ``flask komoro demo``: every lifecycle state, with partners,
participants (and a waiting list), activity days with RSVPs and attendance, and
progress and completion reports. Deterministic from the seed; bulk INSERTs.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, text

from komoro_engage.accounts.models import Membership, User
from komoro_engage.extensions import db
from komoro_engage.plan import queries as plan_queries
from komoro_engage.plan.models import PolicyArea
from komoro_engage.projects.message_models import ProjectMessage
from komoro_engage.projects.models import (
    ActivityDay,
    ProgressReport,
    Project,
    ProjectMember,
    ProjectPartner,
    ProjectStatusChange,
    Rsvp,
    project_measure,
    project_policy_area,
    project_priority_item,
)
from komoro_engage.projects.queries import SEARCH_KIND
from komoro_engage.proposals import demo_text as words
from komoro_engage.proposals.models import Proposal, ProposalStatus
from komoro_engage.search.services import bulk_index

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
# The lifecycle path to each status, so every project has a believable timeline.
PATHS = {"planning": ["planning"], "recruiting": ["planning", "recruiting"],
         "active": ["planning", "recruiting", "active"],
         "completed": ["planning", "recruiting", "active", "completed"],
         "cancelled": ["planning", "recruiting", "cancelled"]}
ACTIVITIES = ["清掃活動", "花植え", "草刈り", "子ども食堂", "見守り散歩", "写真教室", "竹林整備",
              "交流会", "防災訓練", "農作業体験"]
HELP = ["当日スタッフ", "講師", "物品提供", "会場提供", "車での送迎", "写真撮影"]
DEPARTMENTS = ["市民協働課", "農林課", "生涯学習課", "環境課", "商工観光課", "高齢福祉課"]
OUTCOMES = ["延べ{n}人が参加し、地域の新しいつながりが生まれました。",
            "{n}人の参加で計画どおりに終えました。来年度も続けます。"]


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def _ids(query) -> list[int]:
    return list(db.session.scalars(query))


class _Ids:
    """Explicit ids for every table, taken once from the current maximum."""

    def __init__(self):
        self.next = {model: _next_id(model) for model in (
            Project, ProjectStatusChange, ProjectPartner, ProjectMember, ActivityDay, Rsvp,
            ProgressReport)}

    def __call__(self, model) -> int:
        value = self.next[model]
        self.next[model] += 1
        return value


def load_project_demo(seed: int, proposals: int) -> dict:
    """Insert demo projects (about one per 20 proposals, at least 10); the caller commits."""
    rng = random.Random(seed * 7919 + 7)
    users = _ids(select(User.id).where(User.role == "resident", User.status == "active")
                 .order_by(User.id))
    if len(users) < 5:
        return {"projects": 0}
    managers = dict(db.session.execute(
        select(Membership.organisation_id, Membership.user_id)
        .where(Membership.role == "manager", Membership.status == "active")
        .order_by(Membership.id)).all())
    org_ids = sorted(managers)
    adopted = _ids(select(Proposal.id).where(Proposal.status == ProposalStatus.ADOPTED)
                   .order_by(Proposal.id))
    areas = _ids(select(PolicyArea.id).order_by(PolicyArea.id))
    edition = plan_queries.current_edition()
    measures = [m.id for m in edition.measures]
    items = [i.id for i in plan_queries.priority_items(edition)]
    districts = [d.id for d in plan_queries.districts_only()]
    new_id = _Ids()
    rows: dict[str, list[dict]] = {name: [] for name in (
        "project", "change", "partner", "member", "day", "rsvp", "report", "area", "measure",
        "item")}
    statuses = list(PATHS)
    count = min(500, max(10, proposals // 20))
    for n in range(count):
        status = statuses[n % len(statuses)]
        _project(rng, new_id, rows, status, users, managers, org_ids, adopted, areas, measures,
                 items, districts)
    for model, name in ((Project, "project"), (ProjectStatusChange, "change"),
                        (ProjectPartner, "partner"), (ProjectMember, "member"),
                        (ActivityDay, "day"), (Rsvp, "rsvp"), (ProgressReport, "report")):
        if rows[name]:
            db.session.execute(model.__table__.insert(), rows[name])
    for table, name in ((project_policy_area, "area"), (project_measure, "measure"),
                        (project_priority_item, "item")):
        if rows[name]:
            db.session.execute(table.insert(), rows[name])
    _message(rows["project"])
    bulk_index(SEARCH_KIND, [(p["id"], f"{p['title']}\n{p['summary']}\n{p['description']}")
                             for p in rows["project"]])
    _reset_sequences()
    return {"projects": len(rows["project"]), "activity days": len(rows["day"]),
            "project members": len(rows["member"]), "progress reports": len(rows["report"])}


def _project(rng, new_id, rows, status, users, managers, org_ids, adopted, areas, measures,
             items, districts) -> None:
    project_id = new_id(Project)
    activity = rng.choice(ACTIVITIES)
    place = rng.choice(words.PLACES)
    by_org = bool(org_ids) and rng.random() < 0.6
    lead_org = rng.choice(org_ids) if by_org else None
    lead_user = None if by_org else rng.choice(users)
    creator = managers[lead_org] if by_org else lead_user
    created = NOW - timedelta(days=rng.randint(60, 400))
    capacity = rng.choice([None, 10, 15, 20, 30])
    path = PATHS[status]
    steps = [created + timedelta(days=14 * i) for i in range(len(path))]
    opened = next((at for at, s in zip(steps, path, strict=True)
                   if s in ("recruiting", "active")), None)
    closed = steps[-1] if status in ("completed", "cancelled") else None
    project = {
        "id": project_id, "title": f"{place}の{activity}", "status": status,
        "summary": f"{place}で{activity}を行います。どなたでも参加できます。",
        "description": rng.choice(words.REASONS) + "\n" + rng.choice(words.OFFERS),
        "proposal_id": adopted.pop(0) if adopted and rng.random() < 0.5 else None,
        "created_by_id": creator, "lead_user_id": lead_user, "lead_organisation_id": lead_org,
        "district_id": rng.choice(districts) if rng.random() < 0.8 else None,
        "starts_on": steps[0].date() + timedelta(days=30), "ends_on": None,
        "help_wanted": "\n".join(rng.sample(HELP, rng.randint(1, 3))), "capacity": capacity,
        "member_count": 0, "outcomes": "", "created_at": created, "updated_at": steps[-1],
        "status_changed_at": steps[-1], "opened_at": opened, "closed_at": closed,
    }
    rows["project"].append(project)
    for before, (at, after) in zip([None, *path], zip(steps, path, strict=True), strict=False):
        rows["change"].append({"id": new_id(ProjectStatusChange), "project_id": project_id,
                               "actor_id": creator, "before": before, "after": after,
                               "reason": "", "changed_at": at})
    for area in rng.sample(areas, rng.choice((1, 1, 2))):
        rows["area"].append({"project_id": project_id, "policy_area_id": area})
    for measure in rng.sample(measures, rng.choice((1, 1, 2))):
        rows["measure"].append({"project_id": project_id, "measure_id": measure})
    for item in rng.sample(items, rng.choice((0, 1))):
        rows["item"].append({"project_id": project_id, "priority_item_id": item})
    _partners(rng, new_id, rows, project, org_ids)
    if status != "planning":
        joined = _members(rng, new_id, rows, project, users, steps[1])
        _days_and_reports(rng, new_id, rows, project, joined, steps, creator)


def _partners(rng, new_id, rows, project, org_ids) -> None:
    partners = [(project["lead_organisation_id"], "host")] if project[
        "lead_organisation_id"] else []
    others = [o for o in org_ids if o != project["lead_organisation_id"]]
    for org in rng.sample(others, min(len(others), rng.choice((0, 1, 2)))):
        partners.append((org, rng.choice(("co_host", "cooperation"))))
    for org, role in partners:
        rows["partner"].append({
            "id": new_id(ProjectPartner), "project_id": project["id"], "organisation_id": org,
            "role": role, "department": "", "status": "accepted", "message": "",
            "requested_by_id": project["created_by_id"], "created_at": project["created_at"],
            "decided_at": project["created_at"]})
    if rng.random() < 0.5:
        rows["partner"].append({
            "id": new_id(ProjectPartner), "project_id": project["id"], "organisation_id": None,
            "role": "city_department", "department": rng.choice(DEPARTMENTS),
            "status": "accepted", "message": "", "requested_by_id": project["created_by_id"],
            "created_at": project["created_at"], "decided_at": project["created_at"]})


def _members(rng, new_id, rows, project, users, opened) -> list[int]:
    wanted = rng.randint(3, 24)
    capacity = project["capacity"] or wanted
    people = rng.sample(users, min(wanted, len(users)))
    joined = []
    for n, user in enumerate(people):
        is_in = len(joined) < capacity
        at = opened + timedelta(hours=n + 1)
        rows["member"].append({
            "id": new_id(ProjectMember), "project_id": project["id"], "user_id": user,
            "role": "volunteer" if rng.random() < 0.3 else "participant",
            "status": "joined" if is_in else "waiting",
            "message": rng.choice(["", "", "よろしくお願いします。", "友人と参加します。"]),
            "created_at": at, "joined_at": at if is_in else None})
        if is_in:
            joined.append(user)
    project["member_count"] = len(joined)
    return joined


def _days_and_reports(rng, new_id, rows, project, joined, steps, author) -> None:
    status = project["status"]
    first = steps[1] + timedelta(days=10)
    if status == "recruiting":
        first = NOW + timedelta(days=rng.randint(3, 20))
    hours_total, attended_total = 0.0, 0
    for n in range(rng.randint(1, 4)):
        # 9:00 or 13:00 Japan time (00:00 / 04:00 UTC), two hours.
        start = (first + timedelta(days=14 * n)).replace(hour=rng.choice((0, 4)), minute=0,
                                                         second=0, microsecond=0)
        past = start < NOW and status != "cancelled"
        coming = rng.sample(joined, rng.randint(0, len(joined))) if joined else []
        attendance = len(coming) + rng.randint(0, 5) if past else None
        day_id = new_id(ActivityDay)
        rows["day"].append({
            "id": day_id, "project_id": project["id"], "title": rng.choice(ACTIVITIES),
            "starts_at": start, "ends_at": start + timedelta(hours=2),
            "place": f"{rng.choice(words.PLACES)}公民館", "capacity": None,
            "rsvp_count": len(coming), "attendance_count": attendance, "created_at": steps[1]})
        for user in coming:
            rows["rsvp"].append({"id": new_id(Rsvp), "activity_day_id": day_id,
                                 "user_id": user, "created_at": steps[1],
                                 "attended": True if past else None,
                                 "reminded_at": start - timedelta(hours=15) if past else None})
        if past and status in ("active", "completed"):
            hours = float(attendance * 2)
            hours_total += hours
            attended_total += attendance
            rows["report"].append({
                "id": new_id(ProgressReport), "project_id": project["id"], "author_id": author,
                "activity_day_id": day_id, "body": f"{attendance}人で活動しました。"
                + rng.choice(words.COMMENTS), "attendance_count": attendance,
                "volunteer_hours": hours, "is_completion": False, "outcomes": "",
                "created_at": start + timedelta(hours=6)})
    if status == "completed":
        project["outcomes"] = rng.choice(OUTCOMES).format(n=attended_total)
        rows["report"].append({
            "id": new_id(ProgressReport), "project_id": project["id"], "author_id": author,
            "activity_day_id": None,
            "body": "すべての活動を終えました。ご協力ありがとうございました。",
            "attendance_count": attended_total, "volunteer_hours": None, "is_completion": True,
            "outcomes": project["outcomes"], "created_at": steps[-1]})


def _message(projects: list[dict]) -> None:
    """One 主催者からのお知らせ, sent to the members of the first project under way."""
    project = next((p for p in projects if p["status"] == "active"), None)
    if project is None:
        return
    db.session.add(ProjectMessage(
        project_id=project["id"], author_id=project["created_by_id"], audiences="members",
        subject="次回の活動の持ち物",
        body="次回は軍手と飲み物をお持ちください。雨天の場合は前日の18時までにお知らせします。",
        recipient_count=project["member_count"], submission_key=f"demo-{project['id']}",
        created_at=NOW - timedelta(days=2)))
    db.session.flush()


def _reset_sequences() -> None:
    """Explicit ids leave PostgreSQL's sequences behind; move them past the new rows."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in ("project", "project_status_change", "project_partner", "project_member",
                  "activity_day", "rsvp", "progress_report"):
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))
