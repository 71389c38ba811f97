"""Security headers on every response."""

from __future__ import annotations

from flask import Flask, Response, current_app

# No inline script or style anywhere: htmx is loaded from /static and its
# indicator styles are switched off in <meta name="htmx-config">.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


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
