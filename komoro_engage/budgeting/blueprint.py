"""Every URL of 市民予算, in one table (see core/urls.py): methods, rule, view.

The endpoint of each is "budgeting.<view name>".
"""

from __future__ import annotations

from komoro_engage.budgeting import labels
from komoro_engage.budgeting.views import manage, public
from komoro_engage.core.urls import blueprint

bp = blueprint("budgeting", __name__, views=(manage, public), urls="""
    # views/public.py
    GET        /budgets                                                             public.index
    GET        /budgets/<int:process_id>                                            public.detail
    GET POST   /budgets/<int:process_id>/vote                                       public.vote
    GET        /budgets/<int:process_id>/results                                    public.results_page
    GET        /budgets/<int:process_id>/results.pb                                 public.pabulib_file
    GET        /budgets/<int:process_id>/my-vote                                    public.my_vote
    # views/manage.py
    GET POST   /staff/budgets/new                                                   manage.new_process
    GET        /staff/budgets/<int:process_id>                                      manage.manage
    GET POST   /staff/budgets/<int:process_id>/edit                                 manage.edit_process
    POST       /staff/budgets/<int:process_id>/districts                            manage.set_district
    POST       /staff/budgets/<int:process_id>/phase                                manage.set_phase
    GET POST   /staff/budgets/<int:process_id>/projects/new                         manage.new_project
    GET POST   /staff/budget-projects/<int:project_id>/edit                         manage.edit_project
    GET POST   /staff/budgets/<int:process_id>/paper                                manage.paper_ballot
    POST       /staff/budgets/<int:process_id>/results/compute                      manage.compute
    POST       /staff/budgets/<int:process_id>/results/publish                      manage.publish
""")

labels.register(bp)  # phase, ballot kind, rule names for templates
