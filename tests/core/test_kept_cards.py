"""A list's cards kept rendered by their content (core/kept_cards.py): a second view
renders no card again, and whatever a card shows that changes (a count, the title, the
author's account, the reader's language) shows at once. The proposal list and the
project list keep their cards this way."""

import pytest
from sqlalchemy import update

from komoro_engage.accounts.models import User, UserStatus
from komoro_engage.core import kept_cards
from komoro_engage.extensions import db
from komoro_engage.projects.models import Project
from komoro_engage.proposals.models import Proposal
from tests.factories import make_user
from tests.projects.helpers import make_project
from tests.proposals.helpers import area, make_proposal


def cards(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    start = html.index('<ul class="card-list">')
    return html[start:html.index("</ul>", start)]


@pytest.fixture
def listed(app, login):
    """Three public proposals and three projects by one person, and a signed-in reader's
    client (a visitor's page is kept whole by the page cache: the reader's is rendered)."""
    with app.app_context():
        author = make_user()
        proposals = [make_proposal(author, title=f"カードの提案{n}").id for n in range(3)]
        projects = [make_project(author, title=f"カードの活動{n}", capacity=10).id
                    for n in range(3)]
        db.session.commit()
        kept_cards._rendered.cache_clear()
        return login(make_user()), proposals, projects, author.id


def test_a_second_view_renders_no_card_again(listed):
    client = listed[0]
    for path in ("/proposals", "/projects"):
        misses = kept_cards._rendered.cache_info().misses
        first = cards(client, path)
        assert kept_cards._rendered.cache_info().misses == misses + 3, path
        assert cards(client, path) == first
        assert kept_cards._rendered.cache_info().misses == misses + 3, path


def test_what_a_card_shows_changes_at_once(app, listed):
    client, proposals, projects, author_id = listed
    assert "賛同 0" in cards(client, "/proposals")
    assert "参加 0 / 定員 10" in cards(client, "/projects")
    with app.app_context():
        db.session.execute(update(Proposal).where(Proposal.id == proposals[0]).values(
            support_count=1234, title="<b>新しい題</b>"))
        db.session.execute(update(Project).where(Project.id == projects[0]).values(
            member_count=7))
        db.session.execute(update(User).where(User.id == author_id).values(
            status=UserStatus.DELETED))
        db.session.commit()
    shown = cards(client, "/proposals")
    assert "賛同 1,234" in shown
    assert "&lt;b&gt;新しい題&lt;/b&gt;" in shown and "<b>" not in shown
    assert "カードの提案0" not in shown and "カードの提案1" in shown
    assert shown.count("退会したユーザー") == 3
    assert "参加 7 / 定員 10" in cards(client, "/projects")


def test_each_language_has_its_own_cards(app, listed):
    client = listed[0]
    with app.app_context():
        japanese, english = area(1).name, area(1).name_en
    assert english and english != japanese
    for language, proposal_words, project_words in (
            ("ja", ("賛同募集中", "市全域", "賛同 0", japanese), ("参加 0 / 定員 10",)),
            ("en", ("Whole city", "Supports 0", english), ("Joined 0 / capacity 10",)),
            ("ja_easy", ("こもろし ぜんたい", "さんせい 0"), ()),
            ("ja", ("賛同募集中", "市全域", "賛同 0", japanese), ("参加 0 / 定員 10",))):
        client.set_cookie("lang", language)
        for path, words in (("/proposals", proposal_words), ("/projects", project_words)):
            shown = cards(client, path)
            assert all(word in shown for word in words), (language, path, shown)
