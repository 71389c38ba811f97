"""Every URL of projects, listed in one place: (rule, view, methods).

The endpoint of each is "projects.<view name>".
"""

from __future__ import annotations

from flask import Blueprint

from komoro_engage.projects import labels
from komoro_engage.projects.views import days, pages, people

bp = Blueprint("projects", __name__)

BOTH, GET, POST = ("GET", "POST"), ("GET",), ("POST",)
URLS = (
    # views/days.py
    ("/projects/<int:project_id>/days/new", days.new_day, BOTH),
    ("/activity-days/<int:day_id>/edit", days.edit_day, BOTH),
    ("/activity-days/<int:day_id>/rsvp", days.rsvp_day, POST),
    ("/activity-days/<int:day_id>/cancel", days.cancel_day, POST),
    ("/activity-days/<int:day_id>/attendance", days.attendance, BOTH),
    ("/projects/<int:project_id>/reports/new", days.new_report, BOTH),
    ("/projects/<int:project_id>/calendar.ics", days.project_calendar, GET),
    ("/calendar/<token>.ics", days.person_calendar, GET),
    ("/projects/my-calendar", days.my_calendar, GET),
    ("/projects/my-calendar/reset", days.reset_my_calendar, POST),
    ("/projects/<int:project_id>/poster", days.poster, GET),
    # views/pages.py
    ("/projects", pages.index, GET),
    ("/projects/<int:project_id>", pages.detail, GET),
    ("/projects/<int:project_id>/comments", pages.comment, POST),
    ("/projects/new", pages.new, BOTH),
    ("/proposals/<int:proposal_id>/project", pages.from_proposal, BOTH),
    ("/projects/<int:project_id>/edit", pages.edit, BOTH),
    ("/projects/<int:project_id>/status/<action>", pages.set_status, POST),
    # views/people.py
    ("/projects/<int:project_id>/join", people.join, BOTH),
    ("/projects/<int:project_id>/leave", people.leave, POST),
    ("/projects/<int:project_id>/members", people.members, GET),
    ("/projects/<int:project_id>/partners/request", people.request_partner, BOTH),
    ("/projects/<int:project_id>/partners/new", people.add_partner_view, BOTH),
    ("/project-partners/<int:partner_id>/<any(accept, decline):decision>",
     people.decide_partner, POST),
    ("/project-partners/<int:partner_id>/remove", people.remove_partner_view, POST),
)
for _rule, _view, _methods in URLS:
    bp.add_url_rule(_rule, view_func=_view, methods=_methods)

labels.register(bp)  # status names, permission predicates for templates
