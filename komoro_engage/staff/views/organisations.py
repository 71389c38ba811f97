"""管理者のいない団体: organisations whose last manager left, and what staff do with them.

Staff appoint one of the members as manager, or archive the organisation; both
go to the audit log with the reason (accounts/stewardship.py).
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from komoro_engage.accounts import stewardship
from komoro_engage.accounts.models import Organisation
from komoro_engage.accounts.queries import page_of
from komoro_engage.accounts.templating import display_name
from komoro_engage.core.forms import ReasonForm
from komoro_engage.core.htmx import render
from komoro_engage.extensions import db
from komoro_engage.staff.forms import AppointManagerForm
from komoro_engage.staff.views import acting_user


def _forms(organisation: Organisation, members: list, formdata=None) -> dict:
    appoint = AppointManagerForm(prefix=f"appoint-{organisation.id}", formdata=formdata)
    appoint.member.choices = [(str(m.user_id), display_name(m.user)) for m in members]
    appoint.reason.label.text = _("管理者に指名する理由（監査ログに記録されます）")
    archive = ReasonForm(prefix=f"archive-{organisation.id}", formdata=formdata)
    archive.reason.label.text = _("アーカイブする理由（監査ログに記録されます）")
    return {"appoint": appoint, "archive": archive}


def _page(failed: tuple[int, str, object] | None = None, status: int = 200):
    page = page_of(stewardship.managerless_organisations(), request.args.get("page"))
    members = stewardship.active_members([org.id for org in page.items])
    forms = {org.id: _forms(org, members[org.id]) for org in page.items}
    if failed is not None and failed[0] in forms:
        forms[failed[0]][failed[1]] = failed[2]
    return render("staff/managerless.html", page=page, members=members, forms=forms,
                  status=status)


@login_required
def managerless():
    """The queue: organisations without an active manager, with their members."""
    acting_user()
    return _page()


def _decide(organisation_id: int, action: str, act):
    staff = acting_user()
    organisation = db.get_or_404(Organisation, organisation_id)
    members = stewardship.active_members([organisation.id])[organisation.id]
    form = _forms(organisation, members, request.form)[action]
    if form.validate():
        try:
            act(staff, organisation, form)
        except stewardship.StewardshipError as error:
            flash(str(error), "error")
        return redirect(url_for("staff.managerless"))
    return _page((organisation.id, action, form), status=422)


@login_required
def appoint_manager(organisation_id: int):
    """Make one of the members the organisation's manager."""
    def act(staff, organisation, form):
        stewardship.appoint_manager(staff, organisation, int(form.member.data),
                                    form.reason.data)
        flash(_("管理者を指名しました。"), "success")
    return _decide(organisation_id, "appoint", act)


@login_required
def archive_organisation(organisation_id: int):
    """Close the organisation: it leaves this queue and the public list."""
    def act(staff, organisation, form):
        stewardship.archive_organisation(staff, organisation, form.reason.data)
        flash(_("団体をアーカイブしました。"), "success")
    return _decide(organisation_id, "archive", act)
