"""担当課の管理 (/admin/departments): admins add, rename, deactivate and reactivate
departments, and set which departments a staff member belongs to.

Plain forms; a refused form comes back with its field errors in the reader's language
and what was typed (422). Every change is audit-logged by ``plan.departments``.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from komoro_engage.accounts.models import User
from komoro_engage.accounts.permissions import STAFF_ROLES, is_staff
from komoro_engage.core.forms import ActionForm, choices
from komoro_engage.core.htmx import render
from komoro_engage.extensions import db
from komoro_engage.plan import departments
from komoro_engage.plan.departments import Department, DepartmentMembership
from komoro_engage.staff import permissions
from komoro_engage.staff.forms import DepartmentForm, MembershipForm
from komoro_engage.staff.views import acting_user


def _admin() -> User:
    admin = acting_user()
    if not permissions.can_manage_departments(admin):
        abort(403)
    return admin


def _staff_memberships() -> list[tuple[User, list[str]]]:
    """Every staff member with the names of their departments (two statements)."""
    names: dict[int, list[str]] = {}
    for user_id, name in db.session.execute(
            select(DepartmentMembership.user_id, Department.name)
            .join(Department, Department.id == DepartmentMembership.department_id)
            .order_by(Department.sort_order, Department.id)):
        names.setdefault(user_id, []).append(name)
    people = db.session.scalars(select(User).where(User.role.in_(STAFF_ROLES))
                                .order_by(User.nickname, User.id))
    return [(person, names.get(person.id, [])) for person in people if is_staff(person)]


@login_required
def department_list():
    """Every department (active first) with the form adding one, and the staff's 課."""
    admin = _admin()
    form = DepartmentForm()
    if form.validate_on_submit():
        department = departments.add_department(admin, form.name.data, form.name_kana.data,
                                                form.name_en.data)
        flash(_("「%(name)s」を追加しました。", name=department.name), "success")
        return redirect(url_for("staff.department_list"))
    return render("staff/departments.html", departments=departments.all_departments(),
                  form=form, staff=_staff_memberships(), toggle_form=ActionForm(),
                  status=422 if form.errors else 200)


@login_required
def department_edit(department_id: int):
    """Rename a department (its reading and English name too)."""
    admin = _admin()
    department = db.get_or_404(Department, department_id)
    form = DepartmentForm(obj=department)
    form.editing_id = department.id
    if form.validate_on_submit():
        departments.rename_department(admin, department, form.name.data, form.name_kana.data,
                                      form.name_en.data)
        flash(_("「%(name)s」を保存しました。", name=department.name), "success")
        return redirect(url_for("staff.department_list"))
    return render("staff/department_edit.html", department=department, form=form,
                  toggle_form=ActionForm(), status=422 if form.errors else 200)


@login_required
def department_active(department_id: int):
    """Deactivate a department (no longer offered; its history stays) or reactivate it."""
    admin = _admin()
    department = db.get_or_404(Department, department_id)
    if not ActionForm().validate():
        abort(400)
    active = request.form.get("active") == "1"
    departments.set_department_active(admin, department, active)
    flash(_("「%(name)s」を再開しました。", name=department.name) if active
          else _("「%(name)s」を休止しました。", name=department.name), "success")
    return redirect(url_for("staff.department_list"))


@login_required
def user_departments(user_id: int):
    """The departments a staff member belongs to, as checkboxes."""
    admin = _admin()
    user = db.get_or_404(User, user_id)
    if not is_staff(user):
        abort(404)
    belongs = [d.id for d in departments.departments_of(user.id)]
    form = MembershipForm(data={"departments": belongs}) if request.method == "GET" \
        else MembershipForm()
    # Inactive departments are offered only to those who still belong to them.
    form.departments.choices = choices(*((d.id, d.name) for d in departments.all_departments()
                                         if d.active or d.id in belongs))
    if form.validate_on_submit():
        departments.set_memberships(admin, user, set(form.departments.data or []))
        flash(_("%(name)sさんの所属を保存しました。", name=user.nickname), "success")
        return redirect(url_for("staff.department_list"))
    return render("staff/user_departments.html", user=user, form=form,
                  status=422 if form.errors else 200)
