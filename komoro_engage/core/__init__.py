"""Cross-feature plumbing: htmx rendering, errors, security headers, i18n, CLI."""

from komoro_engage.core.blueprint import bp

__all__ = ["bp"]
