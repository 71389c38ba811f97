"""Who may keep a response: ``Cache-Control`` on every answer.

The policy, decided once here:

- **Signed in**: ``private, no-store``. Everything shown to a person (their email on
  /account, their drafts, the bell) stays off shared caches and off the disk of a
  shared computer. Only responses that say ``public`` themselves are left alone: their
  bytes are the same for everyone (a photo of a public proposal, static files).
- **A visitor's reading page** (the pages of ``page_cache.for_visitors``: the plan,
  proposal and project lists and pages, the dashboard): ``private, no-cache``. Every
  page carries the visitor's own CSRF token (the language switch, htmx's headers) and
  may set their session cookie, so no shared cache may keep it; the browser may keep
  it for Back and must ask again otherwise. Freshness comes from the app's own page
  cache, which is invalidated at once by any change to public data.
- **Everything else for a visitor** (sign-in, sign-up, password reset, any page with a
  form, errors, redirects): ``private, no-store``, unless the view set its own policy
  (a public calendar feed).

Static files keep Flask's (nginx serves them in production with its own headers).
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request, session

from komoro_engage.core.page_cache import is_reading_page

PERSONAL = "private, no-store"
READING = "private, no-cache"


def register(app: Flask) -> None:
    app.after_request(set_cache_control)


def set_cache_control(response: Response) -> Response:
    """Apply the policy above to ``response``."""
    if request.endpoint == "static" or response.cache_control.public:
        return response
    if carries_a_person():
        response.headers["Cache-Control"] = PERSONAL
    elif is_reading_page():
        response.headers["Cache-Control"] = READING
    elif "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = PERSONAL
    return response


def carries_a_person() -> bool:
    """Whether the request is (or has just become) someone's: Flask-Login's session entry
    or remember cookie. Read without loading the account, so this never needs the database."""
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return "_user_id" in session or remember in request.cookies
