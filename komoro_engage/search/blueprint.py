"""Every URL of the free-text map (市民の声の地図), in one table (see core/urls.py).

The endpoint of each is "search.<view name>".
"""

from __future__ import annotations

from komoro_engage.core.urls import blueprint
from komoro_engage.search import views

bp = blueprint("search", __name__, views=(views,), urls="""
    GET        /voices/measures/<int:ident>                                  views.measure_map
    GET        /voices/years/<int:ident>                                     views.year_map
    GET        /voices/consultations/<int:ident>                             views.consultation_map
    GET        /voices/surveys/<int:ident>                                   views.survey_map
    GET POST   /voices/<any(measure,year,consultation,survey):kind>/<int:ident>/clusters/<cluster_key>/label  views.rename
    POST       /voices/<any(measure,year,consultation,survey):kind>/<int:ident>/refresh  views.refresh
""")
