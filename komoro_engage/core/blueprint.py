"""Every URL of core, in one table (see core/urls.py): methods, rule, view.

The endpoint of each is "core.<view name>".
"""

from __future__ import annotations

from komoro_engage.core import views
from komoro_engage.core.urls import blueprint

bp = blueprint("core", __name__, views=(views,), urls="""
    GET    /healthz   views.healthz
    GET    /readyz    views.readyz
    GET    /metrics   views.metrics_page
    POST   /lang      views.set_language
    GET    /settings/display  views.display_settings
    POST   /display   views.set_display
""")
