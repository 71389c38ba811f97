"""The proposal list's map view: the selection's public places in one statement."""

from __future__ import annotations

from sqlalchemy import select

from komoro_engage.extensions import db
from komoro_engage.plan.models import District, Ku
from komoro_engage.proposals.models import Proposal
from komoro_engage.proposals.queries import ProposalFilters, conditions

# The map view shows the selection in one go: past this many, narrow the filters.
MAP_CAP = 500


def map_rows(filters: ProposalFilters) -> list:
    """Public proposals of the selection by district and 区, for the map view and its
    no-JS list (one query). Only public columns: the exact point is never selected."""
    return db.session.execute(
        select(Proposal.id, Proposal.title, Proposal.public_latitude, Proposal.public_longitude,
               District.name.label("district_name"), District.name_en.label("district_name_en"),
               Ku.name.label("ku_name"))
        .select_from(Proposal)
        .outerjoin(District, District.id == Proposal.district_id)
        .outerjoin(Ku, Ku.id == Proposal.ku_id)
        .where(*conditions(filters))
        .order_by(District.sort_order.is_(None), District.sort_order, Ku.sort_order.is_(None),
                  Ku.sort_order, Proposal.id.desc())
        .limit(MAP_CAP + 1)).all()
