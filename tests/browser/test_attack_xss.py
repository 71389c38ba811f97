"""Hostile input through the inputs that exist today, rendered in real Chromium.

The user controls the query string and path of every page (reflected in the
language switch's hidden ``next`` field) and the ``next`` field itself. The
text fields and upload file names get the same corpus in
test_attack_xss_fields.py; a new text field belongs there.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

from tests.browser.helpers import follow, goto
from tests.security.payloads import OPEN_REDIRECT_TARGETS, XSS_PAYLOADS
from tests.security.probe import payload_effects

# Escaping of the path, query and next field, which no database sees: CI runs it once.
pytestmark = pytest.mark.one_database


def test_the_probe_sees_an_injection(page):
    """The instrument itself: markup that got into the DOM is reported."""
    goto(page, "/")
    page.evaluate("""() => document.querySelector('main').insertAdjacentHTML('beforeend',
        '<img src="x" onerror="alert(1)"><div hx-get="/kxss">kxss</div>')""")
    found = payload_effects(page)
    assert any(item.startswith("event handler img[onerror]") for item in found), found
    assert any(item.startswith("htmx attribute div[hx-get") for item in found), found


def test_payloads_in_the_path_query_and_next_field_stay_text(page, site):
    """Each payload in a path and a query string (both reflected into the language
    switch's ``next``), then typed into ``next`` itself and followed through /lang.

    A ``next`` that is not one of our paths (most payloads, and any with a control
    character) lands on the home page: the intended refusal.
    """
    for payload in XSS_PAYLOADS:
        quoted = quote(payload, safe="")
        goto(page, f"/plan/measures/{quoted}?q={quoted}", status=404)
        assert payload_effects(page) == [], payload
        assert page.locator("input[name=next]").input_value().endswith(f"?q={quoted}"), payload

        page.locator("input[name=next]").evaluate("(el, value) => { el.value = value; }", payload)
        follow(page, page.locator("form.lang-switch button"))
        assert payload_effects(page) == [], payload


def test_a_reflected_query_survives_the_language_switch(page, site):
    payload = XSS_PAYLOADS[2]  # an attribute breakout into a script tag
    goto(page, f"/plan/areas/1?q={quote(payload, safe='')}")
    assert payload_effects(page) == []
    follow(page, page.locator("form.lang-switch button"))
    assert urlsplit(page.url).path == "/plan/areas/1"
    assert page.locator("html").get_attribute("lang") == "en"
    assert payload_effects(page) == []


def test_next_never_sends_the_browser_to_another_site(page, site):
    goto(page, "/plan/districts")
    for target in OPEN_REDIRECT_TARGETS:
        # every page, wherever the last redirect landed, carries the switch
        page.locator("input[name=next]").evaluate("(el, value) => { el.value = value; }", target)
        follow(page, page.locator("form.lang-switch button"))
        assert page.url.startswith(site.url + "/"), (target, page.url)
    # a target such as "/／evil.invalid" is a (missing) page of ours: 404 is fine there
    assert page.watch.foreign_requests == []
    assert page.watch.dialogs == [] and page.watch.csp_violations() == []
