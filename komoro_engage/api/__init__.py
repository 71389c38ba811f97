"""Open data: read-only JSON of the plan and public proposals, described by OpenAPI 3.1."""

from komoro_engage.api.blueprint import bp

__all__ = ["bp"]
