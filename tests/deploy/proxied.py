"""The app as tests/deploy/test_nginx.py serves it behind nginx, trusting one proxy hop.

The setting ``KOMORO_TRUSTED_PROXIES`` (issue 14, point 2) applies Werkzeug's
ProxyFix in the product; until this branch has it, the same ProxyFix is applied
here, in the test only. Served as ``gunicorn 'tests.deploy.proxied:create_proxied_app()'``.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import CONFIGS
from komoro_engage import create_app


def create_proxied_app() -> Flask:
    app = create_app()
    if not hasattr(CONFIGS[app.config["ENV_NAME"]], "TRUSTED_PROXIES"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    return app
