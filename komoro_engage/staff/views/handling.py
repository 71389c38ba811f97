"""対応 (/staff/proposals/<id>/handling): a proposal's routing to a department and its
internal notes, and the notes of a 協働 project. Staff only; never cached, never indexed.

Plain forms posting to their own URL and redirecting back; a refused form re-renders
the page with its field errors and what was typed (422). The request commits once.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from komoro_engage.accounts.models import User, UserStatus
from komoro_engage.accounts.permissions import STAFF_ROLES
from komoro_engage.core.clock import JAPAN
from komoro_engage.core.forms import choices
from komoro_engage.core.htmx import render
from komoro_engage.extensions import db
from komoro_engage.plan.departments import Department, DepartmentMembership, active_departments
from komoro_engage.projects.models import Project
from komoro_engage.staff import handling, permissions
from komoro_engage.staff.forms import AssignForm, NoteForm
from komoro_engage.staff.views import acting_user, load_proposal
from komoro_engage.staff.views.answers import PRIVATE


def _staff_of_departments(departments: list[Department]) -> tuple[dict[int, set[str]], list]:
    """Each department's active staff (ids as the form sends them) and the assignee menu,
    one <optgroup> per department: one statement."""
    members: dict[int, list[tuple[str, str]]] = {}
    for department_id, user_id, nickname in db.session.execute(
            select(DepartmentMembership.department_id, User.id, User.nickname)
            .join(User, User.id == DepartmentMembership.user_id)
            .where(User.role.in_(STAFF_ROLES), User.status == UserStatus.ACTIVE)
            .order_by(User.nickname, User.id)):
        members.setdefault(department_id, []).append((str(user_id), nickname))
    menu = [choice for d in departments
            for choice in choices(*members.get(d.id, []), group=d.name)]
    return {key: {value for value, _name in people} for key, people in members.items()}, menu


def assign_form(proposal, submitted: bool = True) -> AssignForm:
    """The assignment form with its menus; shown afresh, it names the current assignment."""
    current = None if submitted else handling.current_assignment(proposal.id)
    data = {"department": current.department_id, "assignee": str(current.assignee_id or "")} \
        if current else {}
    form = AssignForm() if submitted else AssignForm(formdata=None, data=data)
    departments = active_departments()
    form.department.choices = choices(*((d.id, d.name) for d in departments))
    form.members, menu = _staff_of_departments(departments)
    form.assignee.choices = [*choices(("", _("指定しない"))), *menu]
    return form


def _page(proposal, form=None, note_form=None, status=200):
    response = render(
        "staff/handling.html", proposal=proposal, subject_kind="proposal",
        current=handling.current_assignment(proposal.id),
        history=handling.assignment_history(proposal.id),
        default_due=handling.default_due(proposal), notes=handling.notes_of(proposal),
        form=form or assign_form(proposal, submitted=False),
        note_form=note_form or NoteForm(formdata=None),
        note_url=url_for("staff.add_proposal_note", proposal_id=proposal.id),
        assignable=proposal.status in handling.ASSIGNABLE, status=status)
    response.headers.update(PRIVATE)
    return response


def _load(proposal_id: int):
    proposal = load_proposal(proposal_id)
    staff = acting_user()
    if not permissions.can_handle(staff):
        abort(403)
    return proposal, staff


@login_required
def handling_page(proposal_id: int):
    """The current assignment, its history and the internal notes, with their forms."""
    proposal, _staff = _load(proposal_id)
    return _page(proposal)


def _due(day) -> datetime | None:
    """The end of ``day`` in Japan, or None (then the answer deadline)."""
    # Stored in UTC, as every moment is (SQLite keeps no offset).
    return datetime.combine(day, time(23, 59, 59), tzinfo=JAPAN).astimezone(UTC) if day else None


@login_required
def assign(proposal_id: int):
    """Assign or reassign the proposal to a department (and perhaps a person)."""
    proposal, staff = _load(proposal_id)
    if proposal.status not in handling.ASSIGNABLE:
        abort(409)
    form = assign_form(proposal)
    if not form.validate():
        return _page(proposal, form=form, status=422)
    department = db.get_or_404(Department, form.department.data)
    assignee = db.session.get(User, int(form.assignee.data)) if form.assignee.data else None
    try:
        handling.assign_proposal(staff, proposal, department, assignee,
                                 _due(form.due_on.data), form.reason.data or "")
    except handling.HandlingError:
        abort(409)
    flash(_("「%(name)s」に割り当てました。", name=department.name), "success")
    return redirect(url_for("staff.handling_page", proposal_id=proposal.id))


@login_required
def add_proposal_note(proposal_id: int):
    """Add an internal note to the proposal (staff only, audit-logged without its text)."""
    proposal, staff = _load(proposal_id)
    form = NoteForm()
    if not form.validate():
        return _page(proposal, note_form=form, status=422)
    handling.add_note(staff, proposal, form.body.data)
    flash(_("内部メモを追加しました。"), "success")
    return redirect(url_for("staff.handling_page", proposal_id=proposal.id, _anchor="notes"))


@login_required
def project_notes(project_id: int):
    """A 協働 project's internal notes, and the form adding one."""
    staff = acting_user()
    project = db.get_or_404(Project, project_id)
    form = NoteForm()
    if form.validate_on_submit():
        handling.add_note(staff, project, form.body.data)
        flash(_("内部メモを追加しました。"), "success")
        return redirect(url_for("staff.project_notes", project_id=project.id, _anchor="notes"))
    response = render("staff/handling.html", project=project, subject_kind="project",
                      notes=handling.notes_of(project), note_form=form,
                      note_url=url_for("staff.project_notes", project_id=project.id),
                      status=422 if form.errors else 200)
    response.headers.update(PRIVATE)
    return response
