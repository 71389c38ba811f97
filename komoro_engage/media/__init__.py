"""Photos: verified, cleaned, re-encoded uploads and the routes that serve them."""

from komoro_engage.media import storage
from komoro_engage.media.blueprint import bp

storage.register()  # backups copy the photo files each database snapshot names

__all__ = ["bp"]
