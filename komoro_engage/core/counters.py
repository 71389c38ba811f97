"""Denormalised counters (supports, comments) kept exact under concurrency.

A counter changes with one atomic ``UPDATE … SET n = n ± 1`` in the same
transaction as the row it counts, so twenty simultaneous writers leave the
exact number. Any feature's model with an ``id`` and the counter column works.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from komoro_engage.core import clock
from komoro_engage.extensions import db


def bump_counter(subject, column: str, delta: int, touch: bool = True) -> int:
    """Atomically add ``delta`` to a counter of ``subject`` (a proposal, a project …).

    ``touch`` also moves the row's ``last_activity_at`` where it has one (projects have none).
    Returns the stored value, which the loaded row also holds without a reload.
    """
    model = type(subject)
    touch = touch and hasattr(model, "last_activity_at")
    values = {column: getattr(model, column) + delta}
    returned = [getattr(model, column)]
    if touch:
        values["last_activity_at"] = clock.now()
        returned.append(model.last_activity_at)
    stored = db.session.execute(
        update(model).where(model.id == subject.id).values(**values)
        .returning(*returned).execution_options(synchronize_session=False)
    ).one()
    set_committed_value(subject, column, stored[0])
    if touch:
        set_committed_value(subject, "last_activity_at", stored[1])
    return stored[0]
