"""The consultation page parses a stored opinion map once per payload (issue 16), and
never shows an older map or drawing for a newer payload, even one stored at the same
moment (the clock stands still)."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from komoro_engage.accounts.models import Role
from komoro_engage.consultations import analysis, queries
from komoro_engage.consultations.analysis import analyse_consultation, opinion_map_of
from komoro_engage.consultations.demo import load_consultation_demo
from komoro_engage.consultations.models import (
    AGREE,
    DISAGREE,
    PASS,
    Consultation,
    Statement,
    StatementStatus,
)
from komoro_engage.consultations.opinion_groups import OpinionMap
from komoro_engage.consultations.services import cast_vote
from komoro_engage.core import clock
from komoro_engage.extensions import db
from tests.consultations.helpers import make_consultation, make_statement, statements_of
from tests.factories import make_user

MOMENT = datetime(2026, 11, 2, 1, 30, tzinfo=UTC)
DEFAULT_LIMIT = queries.TALLY_LIMIT


def add_voters_and_analyse(app, consultation_id: int | None, voters: int) -> int:
    """People who vote on every published statement, then a fresh snapshot."""
    with app.app_context():
        if consultation_id is None:
            consultation = make_consultation()
            for n in range(6):
                make_statement(consultation, f"意見{n}")
        else:
            consultation = db.session.get(Consultation, consultation_id)
        rows = statements_of(consultation)
        for v in range(voters):
            voter = make_user()
            for n, statement in enumerate(rows):
                cast_vote(voter, statement, (AGREE, DISAGREE, PASS)[(n * v + v) % 3])
        analyse_consultation(consultation)
        db.session.commit()
        return consultation.id


@pytest.fixture
def reader(app, login):
    with app.app_context():
        person = make_user()
        db.session.commit()
    return login(person)


def drawing(html: str) -> str:
    found = re.search(r'<figure class="opinion-figure"><svg.*?</svg>', html, re.S)
    assert found, "the page draws no opinion map"
    return found.group(0)


def test_a_snapshot_is_parsed_once_for_many_views(app, reader, monkeypatch):
    consultation_id = add_voters_and_analyse(app, None, voters=14)
    parsed = []
    parse = OpinionMap.from_json
    monkeypatch.setattr(OpinionMap, "from_json",
                        classmethod(lambda cls, data: parsed.append(1) or parse(data)))
    opinion_map_of.cache_clear()
    pages = [reader.get(f"/consultations/{consultation_id}") for _ in range(3)]
    assert all(page.status_code == 200 for page in pages)
    assert "参加者14人のうち" in pages[-1].get_data(as_text=True)
    assert len(parsed) == 1, parsed


def test_a_newer_snapshot_at_the_same_moment_is_shown(app, reader):
    with clock.freeze(MOMENT):
        consultation_id = add_voters_and_analyse(app, None, voters=14)
        first = reader.get(f"/consultations/{consultation_id}").get_data(as_text=True)
        add_voters_and_analyse(app, consultation_id, voters=9)
        second = reader.get(f"/consultations/{consultation_id}").get_data(as_text=True)
    assert "参加者14人のうち" in first
    assert "参加者23人のうち" in second  # the map itself, not only the turnout
    assert drawing(first) != drawing(second)  # 23 points drawn, not the kept 14


def test_an_empty_payload_is_no_map(app):
    # a staff refresh asked before any analysis stores {}
    assert opinion_map_of("{}") is None and opinion_map_of(None) is None
    with app.app_context():
        staff = make_user(role=Role.STAFF)
        consultation = make_consultation(staff=staff)
        analysis.request_refresh(staff, consultation)
        found = analysis.latest(consultation.id)
        assert found.requested_at is not None and found.opinion_map is None


def groups_section(html: str) -> str:
    found = re.search(r'<section id="opinion-groups".*?</section>', html, re.S)
    assert found, "the page has no opinion groups section"
    return found.group(0)


@pytest.mark.parametrize("tally_limit", [DEFAULT_LIMIT, 3])
def test_a_statement_hidden_since_the_analysis_leaves_the_report(app, reader, monkeypatch,
                                                                 count_queries, tally_limit):
    """The report's texts come from the results table while it holds every published
    statement, else from a statement of their own: either way, a statement hidden since
    the snapshot is not quoted."""
    monkeypatch.setattr(queries, "TALLY_LIMIT", tally_limit)
    monkeypatch.setattr(queries, "TALLIES", queries.TALLIES.limit(tally_limit))
    with app.app_context():
        load_consultation_demo(seed=1)  # planted groups and consensus: statements to quote
        consultation = db.session.scalars(select(Consultation).order_by(
            Consultation.id.desc())).first()
        analyse_consultation(consultation)
        consultation_id = consultation.id
        texts = {s.id: s.text for s in statements_of(consultation)}
        db.session.commit()
    url = f"/consultations/{consultation_id}"
    before = groups_section(reader.get(url).get_data(as_text=True))
    quoted = [sid for sid, words in texts.items() if words in before]
    assert quoted, "the report quotes no statement: nothing to hide"
    with app.app_context():
        db.session.get(Statement, quoted[0]).status = StatementStatus.HIDDEN
        db.session.commit()
    count_queries.reset()
    after = groups_section(reader.get(url).get_data(as_text=True))
    assert texts[quoted[0]] not in after
    assert all(texts[sid] in after for sid in quoted[1:])
    # person, consultation with turnout and snapshot, tallies with the reader's votes and
    # card; with more statements than the tallies hold, the card, own votes and the
    # report's texts have statements of their own (page_votes.py)
    assert count_queries.count == (3 if tally_limit == DEFAULT_LIMIT else 6)
