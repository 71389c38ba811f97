"""The demo's follows: from who took part, a few chosen ones, one stopped; loaded once."""

from sqlalchemy import select

from komoro_engage.extensions import db
from komoro_engage.notifications.demo import load_demo_follows
from komoro_engage.notifications.follow_models import Follow
from komoro_engage.proposals.demo import load_demo
from komoro_engage.proposals.models import Proposal


def test_demo_follows_are_made_once(ctx):
    load_demo(60, seed=1)
    made = load_demo_follows()
    assert made > 0
    assert load_demo_follows() == 0  # loading again adds nothing
    follows = db.session.scalars(select(Follow)).all()
    kinds = {str(f.target_type) for f in follows}
    assert {"proposal", "measure", "policy_area", "district"} <= kinds
    assert any(not f.automatic for f in follows) and any(f.automatic for f in follows)
    assert sum(f.stopped_at is not None for f in follows) == 1
    for f in follows:
        if f.target_type == "proposal" and f.automatic:
            assert db.session.get(Proposal, f.target_id).is_public
