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
from komoro_engage.consultations.queries import TALLY_LIMIT
from komoro_engage.extensions import db
from tests.browser.pages import PUBLIC_PAGES, page_id
from tests.browser.world import _surveys, budget_world, newsletter_world, text_map_of_measure
from tests.consultations.helpers import analysed_demo, make_consultation, make_statement
from tests.factories import make_organisation, make_user
from tests.proposals.helpers import make_proposal
from tests.shared_world import SharedWorld

# Bytes and requests of rendered pages, the same from either database: CI weighs once.
pytestmark = pytest.mark.one_database

BUDGET_BYTES = 60 * 1024
BUDGET_REQUESTS = 6
# Map pages (issue 21) load Leaflet: the budget is "our own code and styles", so its two
# files are weighed apart (test_map_page_weight), like the tiles, which are never counted.
LEAFLET = "/static/vendor/leaflet-"
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


def build_full_pages() -> SimpleNamespace:
    """Full pages of data: the ids ``PageType.url`` fills in."""
    author = make_user(nickname="花壇の提案者")
    organisation = make_organisation(author, description="里山の手入れをしています。" * 30)
    # Spread over the city, so the map view carries a marker for each (issue 21).
    proposals = [make_proposal(author, title=f"駅前の花壇に季節の花を植えたい その{n}",
                               body=LONG_BODY, areas=(1, 2),
                               point=(36.30 + n / 400, 138.40 + n / 300)) for n in range(25)]
    detail = proposals[0]
    for n in range(35):
        text = f"水やりを手伝えます。週末なら参加できます。（{n}）\n" * 3
        comment_services.add_comment(make_user(), detail, text, "for")
    # A full map: eight themes of two sub-themes, each showing three long titles.
    voices = text_map_of_measure([f"proposal:{p.id}" for p in proposals[:3]], themes=8)
    ids = {"proposal": detail.id, "org": organisation.id, "voices": voices,
           # 市民予算's pages: a process open for voting and a published result.
           **budget_world(make_user(), make_user(role="staff")),
           "consultation": full_consultation(author), "analysed": analysed_demo()}
    open_survey, closed_survey, draft_survey = _surveys(make_user(role="staff"), author)
    ids.update(survey=open_survey.id, closed_survey=closed_survey.id,
               draft_survey=draft_survey.id)
    ids.update(newsletter_world(make_user(role="staff")))
    db.session.commit()  # into the shared world's transaction, never committed
    return SimpleNamespace(world=SimpleNamespace(ids=ids))


@pytest.fixture(scope="module")
def full_pages(app):
    """The full pages' rows, built once for the module (tests/shared_world.py): built for
    each of some seventy weighings, they were most of these tests' time."""
    with SharedWorld(app, build_full_pages) as shared:
        yield shared


@pytest.fixture
def db_connection(full_pages):
    """Each test in a savepoint over the full pages (the root conftest's, overridden)."""
    yield from full_pages.connection_for_a_test()


@pytest.fixture
def seeded(app, full_pages, monkeypatch):
    """Full pages of data: the ids ``PageType.url`` fills in (a test's writes undone)."""
    monkeypatch.setitem(app.config, "PAGE_SIZE", 20)  # production's, not the suite's small one
    return full_pages.world


def full_consultation(author) -> int:
    """A consultation showing its most voted statements at full length, 140 characters."""
    consultation = make_consultation()
    for n in range(TALLY_LIMIT + 5):
        make_statement(consultation, f"{n:03d}" + "駅前に屋根付きの駐輪場をつくってほしい。" * 6,
                       author=author)
    return consultation.id


def weigh(client, path: str, status: int = 200,
          leave_out: str = LEAFLET) -> tuple[int, int, list[str]]:
    """(compressed bytes, requests, asset URLs) of a first visit to ``path``, without the
    assets whose URL starts with ``leave_out`` (Leaflet by default)."""
    response = client.get(path)
    assert response.status_code == status, path
    assets = EagerImages()
    assets.feed(response.get_data(as_text=True))
    bodies = [response.data]
    assets.css = [href for href in assets.css if not href.startswith(leave_out)]
    assets.js = [href for href in assets.js if not href.startswith(leave_out)]
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


def test_map_page_weight(client, seeded, capsys):
    """The map view: our own code and styles within the budget; with Leaflet, reported."""
    own, own_requests, _ = weigh(client, "/proposals?view=map")
    total, total_requests, urls = weigh(client, "/proposals?view=map", leave_out="//none")
    assert sum(url.startswith(LEAFLET) for url in urls) == 2  # leaflet.css and leaflet.js
    assert own <= BUDGET_BYTES and own_requests <= BUDGET_REQUESTS
    # Leaflet adds about 45 KB compressed: a guard against a second map library sneaking in.
    assert total <= BUDGET_BYTES + 50 * 1024, f"{total / 1024:.1f} KB"
    with capsys.disabled():
        print(f"\nmap page: own {own / 1024:.1f} KB in {own_requests} requests; "
              f"with Leaflet {total / 1024:.1f} KB in {total_requests} requests")
