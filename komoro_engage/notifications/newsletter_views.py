"""The public archive of sent newsletters (/newsletters): anyone may read what the city sent.

Drafts and newsletters still being sent do not exist here (404).
"""

from __future__ import annotations

from flask import abort, request

from komoro_engage.core.htmx import render
from komoro_engage.core.numbers import page_number
from komoro_engage.extensions import db
from komoro_engage.notifications import newsletters as service
from komoro_engage.notifications.newsletter_models import Newsletter, NewsletterStatus


def newsletters():
    """Sent newsletters, newest first, a page at a time."""
    page = service.sent_page(page_number(request.args.get("page")))
    return render("notifications/newsletters.html", page=page)


def newsletter(newsletter_id: int):
    """One sent newsletter."""
    item = db.session.get(Newsletter, newsletter_id)
    if item is None or item.status != NewsletterStatus.SENT:
        abort(404)
    return render("notifications/newsletter.html", newsletter=item)
