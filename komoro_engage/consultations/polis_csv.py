"""A consultation's votes and statements as rows in Polis's export layouts.

Polis's report export (``server/src/routes/export``) writes, among others:

- ``participants-votes.csv``: participant, group-id, n-comments, n-votes, n-agree,
  n-disagree, then one column per statement id holding 1 (agree), -1 (disagree),
  0 (pass) or nothing (not seen);
- ``comments.csv``: timestamp (Unix seconds), datetime (as JavaScript's
  ``Date.toString()`` prints it), comment-id, author-id, agrees, disagrees, moderated
  (1 accepted, 0 waiting, -1 rejected), comment-body.

Tools written for Polis's open data (red-dwarf among them) read these files as they
are. Rows are plain lists, the header first; the view writes them through
``core.csv_export`` (BOM, cells neutralised). Participants appear under a number of
this consultation only, as Polis's per-conversation participant ids do: a user id
would link one person's votes across consultations.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from komoro_engage.consultations.opinion_groups import AGREE, DISAGREE, OpinionMap, Vote

JAPAN = ZoneInfo("Asia/Tokyo")
PARTICIPANTS_VOTES_HEADER = ("participant", "group-id", "n-comments", "n-votes", "n-agree",
                             "n-disagree")
COMMENTS_HEADER = ("timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees",
                   "moderated", "comment-body")
ACCEPTED, WAITING, REJECTED = 1, 0, -1  # Polis's "moderated" values
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class StatementRecord:
    """What the statements CSV says of one statement; pass only those the public may see."""

    statement: int
    text: str
    created: datetime  # timezone-aware
    author: int | None = None  # the author's participant (user) id; None: staff or paper
    moderated: int = ACCEPTED


def latest_votes(votes: Iterable[Vote]) -> dict[tuple[int, int], int]:
    """(participant, statement) -> value, a later vote replacing an earlier one."""
    return {(v.participant, v.statement): v.value for v in votes}


def participant_numbers(votes: Iterable[Vote], statements: Sequence[int | StatementRecord] = ()
                        ) -> dict[int, int]:
    """Each voter's and author's number in this consultation: 0, 1, 2… in id order."""
    authors = {s.author for s in statements if isinstance(s, StatementRecord)} - {None}
    ids = {v.participant for v in votes} | authors
    return {pid: number for number, pid in enumerate(sorted(ids))}


def _id(statement: int | StatementRecord) -> int:
    return statement.statement if isinstance(statement, StatementRecord) else statement


def participants_votes_rows(opinion_map: OpinionMap, votes: Iterable[Vote],
                            statements: Sequence[int | StatementRecord], *,
                            numbers: Mapping[int, int] | None = None) -> Iterator[list]:
    """``participants-votes.csv``: one row per voter, one column per statement.

    ``statements`` are the columns, as ids or records (records also give n-comments);
    the group is the one ``opinion_map`` put the participant in (empty: none).
    """
    votes = list(votes)
    numbers = numbers if numbers is not None else participant_numbers(votes, statements)
    columns = [_id(s) for s in statements]
    wanted = set(columns)
    latest = {key: value for key, value in latest_votes(votes).items() if key[1] in wanted}
    by_participant: dict[int, dict[int, int]] = {}
    for (participant, statement), value in latest.items():
        by_participant.setdefault(participant, {})[statement] = value
    group_of = {p: g.label for g in opinion_map.groups for p in g.participants}
    written = {}
    for s in statements:
        if isinstance(s, StatementRecord) and s.author is not None:
            written[s.author] = written.get(s.author, 0) + 1
    yield [*PARTICIPANTS_VOTES_HEADER, *columns]
    for participant in sorted(by_participant, key=lambda p: numbers[p]):
        own = by_participant[participant]
        values = list(own.values())
        yield [numbers[participant], group_of.get(participant), written.get(participant, 0),
               len(values), values.count(AGREE), values.count(DISAGREE),
               *(own.get(statement) for statement in columns)]


def polis_datetime(moment: datetime) -> str:
    """As JavaScript's Date.toString() prints it on a server in Japan (English names,
    whatever the process's locale)."""
    local = moment.astimezone(JAPAN)
    return (f"{DAYS[local.weekday()]} {MONTHS[local.month - 1]} {local:%d %Y %H:%M:%S} "
            "GMT+0900 (Japan Standard Time)")


def statements_rows(statements: Sequence[StatementRecord], votes: Iterable[Vote], *,
                    numbers: Mapping[int, int] | None = None) -> Iterator[list]:
    """``comments.csv``: one row per statement with its agrees and disagrees."""
    votes = list(votes)
    numbers = numbers if numbers is not None else participant_numbers(votes, statements)
    agrees: dict[int, int] = {}
    disagrees: dict[int, int] = {}
    for (_participant, statement), value in latest_votes(votes).items():
        if value == AGREE:
            agrees[statement] = agrees.get(statement, 0) + 1
        elif value == DISAGREE:
            disagrees[statement] = disagrees.get(statement, 0) + 1
    yield list(COMMENTS_HEADER)
    for s in sorted(statements, key=lambda record: record.statement):
        yield [int(s.created.timestamp()), polis_datetime(s.created), s.statement,
               numbers.get(s.author) if s.author is not None else None,
               agrees.get(s.statement, 0), disagrees.get(s.statement, 0), s.moderated, s.text]
