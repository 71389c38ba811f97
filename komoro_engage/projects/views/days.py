"""Activity days, RSVPs (htmx), attendance, progress reports, calendar feeds and the poster."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from komoro_engage.core import clock
from komoro_engage.core.clock import JAPAN
from komoro_engage.core.dates import time_span
from komoro_engage.core.forms import ActionForm, choices
from komoro_engage.core.guards import load_permitted
from komoro_engage.core.htmx import is_htmx, render, render_form
from komoro_engage.core.limits import rate_limit_key
from komoro_engage.core.security import map_page
from komoro_engage.core.transaction import writes_on_get
from komoro_engage.extensions import db, limiter
from komoro_engage.media.forms import store_uploads
from komoro_engage.plan.place_forms import fill_place, prepare_landmark_choices
from komoro_engage.projects import activity_queries, calendar, permissions, queries
from komoro_engage.projects.activities import (
    DayData,
    DayNotBegun,
    ReportData,
    calendar_token,
    file_report,
    reset_calendar_token,
    save_activity_day,
)
from komoro_engage.projects.forms import NOT_BEGUN, ActivityDayForm, AttendanceForm, ReportForm
from komoro_engage.projects.membership import (
    DayFull,
    cancel_rsvp,
    membership,
    record_attendance,
    rsvp,
)
from komoro_engage.projects.models import ActivityDay, MemberStatus, Project
from komoro_engage.projects.poster import qr_svg


def _day_data(form: ActivityDayForm) -> DayData:
    return DayData(day=form.day.data, start=form.start.data, end=form.end.data,
                   title=form.title.data or "", place=form.place.data,
                   capacity=form.capacity.data, point=form.point(),
                   landmark=form.chosen_landmark())


@login_required
@map_page
def new_day(project_id: int):
    project = load_permitted(Project, project_id, permissions.can_manage)
    form = ActivityDayForm()
    prepare_landmark_choices(form)
    if form.validate_on_submit():
        save_activity_day(current_user, project, _day_data(form))
        flash(_("活動日を追加しました。"), "success")
        return redirect(url_for("projects.detail", project_id=project.id) + "#days")
    return render_form("projects/day_form.html", form, project=project, day=None)


@login_required
@map_page
def edit_day(day_id: int):
    """Organisers correct the date, time, place or capacity (the UIDs in feeds stay)."""
    day = db.get_or_404(ActivityDay, day_id)
    project = load_permitted(Project, day.project_id, permissions.can_manage)
    form = ActivityDayForm(obj=None if request.method == "POST" else day)
    prepare_landmark_choices(form)
    if form.validate_on_submit():
        save_activity_day(current_user, project, _day_data(form), day)
        flash(_("活動日を更新しました。"), "success")
        return redirect(url_for("projects.detail", project_id=project.id) + f"#day-{day.id}")
    if request.method == "GET":
        starts, ends = (clock.as_utc(day.starts_at).astimezone(JAPAN),
                        clock.as_utc(day.ends_at).astimezone(JAPAN))
        form.day.data, form.start.data, form.end.data = starts.date(), starts.time(), ends.time()
        fill_place(form, day)
    return render_form("projects/day_form.html", form, project=project, day=day)


def _day_for_rsvp(day_id: int) -> ActivityDay:
    day = db.get_or_404(ActivityDay, day_id)
    mine = membership(current_user, day.project)
    joined = mine is not None and mine.status == MemberStatus.JOINED
    allowed = permissions.can_rsvp(current_user, day.project,
                                   joined or permissions.can_manage(current_user, day.project))
    if not allowed or not ActionForm().validate():
        abort(403)
    return day


def _rsvp_response(day: ActivityDay, going: bool, message: str | None = None,
                   done: str | None = None):
    """``message`` is an error; ``done`` says in words what the tap did."""
    if is_htmx():
        return render("projects/_rsvp.html", block="rsvp", day=day, going=going,
                      can_rsvp=True, message=message, toggle_message=done)
    if message:
        flash(message, "error")
    elif done:
        flash(done, "success")
    return redirect(url_for("projects.detail", project_id=day.project_id) + f"#day-{day.id}")


@login_required
@limiter.limit("60 per hour", key_func=rate_limit_key)
def rsvp_day(day_id: int):
    """参加します: in place with htmx, or a plain form and a redirect."""
    day = _day_for_rsvp(day_id)
    try:
        rsvp(current_user, day)
    except DayFull:
        db.session.rollback()
        return _rsvp_response(day, False, _("この活動日は満員です。"))
    return _rsvp_response(day, True, done=_("この日の参加を申し込みました。"))


@login_required
def cancel_day(day_id: int):
    day = _day_for_rsvp(day_id)
    cancel_rsvp(current_user, day)
    return _rsvp_response(day, False, done=_("この日の参加をやめました。"))


@login_required
def attendance(day_id: int):
    """Organisers tick who came and give the total (walk-ins included)."""
    day = db.get_or_404(ActivityDay, day_id)
    if not permissions.can_manage(current_user, day.project):
        abort(403)
    if not day.has_begun:  # nobody has come yet: say when it can be recorded
        return render("projects/attendance.html", form=None, day=day, project=day.project,
                      status=422 if request.method == "POST" else 200)
    rsvps = activity_queries.rsvps_of_day(day)
    form = AttendanceForm()
    form.attended.choices = choices(*[(r.user_id, r.user.nickname) for r in rsvps])
    if form.validate_on_submit():
        record_attendance(current_user, day, form.attended.data or [], form.count.data)
        flash(_("出席を記録しました。"), "success")
        return redirect(url_for("projects.detail", project_id=day.project_id) + f"#day-{day.id}")
    if not form.is_submitted():
        form.attended.data = [r.user_id for r in rsvps if r.attended]
        form.count.data = day.attendance_count
    return render_form("projects/attendance.html", form, day=day, project=day.project)


@login_required
@limiter.limit("20 per hour", key_func=rate_limit_key, methods=["POST"])
def new_report(project_id: int):
    """An organiser files a 活動報告 (or the completion report) with photos."""
    project = load_permitted(Project, project_id, permissions.can_report)
    # A report tells what happened: only days that have begun can be chosen.
    all_days = activity_queries.activity(project).days
    days = [day for day in all_days if day.has_begun]
    form = ReportForm()
    form.days_not_begun = frozenset(str(day.id) for day in all_days if not day.has_begun)
    form.activity_day.choices = choices(("", _("選ばない")), *[
        (str(d.id), f"{time_span(d.starts_at, d.ends_at)} {d.title or d.place}") for d in days])
    if form.validate_on_submit():
        photos = store_uploads(form.photos, current_user)
        if photos is not None and _filed(project, form, photos):
            flash(_("活動報告を掲載しました。"), "success")
            return redirect(url_for("projects.detail", project_id=project.id) + "#reports")
    return render_form("projects/report_form.html", form, project=project)


def _filed(project: Project, form: ReportForm, photos) -> bool:
    """File the report; False (with the field's error) if its day has not begun after all."""
    try:
        file_report(current_user, project, ReportData(
            body=form.body.data, attendance_count=form.attendance_count.data,
            volunteer_hours=(float(form.volunteer_hours.data)
                             if form.volunteer_hours.data is not None else None),
            activity_day_id=int(form.activity_day.data) if form.activity_day.data else None,
            is_completion=form.is_completion.data, outcomes=form.outcomes.data or ""), photos)
    except DayNotBegun:
        form.activity_day.errors.append(str(NOT_BEGUN))
        return False
    return True


def _ics(body: bytes, filename: str) -> Response:
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'inline; filename="{filename}"',
        "Cache-Control": "private, max-age=300"})


def project_calendar(project_id: int):
    project = load_permitted(Project, project_id, permissions.can_view, refused=404)
    return _ics(calendar.project_feed(project), f"project-{project.id}.ics")


def person_calendar(token: str):
    """A person's RSVPs, at a secret address a calendar app can subscribe to."""
    user = calendar.user_for_token(token) if len(token) <= 64 else None
    if user is None or not user.is_active:
        abort(404)
    return _ics(calendar.person_feed(user, _("こもろ協働ひろば 参加予定")), "my-activity-days.ics")


@writes_on_get
@login_required
def my_calendar():
    """Where a person finds (and can renew) their calendar subscription address."""
    token = calendar_token(current_user)
    url = current_app.config["BASE_URL"].rstrip("/") + url_for("projects.person_calendar",
                                                                token=token)
    return render("projects/my_calendar.html", feed_url=url, action_form=ActionForm())


@login_required
def reset_my_calendar():
    if not ActionForm().validate():
        abort(403)
    reset_calendar_token(current_user)
    flash(_("カレンダーのアドレスを新しくしました。古いアドレスは使えなくなります。"), "success")
    return redirect(url_for("projects.my_calendar"))


def poster(project_id: int):
    """A printable A4 poster with a QR code to the project page."""
    project = queries.project_detail(project_id)
    if not permissions.can_view(current_user, project):
        abort(404)
    url = current_app.config["BASE_URL"].rstrip("/") + url_for("projects.detail",
                                                                project_id=project.id)
    days = [d for d in activity_queries.activity(project).days]
    return render("projects/poster.html", project=project, url=url, qr=qr_svg(url),
                  days=days[:6])
