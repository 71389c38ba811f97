"""The staff blueprint with all its routes (imported by the app factory)."""

from komoro_engage.staff import views_audit, views_proposal  # noqa: F401  (routes on bp
from komoro_engage.staff.views import bp

__all__ = ["bp"]
