"""No input makes a 500: every route and method of the URL map, with hostile values in each
path variable, each query parameter the view reads and each form field it reads, as a
visitor and as the resident and the staff member or admin the route lets in.

Routes, their valid arguments and form data come from the access table (tests/access/),
which has an entry for every route and method; the query parameters each endpoint reads
are declared in tests/hostile/query_parameters.py, and a view that reads an undeclared
one fails here. Form fields are found by recording what the view reads from a post.
"""

from __future__ import annotations

import re
from importlib import import_module
from urllib.parse import unquote

import pytest
from flask import url_for
from werkzeug.exceptions import HTTPException

from komoro_engage.accounts.models import User
from komoro_engage.extensions import db
from tests.access import MODULES, all_entries
from tests.access.world import IGNORED_METHODS, build_world
from tests.hostile import (
    FORM_VALUES,
    QUERY_VALUES,
    READ,
    URL_VALUES,
    RecordingRequest,
    form_body,
    form_pairs,
    query_string,
    url_part,
)
from tests.hostile.query_parameters import QUERY_PARAMETERS

ENTRIES = all_entries()
VARIABLE = re.compile(r"<(?:[^<>]*:)?(\w+)>")  # <name>, <int:name>, <any(a, b):name>
UNREAD = "unread"  # sent to endpoints that declare no query parameter


def test_every_route_is_fuzzed_and_declares_its_query_parameters(app):
    routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              for method in rule.methods - IGNORED_METHODS}
    missing = sorted(routes - {entry.key for entry in ENTRIES})
    assert not missing, f"routes without an access entry (add them in tests/access/): {missing}"
    endpoints = {endpoint for endpoint, _method in routes}
    undeclared = sorted(endpoints - set(QUERY_PARAMETERS))
    stale = sorted(set(QUERY_PARAMETERS) - endpoints)
    assert not undeclared, ("endpoints without their query parameters "
                            f"(add them in tests/hostile/query_parameters.py): {undeclared}")
    assert not stale, f"query parameters declared for endpoints that do not exist: {stale}"


def _reaches(entry, persona: str) -> bool:
    """Whether ``persona`` gets past the route's permission checks (the access table)."""
    if entry.expect[persona] in (403, 404):
        return False
    return not (persona == "anonymous" and entry.requires_sign_in)


def personas(entry) -> list[str]:
    """The visitor, a resident and someone of the staff, among those the route lets in."""
    chosen = []
    for group in (("anonymous",), ("resident_a", "resident_b", "org_manager"), ("admin", "staff")):
        let_in = [persona for persona in group if _reaches(entry, persona)]
        chosen += let_in[:1]
    return chosen or ["anonymous"]


def _url(rule, args: dict, hostile: str | None = None, value=None) -> str:
    """The rule's URL with ``args``, the variable ``hostile`` holding ``value`` instead."""
    def fill(match: re.Match) -> str:
        name = match.group(1)
        return url_part(value) if name == hostile else url_part(str(args[name]))

    return VARIABLE.sub(fill, rule.rule)


def _routed(adapter, url: str, method: str) -> bool:
    """Whether routing sends ``url`` to a view; if not, werkzeug answers 404, 405 or a
    redirect whoever asks, so such a value is sent once per test, not per route and person."""
    try:
        adapter.match(unquote(url, errors="replace"), method=method)
    except HTTPException:  # NotFound, MethodNotAllowed, RequestRedirect
        return False
    return True


@pytest.fixture
def recording(app):
    """The app's requests note which query and form names their views read."""
    saved = app.request_class
    app.request_class = RecordingRequest
    READ.clear()
    yield READ
    app.request_class = saved


class Fuzzer:
    """Sends hostile requests for the entries of one access module; notes server errors."""

    def __init__(self, app, login, world):
        self.app, self.login, self.world = app, login, world
        self.adapter = app.url_map.bind("localhost")
        self.failures: list[str] = []
        self.unrouted_sent: set = set()
        self.requests = 0

    def client(self, persona: str):
        if persona == "anonymous":
            return self.app.test_client()
        with self.app.app_context():
            user = db.session.get(User, self.world.users[persona])
            db.session.expunge(user)
        return self.login(user)

    def send(self, client, persona: str, method: str, url: str, pairs, what: str) -> None:
        options = {}
        if method != "GET":
            options = {"data": form_body(pairs),
                       "content_type": "application/x-www-form-urlencoded"}
        self.requests += 1
        try:  # testing apps propagate exceptions instead of answering 500
            response = client.open(url, method=method, **options)
        except Exception as error:  # every one is a finding: list them all
            outcome = f"{type(error).__name__}: {str(error)[:120]}"
        else:
            response.close()  # files and CSV are streamed
            if 100 <= response.status_code < 500:
                return
            outcome = str(response.status_code)
        self.failures.append(f"{persona} {method} {url[:160]} {what}: {outcome}")

    def fuzz(self, entry) -> None:
        rule = next(self.app.url_map.iter_rules(entry.endpoint))
        args = entry.url_args(self.world)
        with self.app.test_request_context():
            valid_url = url_for(entry.endpoint, **args)
        valid_form = form_pairs(entry.form(self.world))
        declared = QUERY_PARAMETERS[entry.endpoint]
        who = personas(entry)
        for number, persona in enumerate(who):
            client = self.client(persona)
            for name in rule.arguments:
                for value in URL_VALUES:
                    url = _url(rule, args, name, value)
                    if not _routed(self.adapter, url, entry.method):
                        if value in self.unrouted_sent:
                            continue
                        self.unrouted_sent.add(value)
                    self.send(client, persona, entry.method, url, valid_form,
                              f"path {name}={value[:20]!r}")
            if entry.method != "GET" and number == 0:  # forms: the first one let in
                READ.form.clear()
                self.send(client, persona, entry.method, valid_url, [], "empty form")
                for field in sorted(READ.form | {name for name, _ in valid_form}):
                    others = [(name, value) for name, value in valid_form if name != field]
                    self.send(client, persona, entry.method, valid_url, others,
                              f"form without {field}")
                    for value in FORM_VALUES:
                        self.send(client, persona, entry.method, valid_url,
                                  [*others, (field, value)], f"form {field}={value[:20]!r}")
            values = (QUERY_VALUES if number == 0 else QUERY_VALUES[:3]) if declared else [""]
            for value in values:
                url = f"{valid_url}?{query_string(declared or (UNREAD,), value)}"
                self.send(client, persona, entry.method, url, valid_form,
                          f"query {value[:20]!r}")


@pytest.mark.parametrize("module", MODULES)
def test_hostile_input_never_makes_a_server_error(app, login, recording, db_session, module):
    """One world per access module; each route's requests are undone before the next."""
    with app.app_context():
        world = build_world()
    connection = db_session.session_factory.kw["bind"]
    fuzzer = Fuzzer(app, login, world)
    undeclared = set()
    for entry in import_module(f"tests.access.{module}").ENTRIES:
        READ.args.clear()
        savepoint = connection.begin_nested()
        try:
            fuzzer.fuzz(entry)
        finally:
            savepoint.rollback()
        undeclared |= {(entry.endpoint, name)
                       for name in READ.args - set(QUERY_PARAMETERS[entry.endpoint])}
    assert not fuzzer.failures, "server errors:\n" + "\n".join(fuzzer.failures)
    assert not undeclared, ("views read query parameters not declared in "
                            f"tests/hostile/query_parameters.py: {sorted(undeclared)}")
    assert fuzzer.requests > 10 * len(import_module(f"tests.access.{module}").ENTRIES)
