"""Photos: verified, cleaned, re-encoded uploads and the routes that serve them."""

from komoro_engage.media.views import bp

__all__ = ["bp"]
