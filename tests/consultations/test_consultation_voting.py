"""Residents add statements and vote on them one at a time, with and without htmx."""

from sqlalchemy import func, inspect, select

from komoro_engage.consultations.models import (
    AGREE,
    DISAGREE,
    ConsultationStatus,
    Statement,
    StatementStatus,
    StatementVote,
)
from komoro_engage.extensions import db
from tests.consultations.helpers import make_consultation, make_statement, statements_of
from tests.factories import make_user

HTMX = {"HX-Request": "true"}


def committed(app, **kwargs):
    """A consultation with two seed statements and one resident's statement, committed."""
    with app.app_context():
        consultation = make_consultation(**kwargs)
        author = make_user()
        own = make_statement(consultation, "図書館の開館時間を延ばしてほしい", author=author)
        seeds = [s.id for s in statements_of(consultation) if s.is_seed]
        ids = {"consultation": consultation.id, "seeds": seeds, "own": own.id,
               "author": author}
        db.session.commit()
    return ids


def fresh_user(app):
    with app.app_context():
        user = make_user()
        db.session.commit()
        return user


def user_id(user) -> int:
    return inspect(user).identity[0]


def votes_of(app, user, statement_id=None):
    with app.app_context():
        query = select(StatementVote.statement_id, StatementVote.value).where(
            StatementVote.user_id == user_id(user))
        if statement_id:
            query = query.where(StatementVote.statement_id == statement_id)
        return dict(db.session.execute(query).all())


def test_the_card_shows_least_voted_then_newest_never_own_nor_voted(app, login):
    ids = committed(app)
    client = login(ids["author"])
    html = client.get(f"/consultations/{ids['consultation']}").get_data(as_text=True)
    # The author's own statement is never shown; of the seeds (no votes) the newest first.
    assert "残り2件" in html
    with app.app_context():
        newest_seed = db.session.get(Statement, max(ids["seeds"])).text
    assert f'<blockquote class="statement-text">{newest_seed}</blockquote>' in html
    response = client.post(f"/statements/{max(ids['seeds'])}/vote", data={"vote": "agree"})
    assert response.status_code == 302 and response.location.endswith("#vote")
    html = client.get(f"/consultations/{ids['consultation']}").get_data(as_text=True)
    assert "残り1件" in html
    client.post(f"/statements/{min(ids['seeds'])}/vote", data={"vote": "disagree"})
    html = client.get(f"/consultations/{ids['consultation']}").get_data(as_text=True)
    assert "いまある意見すべてに賛否を示しました" in html
    assert votes_of(app, ids["author"]) == {max(ids["seeds"]): AGREE,
                                            min(ids["seeds"]): DISAGREE}


def test_least_voted_comes_before_newer(app, login):
    ids = committed(app)
    client = login(fresh_user(app))
    # Another person voted on the two seeds: the resident's statement (0 votes) is next.
    other = login(fresh_user(app))
    for seed in ids["seeds"]:
        other.post(f"/statements/{seed}/vote", data={"vote": "pass"})
    html = client.get(f"/consultations/{ids['consultation']}").get_data(as_text=True)
    assert "図書館の開館時間を延ばしてほしい</blockquote>" in html


def test_htmx_vote_swaps_in_the_next_card(app, login):
    ids = committed(app)
    client = login(fresh_user(app))
    response = client.post(f"/statements/{ids['own']}/vote", data={"vote": "agree"},
                           headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert 'id="vote-card"' in html and "残り2件" in html and 'id="vote-agree"' in html


def test_double_taps_make_one_vote_and_a_vote_can_change(app, login):
    ids = committed(app)
    user = fresh_user(app)
    client = login(user)
    for _ in range(3):
        client.post(f"/statements/{ids['own']}/vote", data={"vote": "agree"})
    response = client.post(f"/statements/{ids['own']}/vote",
                           data={"vote": "disagree", "from": "mine"})
    assert response.location.endswith("#your-votes")
    assert votes_of(app, user) == {ids["own"]: DISAGREE}
    with app.app_context():
        # The author's own agree and this one: two people, counted once each.
        assert db.session.get(Statement, ids["own"]).vote_count == 1
    html = client.get(f"/consultations/{ids['consultation']}").get_data(as_text=True)
    assert "投票を変更しました。" in html and "いまの投票：反対" in html


def test_the_results_show_each_statements_counts_and_shares_and_ones_own_votes(app, login):
    ids = committed(app)
    seed = max(ids["seeds"])
    people = [login(fresh_user(app)) for _ in range(3)]
    for client, vote in zip(people, ("agree", "agree", "disagree"), strict=True):
        client.post(f"/statements/{ids['own']}/vote", data={"vote": vote})
    people[0].post(f"/statements/{seed}/vote", data={"vote": "pass"})
    html = people[0].get(f"/consultations/{ids['consultation']}").get_data(as_text=True)
    results = html.split('id="results"')[1]
    # 2 agree and 1 disagree of 3 votes: the shares are rounded.
    assert ("図書館の開館時間を延ばしてほしい</th>\n      <td>2（67%）</td><td>1（33%）</td>"
            "<td>0</td>") in results
    assert "<td>0（0%）</td><td>0（0%）</td><td>1</td>" in results  # a pass is no share
    mine = html.split('id="your-votes"')[1].split("</section>")[0]
    assert "あなたの投票（2件）" in html
    assert "図書館の開館時間を延ばしてほしい" in mine and "いまの投票：パス" in mine
    assert f'action="/statements/{seed}/vote"' in mine and "賛成に変える" in mine


def test_a_statement_waits_for_staff_and_its_author_agrees(app, login):
    ids = committed(app)
    user = fresh_user(app)
    client = login(user)
    response = client.post(f"/consultations/{ids['consultation']}/statements",
                           data={"text": "  夜の街灯を増やしてほしい  "})
    assert response.status_code == 302
    html = client.get(response.location).get_data(as_text=True)
    assert "確認後に公開されます" in html
    with app.app_context():
        statement = db.session.scalars(select(Statement).where(
            Statement.text == "夜の街灯を増やしてほしい")).one()
        assert statement.status == StatementStatus.PENDING and statement.author_id == user_id(user)
        assert votes_of(app, user, statement.id) == {statement.id: AGREE}


def test_a_long_statement_is_refused_next_to_the_field_keeping_the_text(app, login):
    ids = committed(app)
    client = login(fresh_user(app))
    text = "あ" * 141
    response = client.post(f"/consultations/{ids['consultation']}/statements",
                           data={"text": text})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "140文字以内で入力してください（今は141文字）。" in html
    assert f'value="{text}"' in html
    english = client.post(f"/consultations/{ids['consultation']}/statements",
                          data={"text": text}, headers={"Accept-Language": "en"})
    assert "characters" in english.get_data(as_text=True)


def test_closed_consultations_show_results_only(app, login):
    ids = committed(app, status=ConsultationStatus.CLOSED)
    client = login(fresh_user(app))
    html = client.get(f"/consultations/{ids['consultation']}").get_data(as_text=True)
    assert "受付は終了しました" in html and 'id="vote-card"' not in html
    assert "意見を送る" not in html and "みんなの賛否" in html
    assert client.post(f"/statements/{ids['own']}/vote",
                       data={"vote": "agree"}).status_code == 403
    assert client.post(f"/consultations/{ids['consultation']}/statements",
                       data={"text": "遅れて来ました"}).status_code == 403


def test_drafts_and_unpublished_statements_are_not_found(app, login):
    ids = committed(app, status=ConsultationStatus.DRAFT)
    client = login(fresh_user(app))
    assert client.get(f"/consultations/{ids['consultation']}").status_code == 404
    assert client.post(f"/statements/{ids['own']}/vote",
                       data={"vote": "agree"}).status_code == 404
    with app.app_context():
        consultation = make_consultation()
        pending = make_statement(consultation, status=StatementStatus.PENDING).id
        db.session.commit()
    assert client.post(f"/statements/{pending}/vote", data={"vote": "agree"}).status_code == 404


def test_a_vote_without_a_known_button_is_refused(app, login):
    ids = committed(app)
    client = login(fresh_user(app))
    assert client.post(f"/statements/{ids['own']}/vote",
                       data={"vote": "maybe"}).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StatementVote).where(
            StatementVote.statement_id == ids["own"])) == 0


def test_a_double_tap_on_send_stores_one_statement_and_one_vote(app, login):
    ids = committed(app)
    user = fresh_user(app)
    client = login(user)
    for _ in range(2):
        response = client.post(f"/consultations/{ids['consultation']}/statements",
                               data={"text": "駐輪場に屋根を"})
        assert response.status_code == 302
    with app.app_context():
        rows = db.session.scalars(select(Statement).where(
            Statement.text == "駐輪場に屋根を")).all()
        assert len(rows) == 1 and rows[0].vote_count == 1
    assert votes_of(app, user) == {rows[0].id: AGREE}


def test_statement_text_is_escaped_everywhere(app, login, client):
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    with app.app_context():
        consultation = make_consultation()
        make_statement(consultation, hostile)
        cid = consultation.id
        db.session.commit()
    resident = login(fresh_user(app))
    for page in (client.get(f"/consultations/{cid}"), resident.get(f"/consultations/{cid}")):
        html = page.get_data(as_text=True)
        assert "<script>alert(1)" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
