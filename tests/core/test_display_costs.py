"""What ふりがな and the largest text cost: render work and page weight, measured.

Ruby off costs nothing but two cookie reads (tests/test_render_budgets.py holds every
page to its budget that way). Ruby on analyses each text node of a page once per
process (an LRU per node): after the first visit a page costs the work of the regex
that splits it and the kept nodes' look-ups. The figures print with ``-s``.
"""

import pytest

from bench.profile import count_work
from bench.specs import PAGES
from komoro_engage.accounts.models import User
from komoro_engage.extensions import db
from tests.browser.pages import PUBLIC_PAGES, page_id

# The full pages' rows, built once for this module too, each test in a savepoint over them.
from tests.test_page_weight import (  # noqa: F401 (fixtures)
    BUDGET_BYTES,
    db_connection,
    full_pages,
    seeded,
    weigh,
)
from tests.test_render_budgets import BUDGETS, demo_world  # noqa: F401 (fixture)

MEASURED = ("home", "proposal list (filtered)", "proposal detail", "project detail",
            "dashboard")
# Ruby on may cost more than the page's budget with ruby off, but not more than this.
RUBY_FACTOR = 1.6


def test_pages_with_furigana_and_the_largest_text_stay_within_their_budget(
        app, login, demo_world, capsys):  # noqa: F811 (the imported fixture)
    dialect = 0 if app.config["DATABASE_URL"].startswith("sqlite") else 1
    over = []
    for spec in (spec for spec in PAGES if spec.name in MEASURED):
        with app.app_context():
            client = login(db.session.get(User, demo_world[spec.signed_in_as]))
        client.set_cookie("ruby", "on")
        client.set_cookie("text_size", "xlarge")
        path = spec.path.format(**demo_world)
        for _ in range(2):  # the text nodes analysed and kept
            assert client.get(path).status_code == 200
        work = count_work(lambda path=path, client=client: client.get(path))
        budget = BUDGETS[spec.name][dialect]
        with capsys.disabled():
            print(f"\nruby on, 特大: {spec.name}: {work['calls']:,} calls "
                  f"(ruby off budget {budget:,})", end="")
        if work["calls"] > budget * RUBY_FACTOR:
            over.append(f"{spec.name}: {work['calls']:,} calls")
    assert not over, over


@pytest.mark.parametrize("page_type", PUBLIC_PAGES, ids=page_id)
def test_pages_with_furigana_stay_within_the_weight_budget(
        client, seeded, page_type, capsys):  # noqa: F811 (the imported fixture)
    client.set_cookie("ruby", "on")
    compressed, _, _ = weigh(client, page_type.url(seeded), page_type.status)
    with capsys.disabled():
        print(f"\nruby on: {page_type}: {compressed / 1024:.1f} KB", end="")
    assert compressed <= BUDGET_BYTES, f"{compressed / 1024:.1f} KB"
