"""The performance budget on every page type: ≤ 60 KB compressed (HTML + CSS + JS), ≤ 6 requests.

Page types come from tests/browser/pages.py, so a page added there for the
browser tests is weighed here too. Sizes are gzip level 6, as a compressing
reverse proxy sends them (the app itself does not compress); ``make bench``
reports the same figures.
"""

import gzip

import pytest

from bench.load import PageAssets
from tests.browser.pages import PUBLIC_PAGES, page_id

BUDGET_BYTES = 60 * 1024
BUDGET_REQUESTS = 6


@pytest.mark.parametrize("page_type", PUBLIC_PAGES,
                         ids=page_id)
def test_page_stays_within_the_weight_budget(client, page_type):
    response = client.get(page_type.path)
    assert response.status_code == page_type.status
    assets = PageAssets()
    assets.feed(response.get_data(as_text=True))
    bodies = [response.data]
    for href in assets.css + assets.js:
        asset = client.get(href)
        assert asset.status_code == 200, href
        bodies.append(asset.data)
        asset.close()

    compressed = sum(len(gzip.compress(body, compresslevel=6)) for body in bodies)
    requests = 1 + len(assets.css) + len(assets.js) + len(assets.icons)

    assert assets.css and assets.js  # the parser found the page's assets
    assert compressed <= BUDGET_BYTES, f"{compressed / 1024:.1f} KB"
    assert requests <= BUDGET_REQUESTS, assets.css + assets.js + assets.icons
