"""The project page's project, with what it needs to know of its signed-in reader.

After loading the project, the page asked four statements about its reader: do they
manage the lead organisation, are they a member (or waiting), do they manage a
partner, which activity days did they say they come to. On PostgreSQL each is a round
trip (issue 16). On a read request they ride on the project's own statement (a join
and three subqueries on indexed columns) and are kept for the request under the keys
their modules name (``core/request_facts.known``), where the permission and membership
functions find them. A request that writes loads the project alone: each question is
asked when needed, after its writes, as before. The page's figures (members waiting,
volunteer hours) ride on the same statement for every reader, visitors too.
"""

from __future__ import annotations

import functools

from flask import has_request_context
from sqlalchemy import and_, bindparam, exists, select

from komoro_engage.accounts.models import Membership
from komoro_engage.core.request_facts import (
    READER_ID,
    asks_facts,
    item_fact_columns,
    keep_answers,
    keep_item_facts,
    reader_id,
)
from komoro_engage.core.sql import ids_in, joined_ids, one_row_or_404
from komoro_engage.plan.menus import keep_links
from komoro_engage.projects import queries
from komoro_engage.projects.activity_queries import figure_columns, figures_key, rsvped_key
from komoro_engage.projects.membership import member_key
from komoro_engage.projects.messages import partner_manager_key, partner_managers
from komoro_engage.projects.models import ActivityDay, Project, ProjectMember, Rsvp
from komoro_engage.projects.permissions import manager_key, manages_organisation


@functools.cache
def _with_reader():
    """Built once, at first use (its loader options need every mapper configured)."""
    reader = bindparam(READER_ID)
    rsvped = joined_ids(Rsvp.activity_day_id, Rsvp.user_id == reader, exists().where(
        ActivityDay.id == Rsvp.activity_day_id, ActivityDay.project_id == Project.id))
    return (_for_visitors()
            .add_columns(ProjectMember,
                         manages_organisation(Project.lead_organisation_id, reader)
                         .label("manages"),
                         exists(partner_managers(Project.id).where(Membership.user_id == reader))
                         .label("partner_manager"),
                         rsvped.label("rsvped"),
                         *item_fact_columns("project", Project.id))
            .outerjoin(ProjectMember, and_(ProjectMember.project_id == Project.id,
                                           ProjectMember.user_id == reader)))


@functools.cache
def _for_visitors():
    """The project with its figures (members waiting, volunteer hours) and its plan
    links' ids, the same for every reader: ``activity_queries.activity`` and
    ``queries.plan_links`` find them kept."""
    return (select(Project, *figure_columns(Project.id),
                   *queries.PLAN_LINKS.columns(bindparam("project_id")))
            .where(Project.id == bindparam("project_id")).options(*queries.PAGE_OPTIONS))


def project_page(project_id: int) -> Project:
    """The project with what its page shows of it (``queries.PAGE_OPTIONS``), or 404 (the
    caller asks ``permissions.can_view``); with its figures and its reader's facts on a
    read request."""
    if not (has_request_context() and asks_facts()):
        return queries.project_detail(project_id, queries.PAGE_OPTIONS)
    reader = reader_id()
    params = {"project_id": project_id}
    if reader is not None:
        params[READER_ID] = reader
    row = one_row_or_404(_for_visitors() if reader is None else _with_reader(), params)
    project = row.Project
    answers = {figures_key(project.id): (row.waiting, row.volunteer_hours, row.has_days,
                                        row.has_reports)}
    if reader is not None:
        answers |= {
            member_key(project.id, reader): row.ProjectMember,
            partner_manager_key(project.id, reader): bool(row.partner_manager),
            rsvped_key(project.id, reader): set(ids_in(row.rsvped)),
        }
        if project.lead_organisation_id is not None:
            answers[manager_key(project.lead_organisation_id, reader)] = bool(row.manages)
        keep_item_facts("project", project.id, reader, row)  # do they follow it?
    keep_answers(answers)
    keep_links(queries.PLAN_LINKS, project.id, row)
    return project
