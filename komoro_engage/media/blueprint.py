"""Every URL of media, in one table (see core/urls.py): methods, rule, view.

The endpoint of each is "media.<view name>".
"""

from __future__ import annotations

from komoro_engage.core.urls import blueprint
from komoro_engage.media import views

bp = blueprint("media", __name__, url_prefix="/media", views=(views,), urls="""
    GET   /<key>         views.photo
    GET   /<key>/thumb   views.thumbnail
""")
