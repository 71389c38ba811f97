"""Security headers on every response."""

from __future__ import annotations

from functools import wraps

from flask import Flask, Response, current_app, make_response

# No inline script or style anywhere: htmx is loaded from /static and its
# indicator styles are switched off in <meta name="htmx-config">.
# Map pages (issue 21) also load the 国土地理院 tiles: only that host, only there.
MAP_TILE_HOST = "https://cyberjapandata.gsi.go.jp"


def _policy(img_src: str) -> str:
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        f"img-src {img_src}",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


CONTENT_SECURITY_POLICY = _policy("'self' data:")
MAP_CONTENT_SECURITY_POLICY = _policy(f"'self' data: {MAP_TILE_HOST}")


def map_page(view):
    """Views whose page shows a map: their CSP lets the tile host's images in (kept with
    the page when the page cache keeps it, as the header is part of the response)."""

    @wraps(view)
    def with_tiles(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        response.headers["Content-Security-Policy"] = MAP_CONTENT_SECURITY_POLICY
        return response

    return with_tiles


def register(app: Flask) -> None:
    from komoro_engage.core import cache_headers

    app.after_request(add_security_headers)
    cache_headers.register(app)


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config.get("HSTS"):
        headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
    return response
