"""Photos: verified, cleaned, re-encoded uploads and the routes that serve them."""

from komoro_engage.media import erasure, storage
from komoro_engage.media.blueprint import bp

storage.register()  # backups copy the photo files each database snapshot names
erasure.register()  # account deletion removes the person's photos if they ask

__all__ = ["bp"]
