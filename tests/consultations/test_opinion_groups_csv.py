"""Open data in Polis's export layouts: participants-votes.csv and comments.csv."""

from __future__ import annotations

import csv
import io
import warnings
from datetime import UTC, datetime

from komoro_engage.consultations.opinion_groups import AGREE, DISAGREE, PASS, Vote, analyse
from komoro_engage.consultations.opinion_planted import planted_votes
from komoro_engage.consultations.polis_csv import (
    REJECTED,
    StatementRecord,
    participant_numbers,
    participants_votes_rows,
    polis_datetime,
    statements_rows,
)
from komoro_engage.core.csv_export import csv_lines

CREATED = datetime(2026, 12, 3, 21, 40, 50, tzinfo=UTC)
VOTES = [Vote(501, 11, AGREE), Vote(501, 12, DISAGREE), Vote(501, 12, PASS),
         Vote(733, 11, DISAGREE), Vote(733, 13, AGREE), Vote(733, 99, AGREE)]
RECORDS = [StatementRecord(11, "駅前に駐輪場を", CREATED, author=733),
           StatementRecord(12, "=HYPERLINK(\"x\")", CREATED, author=None),
           StatementRecord(13, "公園の除雪", CREATED, author=733, moderated=REJECTED)]


def test_participants_votes_has_polis_columns_and_one_column_per_statement():
    opinion_map = analyse(VOTES, statements=[11, 12, 13])
    rows = list(participants_votes_rows(opinion_map, VOTES, RECORDS))
    assert rows[0] == ["participant", "group-id", "n-comments", "n-votes", "n-agree",
                       "n-disagree", 11, 12, 13]
    # Numbers of this consultation, not user ids; the later vote on 12 (pass) counts;
    # the vote on 99 (not a column) is left out; an unseen statement is an empty cell.
    assert rows[1:] == [[0, None, 0, 2, 1, 0, AGREE, PASS, None],
                        [1, None, 2, 2, 1, 1, DISAGREE, None, AGREE]]


def test_group_id_is_the_maps_group():
    planted = planted_votes(seed=1)
    opinion_map = analyse(planted.votes, seed=1)
    rows = list(participants_votes_rows(opinion_map, planted.votes, list(planted.statements)))
    numbers = participant_numbers(planted.votes)
    group_of = {numbers[p]: g.label for g in opinion_map.groups for p in g.participants}
    assert len(rows) == 181 and len(rows[0]) == 6 + 30
    assert all(row[1] == group_of[row[0]] for row in rows[1:])
    assert {row[1] for row in rows[1:]} == {0, 1, 2}
    assert all(row[3] == sum(cell is not None for cell in row[6:]) for row in rows[1:])


def test_comments_csv_has_polis_columns_counts_and_time():
    rows = list(statements_rows(RECORDS, VOTES))
    assert rows[0] == ["timestamp", "datetime", "comment-id", "author-id", "agrees",
                       "disagrees", "moderated", "comment-body"]
    assert rows[1] == [1796334050, "Fri Dec 04 2026 06:40:50 GMT+0900 (Japan Standard Time)",
                       11, 1, 1, 1, 1, "駅前に駐輪場を"]
    assert rows[2][2:] == [12, None, 0, 0, 1, '=HYPERLINK("x")']
    assert rows[3][2:] == [13, 1, 1, 0, REJECTED, "公園の除雪"]


def test_datetime_is_japan_time_with_english_names():
    assert polis_datetime(datetime(2027, 1, 1, 0, 0, tzinfo=UTC)) == (
        "Fri Jan 01 2027 09:00:00 GMT+0900 (Japan Standard Time)")


def test_written_through_the_csv_export_formulas_are_neutralised():
    text = "".join(csv_lines(statements_rows(RECORDS, VOTES)))
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[2][-1] == "'=HYPERLINK(\"x\")" and rows[2][3] == ""
    votes_text = "".join(csv_lines(participants_votes_rows(analyse(VOTES), VOTES, RECORDS)))
    assert votes_text.splitlines()[2].endswith(",-1,,1")  # numbers stay numbers


def test_red_dwarfs_polis_models_read_the_comments_rows():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from reddwarf.models import Statement
    records = [r for r in RECORDS if r.author is not None]
    text = "".join(csv_lines(statements_rows(records, VOTES))).removeprefix("\ufeff")
    read = [Statement(**row) for row in csv.DictReader(io.StringIO(text))]
    assert [(s.statement_id, s.participant_id, s.agree_count, int(s.moderated)) for s in read] \
        == [(11, 1, 1, 1), (13, 1, 1, -1)]
