"""The report page (通報する) of any reportable item.

No routes of its own: each feature's report route loads its item (404 where the
person may not see it) and hands it here with the page to go back to.
"""

from __future__ import annotations

from flask import abort, flash, redirect
from flask_babel import gettext as _
from flask_login import current_user

from komoro_engage.core.htmx import render
from komoro_engage.extensions import db
from komoro_engage.moderation.forms import ReportForm
from komoro_engage.moderation.reports import can_report, report_item

REPORT_LIMIT = "20 per hour"


def report_page(target: db.Model, subject, back_url: str):
    """Show the form, or record the report and go back to ``back_url`` (the page of ``subject``)."""
    if not can_report(current_user):
        abort(403)
    form = ReportForm()
    if form.validate_on_submit():
        created = report_item(current_user, target, form.reason.data, form.detail.data or "")
        flash(_("通報を受け付けました。ご協力ありがとうございます。") if created
              else _("この内容はすでに通報済みです。"), "success")
        return redirect(back_url)
    return render("moderation/report.html", form=form, target=target, subject=subject,
                  subject_url=back_url, status=422 if form.errors else 200)
