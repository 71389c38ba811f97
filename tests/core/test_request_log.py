"""Request ids (header, error pages, every log record) and one JSON log line per request."""

from __future__ import annotations

import json
import logging
import re

import pytest
from sqlalchemy import event

from komoro_engage import create_app
from komoro_engage.accounts.models import User
from komoro_engage.core.request_log import LOGGER
from komoro_engage.extensions import db
from tests.factories import make_user

GENERATED = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def request_lines(caplog):
    """The request log's lines, parsed, as the requests of the test end."""
    caplog.set_level(logging.INFO, logger=LOGGER)

    def lines() -> list[dict]:
        return [json.loads(record.getMessage()) for record in caplog.records
                if record.name == LOGGER]

    return lines


@pytest.fixture
def boom_app(app):
    """An app of its own whose test route fails, answered with the 500 page."""
    built = create_app("testing", DATABASE_URL=app.config["DATABASE_URL"],
                       STORAGE_DIR=app.config["STORAGE_DIR"], PROPAGATE_EXCEPTIONS=False)

    @built.get("/_boom")
    def boom():
        raise RuntimeError("boom")

    @built.post("/_duplicate_email")
    def duplicate_email():
        db.session.add(User(email="taken@example.jp", nickname="重複その1"))
        db.session.add(User(email="taken@example.jp", nickname="重複その2"))
        return "never kept"  # the request's commit fails on the unique email

    yield built
    with built.app_context():
        db.engine.dispose()


def test_each_response_carries_a_new_request_id(client):
    first = client.get("/healthz").headers["X-Request-Id"]
    second = client.get("/healthz").headers["X-Request-Id"]
    assert GENERATED.fullmatch(first) and GENERATED.fullmatch(second)
    assert first != second


def test_the_proxys_request_id_is_kept_when_it_is_sane(client):
    nginx_id = "0f3c9a7d2b4e4f1a8c6d5e4f3a2b1c0d"
    response = client.get("/healthz", headers={"X-Request-Id": nginx_id})
    assert response.headers["X-Request-Id"] == nginx_id


@pytest.mark.parametrize("sent", ["short", "x" * 65, "abc def ghi", "<script>x</script>",
                                  "id\r\nSet-Cookie: a=b", "\u00e9t\u00e9-request-id"])
def test_an_odd_incoming_request_id_is_replaced(client, sent):
    # In the environ: werkzeug's test client refuses to send such headers itself.
    response = client.get("/healthz", environ_base={"HTTP_X_REQUEST_ID": sent})
    assert GENERATED.fullmatch(response.headers["X-Request-Id"])


def test_the_404_page_shows_the_request_id_a_resident_can_quote(client):
    response = client.get("/no-such-page", headers={"X-Request-Id": "quote-me-12345678"})
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert response.headers["X-Request-Id"] == "quote-me-12345678"
    assert "お問い合わせの際はこの番号をお伝えください：<code>quote-me-12345678</code>" in html


def test_the_english_404_page_says_it_in_english(client):
    client.set_cookie("lang", "en")
    html = client.get("/no-such-page").get_data(as_text=True)
    assert "please quote this number" in html


def test_the_500_page_and_the_error_log_carry_the_request_id(boom_app, caplog, request_lines):
    response = boom_app.test_client().get("/_boom")
    assert response.status_code == 500
    request_id = response.headers["X-Request-Id"]
    assert GENERATED.fullmatch(request_id)
    html = response.get_data(as_text=True)
    assert "システムでエラーが発生しました" in html and f"<code>{request_id}</code>" in html
    [error] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert error.request_id == request_id and error.exc_info is not None
    [line] = request_lines()
    assert line["request_id"] == request_id and line["status"] == 500


def test_api_errors_carry_the_request_id(client):
    response = client.get("/api/v1/proposals/999999")
    assert response.status_code == 404
    assert response.json["error"]["request_id"] == response.headers["X-Request-Id"]


def test_one_json_line_per_request_with_its_fields(client, request_lines):
    response = client.get("/proposals?q=secret-search&page=2",
                          environ_base={"REMOTE_ADDR": "198.51.100.7"})
    [line] = request_lines()
    assert set(line) == {"time", "request_id", "method", "path", "endpoint", "status",
                         "duration_ms", "client", "user_id"}
    assert line["request_id"] == response.headers["X-Request-Id"]
    assert line["method"] == "GET" and line["path"] == "/proposals"  # no query string
    assert line["endpoint"] == "proposals.index" and line["status"] == 200
    assert line["client"] == "198.51.100.7" and line["user_id"] is None
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["time"].endswith("+00:00")


def test_the_line_names_the_signed_in_person_by_id_only(app, login, request_lines):
    with app.app_context():
        user = make_user(email="private-person@example.jp", nickname="ログの住民")
        db.session.commit()
        db.session.refresh(user)
        db.session.expunge(user)
    login(user).get("/account")
    [line] = request_lines()
    assert line["user_id"] == user.id and line["endpoint"] == "accounts.account"
    assert "private-person@example.jp" not in json.dumps(line)


def test_tokens_in_the_path_are_masked(client, request_lines):
    client.get("/verify/a-signed-verification-token")
    client.get("/password/reset/a-signed-reset-token")
    paths = [line["path"] for line in request_lines()]
    assert paths == ["/verify/[masked]", "/password/reset/[masked]"]


def test_a_failed_commit_is_logged_without_the_values_it_held(boom_app, caplog):
    """SQL parameters (emails, password hashes) never reach the log (hide_parameters)."""
    caplog.set_level(logging.INFO)
    response = boom_app.test_client().post("/_duplicate_email")
    assert response.status_code == 500
    assert "The request's commit failed" in caplog.text
    assert "taken@example.jp" not in caplog.text


def test_production_writes_json_lines_to_stderr(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("KOMORO_SECRET_KEY", "z" * 48)
    production = create_app("production", DATABASE_URL=f"sqlite:///{tmp_path / 'p.db'}",
                            RATELIMIT_MEMORY_OK=True)  # one process here: no Redis needed
    production.test_client().get("/healthz?token=not-logged",
                                 headers={"X-Request-Id": "from-nginx-000001"})
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [(line["request_id"], line["path"], line["status"]) for line in lines] == [
        ("from-nginx-000001", "/healthz", 200)]


def test_a_mistyped_log_handler_stops_the_app_at_start(app):
    with pytest.raises(RuntimeError, match="KOMORO_LOG_HANDLER"):
        create_app("testing", DATABASE_URL=app.config["DATABASE_URL"], LOG_HANDLER="journal")


def test_tests_are_quiet_unless_they_ask(client, capsys):
    client.get("/healthz")
    assert capsys.readouterr().err == ""


def test_the_request_line_costs_no_query(app, login, caplog):
    """The person's id is read from the identity map, not from the expired row."""
    with app.app_context():
        user = make_user(nickname="数える住民")
        db.session.commit()
        db.session.refresh(user)
        db.session.expunge(user)
    client = login(user)
    statements: list[str] = []

    def count(*args):
        statements.append(args[2])

    def run() -> int:
        statements.clear()
        client.get("/account")
        return len(statements)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        quiet = run()
        caplog.set_level(logging.INFO, logger=LOGGER)
        logged = run()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert json.loads(caplog.records[-1].getMessage())["user_id"] == user.id
    assert logged == quiet
