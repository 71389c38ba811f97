"""Public JSON shapes: what the public pages show; never e-mail, age band or hidden rows."""

from __future__ import annotations

from flask import url_for

from komoro_engage.core.clock import as_utc
from komoro_engage.plan.places import public_place
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
        **_plan_links(proposal),
        "photos": [{"url": url_for("media.photo", key=p.key, _external=True),
                    "thumbnail_url": url_for("media.thumbnail", key=p.key, _external=True),
                    "width": p.width, "height": p.height} for p in proposal.photos],
        "support_count": proposal.support_count,
        "comment_count": proposal.comment_count,
        "published_at": _time(proposal.published_at),
        "last_activity_at": _time(proposal.last_activity_at),
        "place": _place(proposal),
    }


def _place(row) -> dict | None:
    """The public point only (plan/places.py): a mesh centre or a landmark."""
    place = public_place(row)
    return place.as_json() if place else None


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


def _plan_links(row) -> dict:
    return {
        "district": ({"id": row.district.id, "name": row.district.name,
                      "name_en": row.district.name_en} if row.district else None),
        "policy_areas": [{"id": a.id, "number": a.number, "name": a.name, "name_en": a.name_en}
                         for a in row.policy_areas],
        "priority_items": [{"id": i.id, "number": i.number, "title": i.title,
                            "title_en": i.title_en} for i in row.priority_items],
        "measures": [{"id": m.id, "code": m.code, "title": m.title, "title_en": m.title_en}
                     for m in row.measures],
    }


def project_json(project) -> dict:
    """A project as the public page shows it (never members' names or messages)."""
    lead = ({"kind": "organisation", "id": project.lead_organisation.id,
             "name": project.lead_organisation.name} if project.lead_organisation
            else {"kind": "person", "id": None, "name": project.lead_user.nickname})
    proposal = project.proposal
    return {
        "id": project.id,
        "url": url_for("projects.detail", project_id=project.id, _external=True),
        "title": project.title, "summary": project.summary,
        "description": project.description, "status": str(project.status),
        "lead": lead,
        "partners": [{"role": str(p.role), "organisation_id": p.organisation_id,
                      "name": p.organisation.name if p.organisation else p.department}
                     for p in project.partners if p.status == "accepted"],
        **_plan_links(project),
        "proposal_id": proposal.id if proposal is not None and proposal.is_public else None,
        "starts_on": project.starts_on.isoformat() if project.starts_on else None,
        "ends_on": project.ends_on.isoformat() if project.ends_on else None,
        "help_wanted": project.help_items,
        "capacity": project.capacity, "member_count": project.member_count,
        "outcomes": project.outcomes,
        "created_at": _time(project.created_at),
        "status_changed_at": _time(project.status_changed_at),
        "place": _place(project),
    }


def project_detail_json(project, activity) -> dict:
    """The project with its activity days and progress reports."""
    return {
        **project_json(project),
        "activity_days": [{"id": d.id, "title": d.title, "starts_at": _time(d.starts_at),
                           "ends_at": _time(d.ends_at), "place": d.place,
                           "location": _place(d),
                           "capacity": d.capacity, "rsvp_count": d.rsvp_count,
                           "attendance_count": d.attendance_count} for d in activity.days],
        "reports": [{"id": r.id, "body": r.body, "is_completion": r.is_completion,
                     "outcomes": r.outcomes, "attendance_count": r.attendance_count,
                     "volunteer_hours": r.volunteer_hours, "created_at": _time(r.created_at),
                     "photos": [{"url": url_for("media.photo", key=p.key, _external=True),
                                 "thumbnail_url": url_for("media.thumbnail", key=p.key,
                                                          _external=True),
                                 "width": p.width, "height": p.height} for p in r.photos]}
                    for r in activity.reports],
    }
