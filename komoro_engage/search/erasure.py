"""Text maps when an account is deleted (APPI): no removed words linger in a stored map.

A map keeps keys (ids) of texts and a few distinctive words, not texts; pages show a
text only while its source says it is public, so a removed proposal or comment
leaves the page at once. Its words may still be among a theme's distinctive words
until the map is computed again: the scrubber rewrites any copy of the person's
nickname, addresses or removed texts in those words, and when texts were removed it
asks for every map to be computed again at the next run of ``map-texts``.
"""

from __future__ import annotations

from sqlalchemy import select

from komoro_engage.accounts.erasure import REMOVED_TEXT, register_copy_scrubber, scrub_text
from komoro_engage.core import clock
from komoro_engage.extensions import db
from komoro_engage.search.models import TextMapSnapshot


def scrub_text_maps(_user, replacements: dict[str, str]) -> None:
    removed_texts = REMOVED_TEXT in replacements.values()
    for snapshot in db.session.scalars(select(TextMapSnapshot)):
        if snapshot.payload:
            clusters = [{**c, "words": [scrub_text(w, replacements) for w in c.get("words", ())]}
                        for c in snapshot.payload.get("clusters", ())]
            if clusters != snapshot.payload.get("clusters", []):
                snapshot.payload = {**snapshot.payload, "clusters": clusters}
        if removed_texts and snapshot.requested_at is None:
            snapshot.requested_at = clock.now()
    db.session.flush()


def register() -> None:
    register_copy_scrubber(scrub_text_maps)
