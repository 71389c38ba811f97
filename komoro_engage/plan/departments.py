"""The city's departments (担当課) as data, and the staff who belong to them.

Departments come from the plan data file (``[[departments]]``, loaded by
``flask komoro seed``) and admins add, rename and deactivate them at
/admin/departments. A department is never deleted: assignments and answers name it.
Staff belong to one or more (``department_membership``); the console's 「自分の課」
queues read that.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from komoro_engage.core import clock
from komoro_engage.core.audit import record_audit
from komoro_engage.extensions import db


class Department(db.Model):
    """A 課 of the city: its name (unique), reading, English name and place in menus."""

    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    name_kana: Mapped[str | None] = mapped_column(String(100))
    name_en: Mapped[str | None] = mapped_column(String(100))
    sort_order: Mapped[int] = mapped_column(default=0)
    # An inactive department keeps its history but is no longer offered in menus.
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)


class DepartmentMembership(db.Model):
    """A staff member belongs to a department (one row per pair)."""

    __tablename__ = "department_membership"
    __table_args__ = (UniqueConstraint("user_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The user table is named by string: plan sits below accounts.
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), index=True)


def active_departments() -> list[Department]:
    """Departments offered in menus, in the file's order (one statement)."""
    return list(db.session.scalars(select(Department).where(Department.active.is_(True))
                                   .order_by(Department.sort_order, Department.id)))


def all_departments() -> list[Department]:
    """Every department, active first, for the admin page (one statement)."""
    return list(db.session.scalars(select(Department).order_by(
        Department.active.desc(), Department.sort_order, Department.id)))


def department_ids_of(user_id: int):
    """The ids of ``user_id``'s departments, as a subquery for ``IN``."""
    return select(DepartmentMembership.department_id).where(
        DepartmentMembership.user_id == user_id)


class DepartmentError(ValueError):
    """The change cannot be made; ``field`` names the form field it concerns."""

    def __init__(self, field: str, problem: str):
        self.field = field
        super().__init__(problem)


def _check_name_free(name: str, keep: Department | None = None) -> None:
    taken = db.session.scalar(select(Department.id).where(Department.name == name))
    if taken is not None and (keep is None or taken != keep.id):
        raise DepartmentError("name", "taken")


def add_department(admin, name: str, name_kana: str | None = None,
                   name_en: str | None = None) -> Department:
    """Add a department at the end of the menus (audit-logged); its name must be free."""
    name = name.strip()
    _check_name_free(name)
    last = db.session.scalar(select(func.max(Department.sort_order))) or 0
    department = Department(name=name, name_kana=name_kana or None, name_en=name_en or None,
                            sort_order=last + 1, active=True)
    db.session.add(department)
    db.session.flush()
    record_audit(admin, "department.added", department, after={"name": name})
    return department


def rename_department(admin, department: Department, name: str, name_kana: str | None = None,
                      name_en: str | None = None) -> None:
    """Rename a department (audit-logged); answers already published keep the old name."""
    name = name.strip()
    _check_name_free(name, keep=department)
    before = {"name": department.name, "name_kana": department.name_kana,
              "name_en": department.name_en}
    department.name, department.name_kana = name, name_kana or None
    department.name_en = name_en or None
    after = {"name": department.name, "name_kana": department.name_kana,
             "name_en": department.name_en}
    if before != after:
        db.session.flush()
        record_audit(admin, "department.renamed", department, before=before, after=after)


def set_department_active(admin, department: Department, active: bool) -> None:
    """Deactivate (no longer offered) or reactivate a department, audit-logged."""
    if department.active == active:
        return
    department.active = active
    db.session.flush()
    record_audit(admin, "department.activated" if active else "department.deactivated",
                 department)


def departments_of(user_id: int) -> list[Department]:
    """The departments ``user_id`` belongs to, in menu order (one statement)."""
    return list(db.session.scalars(select(Department).where(
        Department.id.in_(department_ids_of(user_id)))
        .order_by(Department.sort_order, Department.id)))


def set_memberships(admin, user, department_ids: set[int]) -> None:
    """Make ``user`` belong to exactly ``department_ids`` (audit-logged when it changes)."""
    before = set(db.session.scalars(department_ids_of(user.id)))
    if before == department_ids:
        return
    db.session.execute(delete(DepartmentMembership).where(
        DepartmentMembership.user_id == user.id,
        DepartmentMembership.department_id.not_in(department_ids)))
    db.session.add_all(DepartmentMembership(user_id=user.id, department_id=department_id)
                       for department_id in sorted(department_ids - before))
    db.session.flush()
    record_audit(admin, "user.departments_changed", user, before={"departments": sorted(before)},
                 after={"departments": sorted(department_ids)})
