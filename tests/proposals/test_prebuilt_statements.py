"""The proposal page's statements are built once per process and run with each page's ids
(issue 16): the proposal, its plan links, the city's record and whether the reader
supports it. Each page must read its own rows, never those of the page built first."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from werkzeug.exceptions import NotFound

from komoro_engage.extensions import db
from komoro_engage.plan.models import Measure
from komoro_engage.proposals.engagement import has_supported, support_proposal
from komoro_engage.proposals.lifecycle.models import ProposalMeasureLink
from komoro_engage.proposals.lifecycle.record import city_record
from komoro_engage.proposals.models import Proposal
from komoro_engage.proposals.plan_menus import links
from komoro_engage.proposals.reader import proposal_page
from tests.factories import make_user
from tests.proposals.helpers import area, make_proposal


def test_each_proposal_reads_its_own_rows(app):
    with app.app_context():
        reader, other = make_user(), make_user()
        first = make_proposal(title="一つ目の提案", areas=(1,))
        second = make_proposal(title="二つ目の提案", areas=(2,))
        measure_a, measure_b = db.session.scalars(select(Measure).order_by(Measure.id).limit(2))
        db.session.add_all([
            ProposalMeasureLink(proposal_id=first.id, measure_id=measure_a.id, fiscal_year=2026),
            ProposalMeasureLink(proposal_id=second.id, measure_id=measure_b.id,
                                fiscal_year=2026)])
        support_proposal(reader, second)
        db.session.flush()
        first_id, second_id = first.id, second.id
        db.session.expunge_all()  # the statements load afresh, not from the identity map

        assert proposal_page(first_id).title == "一つ目の提案"
        assert proposal_page(second_id).title == "二つ目の提案"
        with pytest.raises(NotFound):
            proposal_page(db.session.scalar(select(func.max(Proposal.id))) + 1000)

        first, second = proposal_page(first_id), proposal_page(second_id)
        assert [c.id for c in links(first)["areas"]] == [area(1).id]
        assert [c.id for c in links(second)["areas"]] == [area(2).id]
        assert [c.id for c in links(first)["measures"]] == [measure_a.id]
        assert [c.id for c in links(second)["measures"]] == [measure_b.id]

        assert [link.measure_id for link in city_record(first).links] == [measure_a.id]
        assert [link.measure_id for link in city_record(second, staff=True).links] == [
            measure_b.id]

        assert has_supported(reader, second) and not has_supported(reader, first)
        assert not has_supported(other, second)
