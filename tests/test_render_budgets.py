"""What a page costs to render for a signed-in person, as counted work (not time).

The bench's pages (bench/specs.py) over the demo content, each rendered as its
person sees it (a resident; the demo staff member for the staff pages), at the
production page size: Python function calls (cProfile's count, generators'
resumptions included) and Jinja macro calls per request. Counts are the same on
every run for the same code and data, so a template that starts building a form
per row, a url_for per card or a query per item shows here as a failure, with
the page and the figures, long before anyone runs ``make bench``.

The budgets are the figures measured when they were set (issue 16) plus about
15 % headroom for library updates; SQLite and PostgreSQL differ by their
drivers, so each has its own column. Raise one only with the reason in the
commit.
"""

import pytest

from bench.data import sample_ids_in
from bench.profile import count_work
from bench.specs import BARE, PAGES
from komoro_engage.accounts.models import User
from komoro_engage.core import page_cache
from komoro_engage.extensions import db
from komoro_engage.proposals.demo import load_all_demo

# page name: (calls on SQLite, calls on PostgreSQL, macro calls)
BUDGETS = {
}


@pytest.fixture
def demo_world(app, monkeypatch):
    """The demo content (60 proposals) in the test's transaction; ids of what pages show."""
    monkeypatch.setitem(app.config, "PAGE_SIZE", 20)  # production's page, not the tests' 5
    with app.app_context():
        load_all_demo(60, seed=1)
        db.session.commit()
        return sample_ids_in(db.session.connection())


def signed_in_client(app, login, user_id):
    with app.app_context():
        user = db.session.get(User, user_id)
    return login(user)


@pytest.mark.parametrize("spec", [spec for spec in PAGES if spec is not BARE],
                         ids=lambda spec: spec.name)
def test_page_renders_within_its_budget_of_work(app, login, demo_world, spec):
    client = signed_in_client(app, login, demo_world[spec.signed_in_as])
    path = spec.path.format(**demo_world)
    headers = {"HX-Request": "true"} if spec.htmx else {}

    turns = iter(range(1_000))

    def request():
        # A support, then its withdrawal: each measured request writes, as on the site.
        target = path
        if spec.alternate and next(turns) % 2:
            target = path.replace(*spec.alternate)
        return client.open(target, method=spec.method, data=spec.body or None,
                           headers=headers, content_type="application/x-www-form-urlencoded")

    for _ in range(2):  # templates compiled, caches filled
        assert request().status_code == 200, path
    work = count_work(request)
    assert work["status"] == 200
    print(f"{spec.name}: {work['calls']} calls, {work['macro_calls']} macro calls")
    dialect = "sqlite" if app.config["DATABASE_URL"].startswith("sqlite") else "postgresql"
    budget_calls = BUDGETS[spec.name][0 if dialect == "sqlite" else 1]
    budget_macros = BUDGETS[spec.name][2]
    assert work["calls"] <= budget_calls, (
        f"{spec.name} made {work['calls']:,} Python calls (budget {budget_calls:,} on "
        f"{dialect}): run `python -m bench.profile --only '{spec.name}' --top 40`")
    assert work["macro_calls"] <= budget_macros, (
        f"{spec.name} made {work['macro_calls']} macro calls (budget {budget_macros})")


@pytest.mark.parametrize("spec", [spec for spec in PAGES if spec.visitors],
                         ids=lambda spec: spec.name)
def test_every_page_a_visitor_opens_is_kept_for_the_next_visitor(app, demo_world, monkeypatch,
                                                                  spec):
    """The bench's kept-page budget holds only if the page is kept at all: a page that
    builds a form (a CSRF token of its own) for visitors is rendered every time."""
    monkeypatch.setitem(app.extensions, page_cache.EXTENSION,
                        page_cache.PageCache(seconds=60, max_bytes=4 * 1024 * 1024))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production: forms
    path = spec.path.format(**demo_world)
    client = app.test_client()
    assert client.get(path).headers[page_cache.HEADER] == "miss"
    assert client.get(path).headers[page_cache.HEADER] == "hit", path
