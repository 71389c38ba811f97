"""Every URL of surveys, in one table (see core/urls.py): methods, rule, view.

The endpoint of each is "surveys.<view name>".
"""

from __future__ import annotations

from komoro_engage.core.urls import blueprint
from komoro_engage.surveys import labels
from komoro_engage.surveys.views import builder, measuring, polls, public, staff

bp = blueprint("surveys", __name__, views=(builder, measuring, polls, public, staff), urls="""
    # views/public.py
    GET        /surveys                                                   public.index
    GET        /surveys/<int:survey_id>                                   public.detail
    GET POST   /surveys/<int:survey_id>/answer                            public.answer
    GET        /surveys/<int:survey_id>/results                           public.results_page
    GET        /surveys/<int:survey_id>/results.csv                       public.results_csv
    GET        /surveys/<int:survey_id>/results/by/<any(district, age_band):dimension>  public.results_by
    # views/builder.py
    GET        /staff/surveys                                             builder.manage
    GET POST   /staff/surveys/new                                         builder.new
    GET POST   /staff/surveys/<int:survey_id>                             builder.edit
    POST       /staff/surveys/<int:survey_id>/sections                    builder.add_section
    GET POST   /staff/survey-sections/<int:section_id>/questions/new      builder.add_question
    GET POST   /staff/survey-questions/<int:question_id>/wording          builder.fix_wording
    POST       /staff/survey-questions/<int:question_id>/delete           builder.delete_question
    POST       /staff/survey-questions/<int:question_id>/<any(up, down):direction>  builder.move_question
    POST       /staff/survey-sections/<int:section_id>/delete             builder.delete_section
    POST       /staff/survey-sections/<int:section_id>/<any(up, down):direction>  builder.move_section
    POST       /staff/surveys/<int:survey_id>/<any(publish, close):action>  builder.set_status
    # views/staff.py
    GET POST   /staff/surveys/<int:survey_id>/paper                       staff.paper_entry
    GET        /staff/surveys/<int:survey_id>/texts                       staff.texts
    POST       /staff/survey-answers/<int:answer_id>/<any(approve, hide):decision>  staff.review_text
    GET        /staff/surveys/<int:survey_id>/results.xlsx                staff.results_xlsx
    # views/polls.py
    GET POST   /staff/polls/new                                           polls.new_poll
    POST       /polls/<int:survey_id>/vote                                polls.vote
    # views/measuring.py
    GET POST   /staff/surveys/<int:survey_id>/indicators                  measuring.link_indicator
    POST       /staff/survey-indicators/<int:link_id>/confirm             measuring.confirm_indicator
""")

labels.register(bp)  # status and kind names, permission predicates for templates
