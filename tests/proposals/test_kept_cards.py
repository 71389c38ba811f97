"""The list's cards kept rendered by their content (proposals/card_markup.py): a second
view renders no card again, and whatever a card shows that changes (a count, the title,
the author's account, the reader's language) shows at once."""

import pytest
from sqlalchemy import update

from komoro_engage.accounts.models import User, UserStatus
from komoro_engage.extensions import db
from komoro_engage.proposals import card_markup
from komoro_engage.proposals.models import Proposal
from tests.factories import make_user
from tests.proposals.helpers import area, make_proposal


def cards(client) -> str:
    html = client.get("/proposals").get_data(as_text=True)
    return html[html.index('<ul class="card-list">'):html.index("</ul>", html.index(
        '<ul class="card-list">'))]


@pytest.fixture
def listed(app, login):
    """Three public proposals by one author, and a signed-in reader's client (a visitor's
    page is kept whole by the page cache: the reader's is rendered)."""
    with app.app_context():
        author = make_user()
        ids = [make_proposal(author, title=f"カードの提案{n}").id for n in range(3)]
        db.session.commit()
        card_markup._rendered.cache_clear()
        return login(make_user()), ids, author.id


def test_a_second_view_renders_no_card_again(listed):
    client, _ids, _author = listed
    first = cards(client)
    assert card_markup._rendered.cache_info().misses == 3
    assert cards(client) == first
    assert card_markup._rendered.cache_info()[:2] == (3, 3)  # hits, misses


def test_what_a_card_shows_changes_at_once(app, listed):
    client, ids, author_id = listed
    before = cards(client)
    assert "カードの提案0" in before and "賛同 0" in before
    with app.app_context():
        db.session.execute(update(Proposal).where(Proposal.id == ids[0]).values(
            support_count=1234, title="<b>新しい題</b>"))
        db.session.execute(update(User).where(User.id == author_id).values(
            status=UserStatus.DELETED))
        db.session.commit()
    after = cards(client)
    assert "賛同 1,234" in after
    assert "&lt;b&gt;新しい題&lt;/b&gt;" in after and "<b>" not in after
    assert "カードの提案0" not in after and "カードの提案1" in after
    assert after.count("退会したユーザー") == 3


def test_each_language_has_its_own_cards(app, listed):
    client, _ids, _author = listed
    with app.app_context():
        japanese, english = area(1).name, area(1).name_en
    assert english and english != japanese
    for language, words in (("ja", ("賛同募集中", "市全域", "賛同 0", japanese)),
                            ("en", ("Whole city", "Supports 0", english)),
                            ("ja_easy", ("こもろし ぜんたい", "さんせい 0")),
                            ("ja", ("賛同募集中", "市全域", "賛同 0", japanese))):
        client.set_cookie("lang", language)
        shown = cards(client)
        assert all(word in shown for word in words), (language, shown)
