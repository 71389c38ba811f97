"""Votes with planted opinion groups: for the demo, the benchmark and the tests.

Each planted group agrees with its own block of statements, which the other groups
disagree with; everyone agrees with the consensus statements; every other statement
gets random votes. A share of all votes (``noise``) is replaced by a random one, and
each participant sees only some statements, so the analysis meets missing votes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from komoro_engage.consultations.opinion_groups import AGREE, DISAGREE, PASS, Vote


@dataclass(frozen=True)
class Planted:
    votes: list[Vote]
    group_of: dict[int, int]  # participant -> planted group
    own: tuple[tuple[int, ...], ...]  # per group: the statements it alone agrees with
    consensus: tuple[int, ...]  # statements everyone agrees with
    statements: tuple[int, ...]


def planted_votes(*, groups: int = 3, per_group: int = 60, statements: int = 30,
                  own: int = 6, consensus: int = 4, noise: float = 0.1,
                  seen: float | tuple[int, int] = 0.75, first_participant: int = 1,
                  first_statement: int = 1, seed: int = 0) -> Planted:
    """Votes of ``groups`` × ``per_group`` participants on ``statements`` statements.

    ``seen`` is the share of statements each participant votes on, or a (fewest, most)
    range of how many. Statement ids run from ``first_statement``: the consensus ones
    first, then each group's block of ``own``, then the random ones.
    """
    if consensus + groups * own > statements:
        raise ValueError("more planted statements than statements")
    rng = random.Random(seed)
    ids = tuple(range(first_statement, first_statement + statements))
    agreed = ids[:consensus]
    blocks = tuple(ids[consensus + g * own: consensus + (g + 1) * own] for g in range(groups))
    block_of = {s: g for g, block in enumerate(blocks) for s in block}
    votes, group_of = [], {}
    for g in range(groups):
        for i in range(per_group):
            participant = first_participant + g * per_group + i
            group_of[participant] = g
            for statement in _seen(rng, ids, seen):
                if statement in block_of:
                    value = AGREE if block_of[statement] == g else DISAGREE
                elif statement in agreed:
                    value = AGREE
                else:
                    value = rng.choice((AGREE, DISAGREE, PASS))
                if rng.random() < noise:
                    value = rng.choice((AGREE, DISAGREE, PASS))
                votes.append(Vote(participant, statement, value))
    return Planted(votes=votes, group_of=group_of, own=blocks, consensus=agreed,
                   statements=ids)


def _seen(rng: random.Random, ids: tuple[int, ...], seen: float | tuple[int, int]) -> list[int]:
    if isinstance(seen, tuple):
        fewest, most = seen
        return sorted(rng.sample(ids, min(len(ids), rng.randint(fewest, most))))
    return [statement for statement in ids if rng.random() < seen]
