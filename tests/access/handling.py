"""Access entries of 対応 (staff/handling.py) and 担当課の管理 (staff/views/departments.py).

``build`` routes the world's published proposal to a department the staff persona
belongs to, and writes internal notes on it and on the world's project. The notes'
texts join the staff's private values: the access table then checks that no page a
visitor or another resident opens — public pages, API, exports — shows them.
"""

from sqlalchemy import select

from komoro_engage.accounts.models import User
from komoro_engage.extensions import db
from komoro_engage.plan.departments import Department, set_memberships
from komoro_engage.projects.models import Project
from komoro_engage.proposals.models import Proposal
from komoro_engage.staff import handling
from tests.access import Access, World, admin_only, staff_only

NOTE_TEXTS = ["アクセス表の内部メモ（提案）です", "アクセス表の内部メモ（プロジェクト）です"]


def build(world: World) -> None:
    staff = db.session.get(User, world.users["staff"])
    admin = db.session.get(User, world.users["admin"])
    department = db.session.scalars(select(Department).where(Department.active)
                                    .order_by(Department.sort_order)).first()
    set_memberships(admin, staff, {department.id})
    published = db.session.get(Proposal, world.extra["published"])
    handling.assign_proposal(staff, published, department, staff)
    handling.add_note(staff, published, NOTE_TEXTS[0])
    handling.add_note(staff, db.session.get(Project, world.extra["project"]), NOTE_TEXTS[1])
    world.extra["department"] = department.id
    world.extra["private"]["staff"].extend(NOTE_TEXTS)


def published(world):
    return {"proposal_id": world.extra["published"]}


def project(world):
    return {"project_id": world.extra["project"]}


def department(world):
    return {"department_id": world.extra["department"]}


def staff_member(world):
    return {"user_id": world.users["staff"]}


ENTRIES = [
    Access("staff.handling_page", "GET", staff_only(200), args=published),
    Access("staff.assign", "POST", staff_only(302), args=published, data=lambda world: {
        "department": str(world.extra["department"]), "assignee": "", "due_on": "",
        "reason": "表の引き継ぎ"}),
    Access("staff.add_proposal_note", "POST", staff_only(302), args=published,
           data={"body": "表から追加した内部メモ"}),
    Access("staff.project_notes", "GET", staff_only(200), args=project),
    Access("staff.project_notes", "POST", staff_only(302), args=project,
           data={"body": "表から追加した内部メモ"}),
    Access("staff.department_list", "GET", admin_only(200)),
    Access("staff.department_list", "POST", admin_only(302),
           data={"name": "表の新しい課", "name_kana": "", "name_en": ""}),
    Access("staff.department_edit", "GET", admin_only(200), args=department),
    Access("staff.department_edit", "POST", admin_only(302), args=department,
           data={"name": "表の改名した課", "name_kana": "", "name_en": ""}),
    Access("staff.department_active", "POST", admin_only(302), args=department,
           data={"active": "0"}),
    Access("staff.user_departments", "GET", admin_only(200), args=staff_member),
    Access("staff.user_departments", "POST", admin_only(302), args=staff_member,
           data=lambda world: {"departments": [str(world.extra["department"])]}),
]
