"""Public JSON shapes: what the public pages show; never e-mail, age band or hidden rows."""

from __future__ import annotations

from flask import url_for

from komoro_engage.core.clock import as_utc
from komoro_engage.proposals.models import Proposal


def _time(moment) -> str | None:
    return as_utc(moment).isoformat() if moment else None


def proposal_json(proposal: Proposal) -> dict:
    return {
        "id": proposal.id,
        "url": url_for("proposals.detail", proposal_id=proposal.id, _external=True),
        "title": proposal.title,
        "body": proposal.body,
        "kind": str(proposal.kind),
        "status": str(proposal.status),
        "author": {"nickname": proposal.author.nickname},
        "organisation": ({"id": proposal.organisation.id, "name": proposal.organisation.name}
                         if proposal.organisation else None),
        "district": ({"id": proposal.district.id, "name": proposal.district.name,
                      "name_en": proposal.district.name_en} if proposal.district else None),
        "policy_areas": [{"id": a.id, "number": a.number, "name": a.name, "name_en": a.name_en}
                         for a in proposal.policy_areas],
        "priority_items": [{"id": i.id, "number": i.number, "title": i.title,
                            "title_en": i.title_en} for i in proposal.priority_items],
        "measures": [{"id": m.id, "code": m.code, "title": m.title, "title_en": m.title_en}
                     for m in proposal.measures],
        "photos": [{"url": url_for("media.photo", key=p.key, _external=True),
                    "thumbnail_url": url_for("media.thumbnail", key=p.key, _external=True),
                    "width": p.width, "height": p.height} for p in proposal.photos],
        "support_count": proposal.support_count,
        "comment_count": proposal.comment_count,
        "published_at": _time(proposal.published_at),
        "last_activity_at": _time(proposal.last_activity_at),
    }


def plan_json(edition, areas, measures, items, districts) -> dict:
    by_area: dict[int, list] = {}
    for measure in measures:
        by_area.setdefault(measure.policy_area_id, []).append({
            "id": measure.id, "code": measure.code, "title": measure.title,
            "title_en": measure.title_en, "provisional": measure.provisional})
    all_codes = [m.code for m in measures]
    return {
        "edition": {"code": edition.code, "name": edition.name, "name_en": edition.name_en,
                    "start_fy": edition.start_fy, "end_fy": edition.end_fy},
        "policy_areas": [{"id": a.id, "number": a.number, "name": a.name, "name_en": a.name_en,
                          "measures": by_area.get(a.id, [])} for a in areas],
        "priority_items": [{
            "id": i.id, "number": i.number, "title": i.title, "title_en": i.title_en,
            "measure_codes": all_codes if i.cites_all_measures else [m.code for m in i.measures],
        } for i in items],
        "districts": [{"id": d.id, "name": d.name, "name_en": d.name_en,
                       "kus": [{"id": k.id, "name": k.name} for k in d.kus]} for d in districts],
    }
