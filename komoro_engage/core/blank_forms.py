"""Blank forms rendered once per worker and language, filled in per request.

A signed-in page shows forms nobody has typed in yet: the comment form under every
proposal and project. Building the WTForms form and rendering its fields was about a
twelfth of a proposal page (issue 16), for HTML that is the same for every reader but
for two things: the CSRF token and the address the form posts to. So the form is
rendered once per language with markers in their place, and each request writes its own
token and values over the markers.

Only a blank form may be kept: one with what a person typed, or with errors, is
rendered as usual. With the template reloader on (``make run``), nothing is kept, so an
edited template shows at once. A form whose choices come from the plan (the console's
measure menu) is kept with the plan's fragments instead (``core/fragments.py``), and built
afresh once the plan changes.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from komoro_engage.core.fragments import from_plan
from komoro_engage.core.i18n import language_key

EXTENSION = "komoro_blank_forms"
_CSRF_MARKER = "blank-form-csrf"  # where the CSRF token goes


def _marker(name: str) -> str:
    return f"blank-form-value-{name}"


def blank_form(name: str | tuple, build: Callable[[dict[str, str]], str], *,
               with_plan: bool = False, **values: str) -> Markup:
    """The blank form ``name`` with this request's CSRF token and ``values`` in it.

    ``build(markers)`` renders the form (autoescaped), writing ``markers[key]`` where the
    value of each key of ``values`` goes; the values are escaped when written in.
    ``with_plan``: the form shows choices read from the plan, and is kept only while the
    plan is unchanged.
    """
    markers = {key: _marker(key) for key in values}
    config = current_app.config
    # Tests and settings may switch CSRF off: a form kept without its field stays so.
    settings = (config.get("WTF_CSRF_ENABLED", True),
                config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))

    def render() -> str:
        # The token in the fields is this request's (Flask-WTF keeps one per request).
        return str(build(markers)).replace(generate_csrf(), _CSRF_MARKER)

    if current_app.jinja_env.auto_reload:  # an edited template shows at once
        html = render()
    elif with_plan:  # kept per language and plan version
        html = str(from_plan(("blank-form", name, *settings), render))
    else:
        html = _kept_by_language((name, language_key(), *settings), render)
    # A real token, as a form field would write: a visitor's page with it is not kept
    # for other visitors (core/page_cache.py).
    html = html.replace(_CSRF_MARKER, generate_csrf())
    for value_name, value in values.items():
        html = html.replace(markers[value_name], str(escape(value)))
    return Markup(html)  # noqa: S704 - an autoescaped template's HTML, values escaped in


def _kept_by_language(key: tuple, render: Callable[[], str]) -> str:
    kept: dict[tuple, str] = current_app.extensions.setdefault(EXTENSION, {})
    html = kept.get(key)
    if html is None:
        html = kept[key] = render()
    return html
