"""The performance budget on every page type: ≤ 60 KB compressed (HTML + CSS + JS), ≤ 6 requests.

Public page types come from tests/browser/pages.py, so a page added there for
the browser tests is weighed here too; the proposal list and detail are
weighed full: a page of 20 proposals, and a proposal with a long text and a
full page of 30 comments. Sizes are gzip level 6, as a compressing reverse
proxy sends them (the app itself does not compress); ``make bench`` reports
the same figures. Images a page loads at once count as requests (their bytes
are cached, compressed files and are left out, as in ``make bench``).
"""

import gzip
from types import SimpleNamespace

import pytest

from bench.load import PageAssets
from komoro_engage.comments import services as comment_services
from komoro_engage.extensions import db
from tests.browser.pages import PUBLIC_PAGES, page_id
from tests.factories import make_organisation, make_user
from tests.proposals.helpers import make_proposal

BUDGET_BYTES = 60 * 1024
BUDGET_REQUESTS = 6
LONG_BODY = ("駅前の花壇が寂しいので、季節の花を植えて、通学する子どもや観光で訪れる人を"
             "迎えたいと考えています。水やりは地域の有志で当番を組みます。\n") * 20


class EagerImages(PageAssets):
    """PageAssets, plus the images the browser fetches at once (not ``loading=lazy``)."""

    def __init__(self):
        super().__init__()
        self.images = []

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        attrs = dict(attrs)
        if tag == "img" and attrs.get("loading") != "lazy":
            self.images.append(attrs.get("src"))


@pytest.fixture
def seeded(app, db_session, monkeypatch):
    """Full pages of data: the ids ``PageType.url`` fills in (rolled back afterwards)."""
    monkeypatch.setitem(app.config, "PAGE_SIZE", 20)  # production's, not the suite's small one
    with app.app_context():
        author = make_user(nickname="花壇の提案者")
        organisation = make_organisation(author, description="里山の手入れをしています。" * 30)
        proposals = [make_proposal(author, title=f"駅前の花壇に季節の花を植えたい その{n}",
                                   body=LONG_BODY, areas=(1, 2)) for n in range(25)]
        detail = proposals[0]
        for n in range(35):
            text = f"水やりを手伝えます。週末なら参加できます。（{n}）\n" * 3
            comment_services.add_comment(make_user(), detail, text, "for")
        ids = {"proposal": detail.id, "org": organisation.id}
        db.session.commit()  # into the test's outer transaction, rolled back at the end
        return SimpleNamespace(world=SimpleNamespace(ids=ids))


def weigh(client, path: str, status: int = 200) -> tuple[int, int, list[str]]:
    """(compressed bytes, requests, asset URLs) of a first visit to ``path``."""
    response = client.get(path)
    assert response.status_code == status, path
    assets = EagerImages()
    assets.feed(response.get_data(as_text=True))
    bodies = [response.data]
    for href in assets.css + assets.js:
        asset = client.get(href)
        assert asset.status_code == 200, href
        bodies.append(asset.data)
        asset.close()
    assert assets.css and assets.js  # the parser found the page's assets
    compressed = sum(len(gzip.compress(body, compresslevel=6)) for body in bodies)
    urls = assets.css + assets.js + assets.icons + assets.images
    return compressed, 1 + len(urls), urls


@pytest.mark.parametrize("page_type", PUBLIC_PAGES, ids=page_id)
def test_page_stays_within_the_weight_budget(client, seeded, page_type):
    compressed, requests, urls = weigh(client, page_type.url(seeded), page_type.status)
    assert compressed <= BUDGET_BYTES, f"{compressed / 1024:.1f} KB"
    assert requests <= BUDGET_REQUESTS, urls


def test_full_proposal_pages_are_really_weighed(client, seeded):
    """The list shows a full page of 20, the detail a full page of comments."""
    listing = client.get("/proposals").get_data(as_text=True)
    assert listing.count('class="card proposal-card"') == 20
    detail = client.get(f"/proposals/{seeded.world.ids['proposal']}").get_data(as_text=True)
    assert detail.count('class="comment"') == 30
    compressed, _, _ = weigh(client, "/proposals")
    assert compressed > 10 * 1024  # the data is in the page, not an empty shell
