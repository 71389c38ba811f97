"""The security baseline on account pages: CSRF, cookies, headers, htmx sign-in redirects."""

import re
import secrets

import pytest

from komoro_engage import create_app
from komoro_engage.accounts.models import Role
from komoro_engage.core.security import CONTENT_SECURITY_POLICY
from tests.accounts.conftest import PASSWORD


@pytest.fixture
def csrf_app(app):
    """An app of its own with CSRF protection on, as in production."""
    return create_app("testing", DATABASE_URL=app.config["DATABASE_URL"], WTF_CSRF_ENABLED=True)


def token_from(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


@pytest.mark.parametrize("path", ["/login", "/signup", "/password/forgot", "/logout",
                                  "/organisations/new", "/account/delete"])
def test_posts_without_a_csrf_token_get_a_friendly_400(csrf_app, path):
    response = csrf_app.test_client().post(path, data={"email": "a@example.jp"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "フォームを送信できませんでした" in html and '<main id="main"' in html


def test_forms_carry_the_token_and_a_signed_in_htmx_post_sends_it_in_a_header(
        csrf_app, account):
    account(email="csrf@example.jp")
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    assert 'name="csrf_token" type="hidden"' in page
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    signed_in = client.post("/login", data={"email": "csrf@example.jp", "password": PASSWORD,
                                            "csrf_token": token})
    assert signed_in.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert 'action="/logout"' in home  # the sign-out button is a POST form
    header_token = token_from(home)
    forged = client.post("/logout", headers={"X-CSRFToken": "forged", "HX-Request": "true"})
    assert forged.status_code == 400
    assert client.get("/account").status_code == 200
    out = client.post("/logout", headers={"X-CSRFToken": header_token, "HX-Request": "true"})
    assert out.status_code == 302
    assert client.get("/account").status_code == 302


def test_session_cookie_is_httponly_and_lax(account, client):
    account(email="cookie@example.jp")
    response = client.post("/login", data={"email": "cookie@example.jp", "password": PASSWORD,
                                           "remember": "y"})
    cookies = response.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("session="))
    remember = next(c for c in cookies if c.startswith("remember_token="))
    device = next(c for c in cookies if c.startswith("komoro_device="))
    for cookie in (session, remember, device):
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert "Secure" not in cookie  # development and tests run over plain http
    # The device cookie (accounts/devices.py) lasts a year and goes to the sign-in form only.
    assert "Max-Age=31536000" in device and "Path=/login" in device


def test_cookies_are_secure_in_production(app, account):
    account(email="secure@example.jp")
    production = create_app("production", SECRET_KEY=secrets.token_urlsafe(48),
                            DATABASE_URL=app.config["DATABASE_URL"], RATELIMIT_ENABLED=False)
    client = production.test_client()
    page = client.get("/login", base_url="https://localhost").get_data(as_text=True)
    response = client.post(
        "/login", data={"email": "secure@example.jp", "password": PASSWORD, "remember": "y",
                        "csrf_token": token_from(page)},
        base_url="https://localhost", headers={"Referer": "https://localhost/login"})
    assert response.status_code == 302
    cookies = [c for c in response.headers.getlist("Set-Cookie")
               if c.startswith(("session=", "remember_token=", "komoro_device="))]
    assert len(cookies) == 3 and all("Secure" in c and "HttpOnly" in c for c in cookies)
    assert "max-age" in response.headers["Strict-Transport-Security"]


def test_anonymous_htmx_request_to_a_protected_page_gets_a_client_redirect(client):
    response = client.get("/account", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == "/login?next=/account"
    assert response.get_data(as_text=True) == ""
    plain = client.get("/account/data")
    assert plain.status_code == 302 and plain.location == "/login?next=/account/data"


def test_account_pages_have_strict_headers_and_no_inline_script_or_style(
        app, login, ctx_free_user):
    admin = ctx_free_user(role=Role.ADMIN)
    target = ctx_free_user()
    client = login(admin)
    paths = ["/account", "/account/profile", "/account/password", "/account/email",
             "/account/data", "/admin/users", f"/admin/users/{target.id}", "/admin/audit",
             "/organisations", "/organisations/new", "/terms", "/privacy"]
    anonymous = app.test_client()
    for path, page in [(p, client.get(p)) for p in paths] + [
            (p, anonymous.get(p)) for p in ("/login", "/signup", "/password/forgot")]:
        assert page.status_code == 200, path
        assert page.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert page.headers["X-Content-Type-Options"] == "nosniff"
        assert page.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        html = page.get_data(as_text=True)
        scripts = re.findall(r"<script[^>]*>", html)
        assert all('src="/static/' in tag for tag in scripts), path
        assert " style=" not in html and "<style" not in html, path
        assert not re.search(r"\son[a-z]+=", html), path
