"""Open data: read-only JSON of the plan and public proposals, described by OpenAPI 3.1."""

from komoro_engage.api import evaluations  # noqa: E402, F401  (routes on bp
from komoro_engage.api.views import bp

__all__ = ["bp"]
