"""Every URL of projects, in one table (see core/urls.py): methods, rule, view.

The endpoint of each is "projects.<view name>".
"""

from __future__ import annotations

from komoro_engage.core.urls import blueprint
from komoro_engage.projects import labels
from komoro_engage.projects.views import days, messages, pages, people

bp = blueprint("projects", __name__, views=(days, messages, pages, people), urls="""
    # views/days.py
    GET POST   /projects/<int:project_id>/days/new                                  days.new_day
    GET POST   /activity-days/<int:day_id>/edit                                     days.edit_day
    POST       /activity-days/<int:day_id>/rsvp                                     days.rsvp_day
    POST       /activity-days/<int:day_id>/cancel                                   days.cancel_day
    GET POST   /activity-days/<int:day_id>/attendance                               days.attendance
    GET POST   /projects/<int:project_id>/reports/new                               days.new_report
    GET        /projects/<int:project_id>/calendar.ics                              days.project_calendar
    GET        /calendar/<token>.ics                                                days.person_calendar
    GET        /projects/my-calendar                                                days.my_calendar
    POST       /projects/my-calendar/reset                                          days.reset_my_calendar
    GET        /projects/<int:project_id>/poster                                    days.poster
    # views/messages.py
    GET POST   /projects/<int:project_id>/messages/new                              messages.new_message
    GET        /projects/<int:project_id>/messages                                  messages.message_list
    GET        /project-messages/<int:message_id>                                   messages.message_detail
    # views/pages.py
    GET        /projects                                                            pages.index
    GET        /projects/<int:project_id>                                           pages.detail
    POST       /projects/<int:project_id>/comments                                  pages.comment
    GET POST   /projects/new                                                        pages.new
    GET POST   /proposals/<int:proposal_id>/project                                 pages.from_proposal
    GET POST   /projects/<int:project_id>/edit                                      pages.edit
    POST       /projects/<int:project_id>/status/<action>                           pages.set_status
    # views/people.py
    GET POST   /projects/<int:project_id>/join                                      people.join
    POST       /projects/<int:project_id>/leave                                     people.leave
    GET        /projects/<int:project_id>/members                                   people.members
    GET POST   /projects/<int:project_id>/partners/request                          people.request_partner
    GET POST   /projects/<int:project_id>/partners/new                              people.add_partner_view
    POST       /project-partners/<int:partner_id>/<any(accept, decline):decision>   people.decide_partner
    POST       /project-partners/<int:partner_id>/remove                            people.remove_partner_view
""")

labels.register(bp)  # status names, permission predicates for templates
