"""The one place that decides between a full page and an htmx fragment.

Everything else calls :func:`render`; flask-htmx stays behind this module.
"""

from __future__ import annotations

from flask import Response, make_response, render_template, url_for
from jinja2_fragments.flask import render_block

from komoro_engage.extensions import htmx


def wants_fragment() -> bool:
    """An htmx request that is neither boosted nor a history restore."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def is_htmx() -> bool:
    return bool(htmx)


def render(template: str, block: str = "content", status: int = 200, **context) -> Response:
    """Render ``template`` whole, or only its ``block`` for an htmx request."""
    if wants_fragment():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def render_form(template: str, form, **context) -> Response:
    """A form's page (``form`` in the context): 422 once the form has errors to show."""
    return render(template, form=form, status=422 if form.errors else 200, **context)


def render_list(template: str, endpoint: str, filters, **context) -> Response:
    """A filtered list page (proposals, projects); under htmx only its ``results`` block,
    with the address bar set to the tidy URL (no empty fields) a shared link would use."""
    response = render(template, block="results", filters=filters, **context)
    if is_htmx():
        response.headers["HX-Push-Url"] = url_for(endpoint, **filters.query_args())
    return response


def client_redirect(location: str) -> Response:
    """Send the browser to ``location``: a real redirect, or ``HX-Redirect`` for htmx.

    A plain 302 would make htmx swap the target page into the clicked element.
    """
    if is_htmx():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = location
        return response
    return make_response("", 302, {"Location": location})
