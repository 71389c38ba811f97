"""Every URL of consultations, in one table (see core/urls.py): methods, rule, view.

The endpoint of each is "consultations.<view name>".
"""

from __future__ import annotations

from komoro_engage.consultations import labels
from komoro_engage.consultations.views import manage, open_data, public
from komoro_engage.core.urls import blueprint

bp = blueprint("consultations", __name__, views=(public, manage, open_data), urls="""
    # views/public.py: the list, a consultation's page, statements and votes
    GET        /consultations                                                        public.index
    GET        /consultations/<int:consultation_id>                                  public.detail
    POST       /consultations/<int:consultation_id>/statements                       public.add_statement
    POST       /statements/<int:statement_id>/vote                                   public.vote
    GET POST   /statements/<int:statement_id>/report                                 public.report_statement
    # views/open_data.py: the vote matrix and the statements in Polis's CSV layouts
    GET        /consultations/<int:consultation_id>/participants-votes.csv           open_data.participants_votes
    GET        /consultations/<int:consultation_id>/statements.csv                   open_data.statements
    # views/manage.py: staff create, edit, open and close; moderation and proxy entry
    GET        /staff/consultations                                                  manage.staff_list
    GET POST   /staff/consultations/new                                              manage.new
    GET        /staff/consultations/<int:consultation_id>                            manage.manage
    GET POST   /staff/consultations/<int:consultation_id>/edit                       manage.edit
    POST       /staff/consultations/<int:consultation_id>/<any('open', 'close'):action>  manage.set_status
    POST       /staff/consultations/<int:consultation_id>/proxy                      manage.proxy_statement
    POST       /staff/consultations/<int:consultation_id>/refresh                    manage.refresh
    POST       /staff/statements/<int:statement_id>/<any('approve', 'hide', 'restore', 'dismiss'):action>  manage.moderate
""")

labels.register(bp)  # status names, vote names, permission predicates for templates
