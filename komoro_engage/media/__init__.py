"""Photos: verified, cleaned, re-encoded uploads and the routes that serve them."""

from komoro_engage.media.blueprint import bp

__all__ = ["bp"]
