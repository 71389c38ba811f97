"""Hostile input through the inputs that exist today, rendered in real Chromium.

Today the user controls the query string and path of every page (reflected in
the language switch's hidden ``next`` field) and the ``next`` field itself.
The proposals and accounts branches add text fields: type ``XSS_PAYLOADS``
into each, render, and ``assert payload_effects(page) == []`` the same way.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from tests.browser.helpers import goto
from tests.security.payloads import OPEN_REDIRECT_TARGETS, XSS_PAYLOADS
from tests.security.probe import payload_effects


def test_the_probe_sees_an_injection(page):
    """The instrument itself: markup that got into the DOM is reported."""
    goto(page, "/")
    page.evaluate("""() => document.querySelector('main').insertAdjacentHTML('beforeend',
        '<img src="x" onerror="alert(1)"><div hx-get="/kxss">kxss</div>')""")
    found = payload_effects(page)
    assert any(item.startswith("event handler img[onerror]") for item in found), found
    assert any(item.startswith("htmx attribute div[hx-get") for item in found), found


def test_payloads_in_the_query_string_stay_text(page, site):
    """Reflected into the page, then carried through the language switch and back.

    A payload with a control character (``java\tscript:``) makes ``next`` unsafe:
    the switch then lands on the home page instead, which is the intended refusal.
    """
    for payload in XSS_PAYLOADS:
        goto(page, f"/plan/areas/1?q={quote(payload, safe='')}")
        assert payload_effects(page) == [], payload
        next_field = page.locator("input[name=next]").input_value()
        assert next_field.endswith(quote(payload, safe="")), payload

        page.locator("form.lang-switch button").click()
        page.wait_for_load_state()
        expected = "/" if any(ord(ch) < 32 for ch in payload) else "/plan/areas/1"
        assert urlsplit(page.url).path == expected, payload
        assert payload_effects(page) == [], payload


def test_payloads_in_the_path_and_the_next_field_stay_text(page, site):
    for payload in XSS_PAYLOADS:
        goto(page, f"/plan/measures/{quote(payload, safe='')}", status=404)
        assert payload_effects(page) == [], payload

        # the 404 page has the language switch too: tamper with its next field
        page.locator("input[name=next]").evaluate("(el, value) => { el.value = value; }", payload)
        page.locator("form.lang-switch button").click()
        page.wait_for_load_state()
        assert payload_effects(page) == [], payload


def test_next_never_sends_the_browser_to_another_site(page, site):
    goto(page, "/plan/districts")
    for target in OPEN_REDIRECT_TARGETS:
        # every page, wherever the last redirect landed, carries the switch
        page.locator("input[name=next]").evaluate("(el, value) => { el.value = value; }", target)
        page.locator("form.lang-switch button").click()
        page.wait_for_load_state()
        assert page.url.startswith(site.url + "/"), (target, page.url)
    # a target such as "/／evil.invalid" is a (missing) page of ours: 404 is fine there
    assert page.watch.foreign_requests == []
    assert page.watch.dialogs == [] and page.watch.csp_violations() == []
