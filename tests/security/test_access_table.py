"""Every route × method × persona gets the status the access table says (tests/access/)."""

from __future__ import annotations

import pytest
from flask import url_for

from komoro_engage.extensions import db
from tests.access import PERSONAS, all_entries
from tests.access.world import IGNORED_METHODS, build_world
from tests.shared_world import SharedWorld

ENTRIES = all_entries()


@pytest.fixture(scope="module")
def shared_world(app):
    with SharedWorld(app, build_world) as shared:
        yield shared


@pytest.fixture
def db_connection(shared_world):
    """Each test in a savepoint over the module's world (the root conftest's fixture,
    overridden): its writes are undone, the world stays."""
    yield from shared_world.connection_for_a_test()


@pytest.fixture
def world(shared_world, db_connection):
    return shared_world.world


def test_every_route_and_method_has_an_entry(app):
    table = {entry.key for entry in ENTRIES}
    routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              for method in rule.methods - IGNORED_METHODS}
    missing = sorted(routes - table)
    stale = sorted(table - routes)
    assert not missing, f"routes without an access entry (add them in tests/access/): {missing}"
    assert not stale, f"access entries for routes that do not exist: {stale}"
    duplicates = [key for key in table if sum(e.key == key for e in ENTRIES) > 1]
    assert not duplicates, f"duplicate access entries: {duplicates}"
    for entry in ENTRIES:
        assert set(entry.expect) == set(PERSONAS), f"{entry.key}: give all six personas"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: f"{e.method}-{e.endpoint}")
def test_access(app, login, world, entry, persona):
    if persona == "anonymous":
        client = app.test_client()
    else:
        from komoro_engage.accounts.models import User

        with app.app_context():
            user = db.session.get(User, world.users[persona])
            db.session.expunge(user)
        client = login(user)
    with app.test_request_context():
        url = url_for(entry.endpoint, **entry.url_args(world))
    response = client.open(url, method=entry.method, data=entry.form(world))
    expected = entry.expect[persona]
    assert response.status_code == expected, (
        f"{persona} {entry.method} {url}: got {response.status_code}, expected {expected}")
    if persona in ("anonymous", "resident_b") and response.mimetype.startswith("text/"):
        # Email and real name of other people never reach non-staff pages.
        body = response.get_data(as_text=True)  # pages, not photos or static files
        private = [value for name, values in world.extra["private"].items()
                   if name != persona for value in values]
        leaked = [value for value in private if value in body]
        assert not leaked, f"{persona} {entry.method} {url} shows personal data: {leaked}"
    response.close()  # static files are streamed

    if persona == "anonymous" and entry.requires_sign_in:
        assert response.location.startswith("/login")
        # htmx gets a client-side redirect, not the sign-in page swapped into the page.
        htmx = app.test_client().open(url, method=entry.method, data=entry.form(world),
                                      headers={"HX-Request": "true"})
        htmx.close()
        assert htmx.status_code == 200 and htmx.headers["HX-Redirect"].startswith("/login")


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.requires_sign_in],
                         ids=lambda e: f"{e.method}-{e.endpoint}")
def test_suspended_accounts_are_treated_as_signed_out(app, login, world, entry):
    """A suspended person's old session opens nothing that needs signing in."""
    from komoro_engage.accounts.models import User

    with app.app_context():
        suspended = db.session.get(User, world.suspended)
        db.session.expunge(suspended)
    with app.test_request_context():
        url = url_for(entry.endpoint, **entry.url_args(world))
    response = login(suspended).open(url, method=entry.method, data=entry.form(world))
    response.close()
    assert response.status_code == 302 and response.location.startswith("/login"), (
        f"suspended {entry.method} {url}: got {response.status_code}")
