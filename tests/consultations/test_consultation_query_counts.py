"""The consultation pages and the vote POST run the same number of SQL statements
whatever the number of statements, votes and people."""

import pytest

from komoro_engage.consultations.analysis import analyse_consultation
from komoro_engage.consultations.models import AGREE, DISAGREE, PASS, Consultation
from komoro_engage.consultations.services import cast_vote
from komoro_engage.extensions import db
from tests.consultations.helpers import make_consultation, make_statement
from tests.factories import make_user

HTMX = {"HX-Request": "true"}


def grow(app, consultation_id: int | None, statements: int, voters: int) -> dict:
    """Add statements and people who voted on every one of them."""
    with app.app_context():
        consultation = (db.session.get(Consultation, consultation_id) if consultation_id
                        else make_consultation())
        rows = [make_statement(consultation, f"意見{n}") for n in range(statements)]
        for v in range(voters):
            voter = make_user()
            for n, statement in enumerate(rows):
                cast_vote(voter, statement, (AGREE, DISAGREE, PASS)[(n + v) % 3])
        db.session.commit()
        return {"consultation": consultation.id, "statement": rows[0].id}


@pytest.fixture
def resident(app):
    with app.app_context():
        user = make_user()
        db.session.commit()
    return user


def test_the_page_does_not_grow(app, login, client, count_queries, resident):
    small = grow(app, None, statements=3, voters=2)
    url = f"/consultations/{small['consultation']}"
    signed_in = login(resident)
    signed_in.post(f"/statements/{small['statement']}/vote", data={"vote": "agree"})
    client.get(url)  # the plan's names, read once per plan version (plan/menus.py)
    before = (count_queries.of_get(client, url), count_queries.of_get(signed_in, url))
    grow(app, small["consultation"], statements=12, voters=6)
    after = (count_queries.of_get(client, url), count_queries.of_get(signed_in, url))
    assert before == after, count_queries.statements
    # measured: 3 and 3 (no snapshot yet: the consultation, the tallies and the plan's
    # version, which rides on the person's statement when signed in); 3 and 4 while its
    # measures and policy areas were joined ORM rows; 3 and 6 while the card and one's
    # votes had a statement each (page_votes.py); 4 and 7 while the turnout had a
    # statement of its own; 6 and 9 when the links had a statement each (selectinload)
    assert after[0] <= 3 and after[1] <= 3, after


def test_the_vote_post_does_not_grow(app, login, count_queries, resident):
    small = grow(app, None, statements=3, voters=2)
    client = login(resident)

    def vote_count(statement_id, **headers):
        count_queries.reset()
        response = client.post(f"/statements/{statement_id}/vote", data={"vote": "agree"},
                               headers=headers)
        assert response.status_code in (200, 302)
        return count_queries.count

    before = (vote_count(small["statement"]), vote_count(small["statement"], **HTMX))
    big = grow(app, small["consultation"], statements=12, voters=6)
    after = (vote_count(big["statement"]), vote_count(big["statement"], **HTMX))
    assert before == after, count_queries.statements
    # person, statement with its consultation, vote, htmx: next card; version
    # The first vote: one upsert (the database's triggers count it); the second (htmx, the
    # same statement) changes it: one upsert, not an INSERT that yields and then an UPDATE.
    assert after == (4, 5), after  # before the upsert: 5 and 6; before the triggers: 5, 5
    writes = [sql for sql in count_queries.statements if "statement_vote" in sql.lower()
              and not sql.lstrip().upper().startswith("SELECT")]
    assert len(writes) == 1, writes


def test_the_page_with_a_snapshot_does_not_grow(app, client, count_queries):
    small = grow(app, None, statements=8, voters=16)
    with app.app_context():
        analyse_consultation(db.session.get(Consultation, small["consultation"]))
        db.session.commit()
    url = f"/consultations/{small['consultation']}"
    before = count_queries.of_get(client, url)
    grow(app, small["consultation"], statements=12, voters=10)
    with app.app_context():
        analyse_consultation(db.session.get(Consultation, small["consultation"]))
        db.session.commit()
    after = count_queries.of_get(client, url)
    # the consultation with its turnout and snapshot, the plan's version and the tallies
    # (the quoted texts are the table's while it holds every statement); 5 with the
    # turnout and texts apart
    assert before == after <= 3, count_queries.statements
