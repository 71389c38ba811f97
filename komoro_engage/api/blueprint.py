"""Every URL of api, in one table (see core/urls.py): methods, rule, view.

The endpoint of each is "api.<view name>".
"""

from __future__ import annotations

from komoro_engage.api.views import budgets, consultations, evaluations, plan_and_items, surveys
from komoro_engage.core.urls import blueprint

VIEWS = (budgets, consultations, evaluations, plan_and_items, surveys)
bp = blueprint("api", __name__, url_prefix="/api/v1", views=VIEWS, urls="""
    # views/consultations.py
    GET   /consultations                 consultations.consultations
    GET   /consultations/<int:consultation_id>/analysis   consultations.consultation_analysis
    # views/evaluations.py
    GET   /evaluations                   evaluations.evaluations
    GET   /indicators                    evaluations.indicators
    # views/budgets.py
    GET   /budgets                            budgets.budgets
    GET   /budgets/<int:process_id>/results   budgets.budget_results
    # views/plan_and_items.py
    GET   /plan                          plan_and_items.plan
    GET   /proposals                     plan_and_items.proposals
    GET   /projects                      plan_and_items.projects
    GET   /projects/<int:project_id>     plan_and_items.project
    GET   /proposals/<int:proposal_id>   plan_and_items.proposal
    GET   /openapi.json                  plan_and_items.openapi
    # views/surveys.py
    GET   /surveys                       surveys.surveys
    GET   /surveys/<int:survey_id>       surveys.survey
""")
