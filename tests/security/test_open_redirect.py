"""``next`` on /lang never redirects off the site, however it is spelled or encoded.

The browser version of this check (tests/browser/test_attack_xss.py) follows
the redirect in Chromium, whose URL parser is the one that matters; here every
answer is checked for what a browser would do with it.
"""

from urllib.parse import unquote, urlsplit

import pytest

from tests.security.payloads import OPEN_REDIRECT_TARGETS

# Paths that look odd but stay on our site, so they are followed as given.
OWN_PATHS = {"/／evil.invalid"}


@pytest.mark.parametrize("target", OPEN_REDIRECT_TARGETS)
def test_lang_refuses_a_next_that_leaves_the_site(client, target):
    response = client.post("/lang", data={"lang": "en", "next": target})
    assert response.status_code == 302
    location = response.headers["Location"]
    # werkzeug percent-encodes non-ASCII in Location, so compare decoded
    assert unquote(location) == (target if target in OWN_PATHS else "/")
    # what a browser makes of it: no scheme, no host, no backslash or control characters
    assert location.startswith("/") and not location.startswith("//")
    assert not urlsplit(location).netloc and "\\" not in location
    assert all(ord(ch) >= 32 for ch in location)


@pytest.mark.parametrize("target", ["/plan/areas/1?q=%E5%B0%8F%E8%AB%B8", "/plan/districts#x"])
def test_lang_follows_a_next_on_the_site(client, target):
    response = client.post("/lang", data={"lang": "en", "next": target})
    assert response.headers["Location"] == target
