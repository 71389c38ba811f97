"""Did a payload do anything in the browser? Checks on a page rendered by real Chromium.

Use with the browser fixtures (``tests/browser/conftest.py``): render a page
that shows user input, then ``assert payload_effects(page) == []``. For a user
text field: fill it with each of ``XSS_PAYLOADS``, submit, open every page that
shows the text (list, detail, moderation queue, e-mail preview …) and probe each.

A payload may show up inside an attribute only where the page quotes user
text on purpose and escaped: a form field's value, ``alt``/``title``/
``aria-label``, the page's own description and link-preview ``<meta>`` tags,
and an http(s) address linked in user text (``rel="ugc"``).

Why each check: the CSP already blocks inline scripts and handlers, so "no
dialog" alone would pass even when escaping is broken. The DOM checks catch the
markup itself getting through (the bug), the request checks catch what needs no
script (``<img src>``, ``<base>``, ``<meta refresh>``, htmx attributes), and the
CSP listener catches what the browser had to block.
"""

from __future__ import annotations

from tests.security.payloads import MARKER, TEMPLATE_RESULTS

# Attributes whose value is a URL the browser may follow or load.
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "srcdoc")

_SCAN = """([marker, urlAttributes]) => {
  // the page's own description and link-preview tags, which quote the title and body
  const ourMeta = (el, tag) => tag === 'meta' && el.attributes.length === 2
    && el.hasAttribute('content')
    && (/^(og|twitter):/.test(el.getAttribute('property') || el.getAttribute('name') || '')
        || el.getAttribute('name') === 'description');
  const textAttribute = (el, tag, name, value) =>
    (['input', 'textarea', 'option'].includes(tag) && name === 'value')  // a form field's text
    || ['alt', 'title', 'aria-label', 'placeholder'].includes(name)
    || (name === 'content' && ourMeta(el, tag))
    // an http(s) address in user text is linked, marked as user content, never followed
    || (tag === 'a' && name === 'href'
        && (value.startsWith('http://') || value.startsWith('https://'))
        && (el.getAttribute('rel') || '').split(' ').includes('ugc'));
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value;
      if (name.startsWith('on')) found.push(`event handler ${tag}[${name}]`);
      if ((name.startsWith('hx-') || name.startsWith('data-hx-')) && value.includes(marker))
        found.push(`htmx attribute ${tag}[${name}=${value}]`);
      if (urlAttributes.includes(name)
          && /^\\s*(javascript|vbscript|data:text\\/html)/i.test(value.replace(/[\\t\\n\\r]/g, '')))
        found.push(`script URL ${tag}[${name}=${value}]`);
      // a marker in an attribute is fine only where the page puts user text on purpose
      if (value.includes(marker) && !textAttribute(el, tag, name, value))
        found.push(`marker in ${tag}[${name}]`);
    }
    if (['script', 'style', 'iframe', 'object', 'embed', 'base', 'meta', 'link'].includes(tag)
        && el.outerHTML.includes(marker) && !ourMeta(el, tag)) found.push(`injected <${tag}>`);
  }
  return found;
}"""


def payload_effects(page) -> list[str]:
    """Everything a payload achieved on ``page``; empty when it stayed inert text.

    ``page.watch`` (the browser fixtures' ``PageWatch``) supplies dialogs,
    requests and CSP reports seen since the page was opened.
    """
    watch = page.watch
    found = page.evaluate(_SCAN, [MARKER, list(URL_ATTRIBUTES)])
    text = page.evaluate("document.documentElement.innerText")
    found += [f"template evaluated: {result}" for result in TEMPLATE_RESULTS if result in text]
    found += [f"dialog {dialog}" for dialog in watch.dialogs]
    found += [f"request to another site {url}" for url in watch.foreign_requests]
    found += [f"request made by the payload {url}" for url in watch.requests
              if MARKER in url and url not in watch.documents]
    found += [f"CSP blocked {violation}" for violation in watch.csp_violations()]
    if not page.url.startswith(watch.origin + "/"):
        found.append(f"left the site for {page.url}")
    return found
