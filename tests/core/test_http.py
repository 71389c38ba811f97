"""Security headers, CSRF and error pages (health: test_health_metrics.py)."""

import re

import pytest
from sqlalchemy import text

from komoro_engage import create_app
from komoro_engage.core.redirects import is_safe_path
from komoro_engage.core.security import CONTENT_SECURITY_POLICY
from komoro_engage.extensions import db


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(app):
    if not app.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("SQLite pragmas only apply to SQLite")
    with app.app_context(), db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 10_000


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert csp == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers  # production only


def test_hsts_in_production_settings(app, client):
    app.config["HSTS"] = True
    try:
        assert "max-age" in client.get("/healthz").headers["Strict-Transport-Security"]
    finally:
        app.config["HSTS"] = False


def test_pages_have_no_inline_script_or_style(client):
    html = client.get("/").get_data(as_text=True)
    htmx = re.compile(r'<script src="/static/vendor/htmx-2\.0\.4\.min\.js\?v=\w+" defer></script>')
    assert "<script>" not in html and "<script " not in htmx.sub("", html)
    assert " style=" not in html and "<style" not in html
    assert " on" + "click=" not in html


def test_post_without_csrf_token_gets_a_friendly_400(app):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = app.test_client().post("/lang", data={"lang": "en"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "フォームを送信できませんでした" in html and '<main id="main"' in html


def test_csrf_token_in_htmx_header_is_accepted(app):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        html = client.get("/").get_data(as_text=True)
        token = html.split('name="csrf-token" content="')[1].split('"')[0]
        assert f'hx-headers=\'{{"X-CSRFToken": "{token}"}}\'' in html
        response = client.post("/lang", data={"lang": "en"}, headers={"X-CSRFToken": token})
        wrong = client.post("/lang", data={"lang": "en"}, headers={"X-CSRFToken": "forged"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 302
    assert wrong.status_code == 400


def test_unexpected_error_gets_the_500_page(app):
    other = create_app("testing", DATABASE_URL=app.config["DATABASE_URL"],
                       PROPAGATE_EXCEPTIONS=False)

    @other.get("/_boom_for_test")
    def boom():
        raise RuntimeError("boom")

    response = other.test_client().get("/_boom_for_test")
    assert response.status_code == 500
    assert "システムでエラーが発生しました" in response.get_data(as_text=True)


@pytest.mark.parametrize("target", ["/", "/proposals?page=2", "/plan/measures/1-2"])
def test_local_paths_are_safe(target):
    assert is_safe_path(target)


@pytest.mark.parametrize(
    "target",
    ["//evil.example", "/\\evil.example", "https:evil", "https://evil.example", "evil",
     "/%2F%2Fevil.example", "%2F%2Fevil.example", "/\t/evil.example", "", None,
     "/%5Cevil.example", "javascript:alert(1)"],
)
def test_foreign_or_tricky_targets_are_refused(target):
    assert not is_safe_path(target)
