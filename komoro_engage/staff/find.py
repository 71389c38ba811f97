"""探す (/staff/find): proposals and projects in every status, one list for staff.

The keyword goes through each feature's own search (the bigram index with its word
check: ``proposals.search_sync.any_status_condition``, ``projects.queries``), which
reaches proposals the public never sees (sent back, pending, hidden, withdrawn) and
projects under review. Filters: kind, status, measure, district, the department a
proposal is routed to now (担当課: proposals only), the author's age band
(their own answer at sign-up, for participation by age), and creation dates in Japan
time. Both features' rows are read as one ``UNION ALL`` of plain columns: the page
costs two statements (a capped count and the rows) whatever the data size
(tests/staff/test_staff_find.py), and its menus one more (``plan.menus``).

The query string is read leniently, as the public lists read theirs: an unknown or
malformed value is ignored, and :attr:`FindFilters.notes` says so next to its field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, literal, null, or_, select, union_all
from werkzeug.datastructures import MultiDict

from komoro_engage.accounts.models import User
from komoro_engage.accounts.services import AGE_BANDS
from komoro_engage.core.clock import start_of_japan_day
from komoro_engage.core.listing import Page
from komoro_engage.core.numbers import MAX_PAGE, page_number, positive_int
from komoro_engage.extensions import db
from komoro_engage.projects import queries as project_queries
from komoro_engage.projects.models import Project, ProjectReview, ProjectStatus, project_measure
from komoro_engage.proposals import search_sync
from komoro_engage.proposals.lifecycle.models import ProposalMeasureLink
from komoro_engage.proposals.models import Proposal, ProposalStatus
from komoro_engage.search.words import matches
from komoro_engage.staff.handling_models import ProposalAssignment

KINDS = ("proposal", "project")
SORTS = ("new", "old", "supported", "title")
DEFAULT_SORT = "new"
# A draft sent back by staff: its author has submitted it once. A draft never submitted
# is the author's own notebook and stays out of the console.
SENT_BACK = "sent_back"
PROPOSAL_STATUSES = (SENT_BACK, *(s.value for s in ProposalStatus if s != ProposalStatus.DRAFT))
# A project's review (審査待ち, 差し戻し) alongside its lifecycle status.
PROJECT_REVIEWS = ("review_pending", "review_returned")
PROJECT_STATUSES = (*PROJECT_REVIEWS, *(s.value for s in ProjectStatus))
STATUSES = tuple(f"proposal:{s}" for s in PROPOSAL_STATUSES) + tuple(
    f"project:{s}" for s in PROJECT_STATUSES)
# Beyond this the page says "1,000+ 件", as the public lists do.
COUNT_CAP = 1000

KIND_LABELS = {"proposal": _l("提案"), "project": _l("プロジェクト")}
# The statuses that are not a proposal's or a project's own: a draft sent back, a review.
EXTRA_STATUS_LABELS = {"proposal:sent_back": _l("差し戻し"),
                       "project:review_pending": _l("審査待ち"),
                       "project:review_returned": _l("差し戻し（審査）")}
UNKNOWN = _l("この値は選べません。条件に入れずに表示しています。")
BAD_DATE = _l("日付は 2026-06-01 の形で入力してください。条件に入れずに表示しています。")
REVERSED = _l("終了日が開始日より前です。日付の条件を入れずに表示しています。")
BAD_SORT = _l("この並び順はありません。新しい順で表示しています。")


def _day(raw: str) -> date | None:
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None
    # Python's first and last days cannot move to UTC or a day forward.
    return day if date.min < day < date.max else None


@dataclass
class FindFilters:
    """The page's query string; ``notes`` holds a message per field whose value was ignored."""

    q: str = ""
    kind: str | None = None
    status: str | None = None  # "proposal:pending", "project:review_pending" …
    measure: int | None = None
    district: int | None = None
    department: int | None = None  # proposals currently routed to it (staff/handling.py)
    age: str | None = None
    since: date | None = None  # Japan dates, both inclusive
    until: date | None = None
    sort: str = DEFAULT_SORT
    page: int = 1
    per_page: int = 20
    notes: dict = field(default_factory=dict)
    typed: dict = field(default_factory=dict)  # what was typed in a refused date, kept

    @classmethod
    def from_args(cls, args: MultiDict) -> FindFilters:
        found = cls(q=(args.get("q") or "").strip()[:100],
                    per_page=current_app.config["PAGE_SIZE"])
        for name, allowed in (("kind", KINDS), ("status", STATUSES), ("age", AGE_BANDS)):
            raw = args.get(name) or ""
            if raw in allowed:
                setattr(found, name, raw)
            elif raw:
                found.notes[name] = UNKNOWN
        for name in ("measure", "district", "department"):
            raw = args.get(name) or ""
            setattr(found, name, positive_int(raw))
            if raw and getattr(found, name) is None:
                found.notes[name] = UNKNOWN
        for name in ("since", "until"):
            raw = (args.get(name) or "").strip()
            setattr(found, name, _day(raw) if raw else None)
            if raw and getattr(found, name) is None:
                found.notes[name], found.typed[name] = BAD_DATE, raw[:40]
        if found.since and found.until and found.until < found.since:
            found.notes["until"] = REVERSED
            found.since = found.until = None
        sort = args.get("sort") or DEFAULT_SORT
        found.sort = sort if sort in SORTS else DEFAULT_SORT
        if sort not in SORTS:
            found.notes["sort"] = BAD_SORT
        raw_page = args.get("page") or ""
        found.page = page_number(raw_page)
        if raw_page and (positive_int(raw_page) or 0) != found.page:
            found.page = 1
            found.notes["page"] = _("ページ番号は 1 から %(max)s までの数字です。"
                                    "1ページ目を表示しています。", max=f"{MAX_PAGE:,}")
        return found

    @property
    def wants(self) -> tuple[bool, bool]:
        """Whether proposals and projects are among the results."""
        kind = self.status.split(":")[0] if self.status else self.kind
        # Only proposals are routed to departments.
        return kind in (None, "proposal"), kind in (None, "project") and not self.department

    def query_args(self, **changes) -> dict:
        """The values in use as URL arguments, for the pager's links."""
        values = {"q": self.q or None, "kind": self.kind, "status": self.status,
                  "measure": self.measure, "district": self.district,
                  "department": self.department, "age": self.age,
                  "since": self.since.isoformat() if self.since else None,
                  "until": self.until.isoformat() if self.until else None,
                  "sort": None if self.sort == DEFAULT_SORT else self.sort,
                  "page": self.page if self.page > 1 else None}
        values.update(changes)
        return {key: value for key, value in values.items() if value is not None}


def _common(filters: FindFilters, model, person_column) -> list:
    """District, age band and dates: the same columns on both tables."""
    where = []
    if filters.district:
        where.append(model.district_id == filters.district)
    if filters.age:
        # The person's own answer (user_account.age_band, indexed), never shown here.
        where.append(person_column.in_(select(User.id).where(User.age_band == filters.age)))
    if filters.since:
        where.append(model.created_at >= start_of_japan_day(filters.since))
    if filters.until:
        where.append(model.created_at < start_of_japan_day(filters.until + timedelta(days=1)))
    return where


def _proposals(filters: FindFilters):
    status = filters.status.split(":")[1] if filters.status else None
    where = [or_(Proposal.status != ProposalStatus.DRAFT, Proposal.submitted_at.is_not(None))]
    if status == SENT_BACK:
        where.append(Proposal.status == ProposalStatus.DRAFT)
    elif status:
        where.append(Proposal.status == status)
    if filters.measure:
        where.append(exists().where(ProposalMeasureLink.proposal_id == Proposal.id,
                                    ProposalMeasureLink.measure_id == filters.measure,
                                    ProposalMeasureLink.unlinked_at.is_(None)))
    if filters.department:
        where.append(Proposal.id.in_(select(ProposalAssignment.proposal_id).where(
            ProposalAssignment.department_id == filters.department,
            ProposalAssignment.is_current)))
    where += _common(filters, Proposal, Proposal.author_id)
    matching = search_sync.any_status_condition(filters.q) if filters.q else None
    if matching is not None:
        where.append(matching)
    return select(literal("proposal").label("kind"), Proposal.id, Proposal.title,
                  Proposal.status, null().label("review"), Proposal.created_at,
                  Proposal.support_count.label("score"), Proposal.district_id).where(*where)


def _projects(filters: FindFilters):
    status = filters.status.split(":")[1] if filters.status else None
    where = []
    if status in PROJECT_REVIEWS:
        where.append(Project.review == status.removeprefix("review_"))
    elif status:
        where.append(Project.status == status)
    if filters.measure:
        where.append(exists().where(project_measure.c.project_id == Project.id,
                                    project_measure.c.measure_id == filters.measure))
    where += _common(filters, Project, Project.created_by_id)
    if filters.q:
        matching = matches(project_queries.SEARCH_KIND, filters.q, Project.id,
                           *project_queries.searched_texts())
        if matching is not None:
            where.append(matching)
    return select(literal("project").label("kind"), Project.id, Project.title,
                  Project.status, Project.review, Project.created_at,
                  Project.member_count.label("score"), Project.district_id).where(*where)


def _order(found, sort: str) -> tuple:
    """Newest, oldest, most supported (a project: most members) or by title; the kind and
    id break ties, so a page never repeats or skips a row."""
    c = found.c
    return {
        "new": (c.created_at.desc(), c.kind, c.id.desc()),
        "old": (c.created_at, c.kind, c.id),
        "supported": (c.score.desc(), c.created_at.desc(), c.kind, c.id.desc()),
        "title": (c.title, c.kind, c.id),
    }[sort]


def _both(filters: FindFilters):
    want_proposals, want_projects = filters.wants
    parts = ([_proposals(filters)] if want_proposals else []) + (
        [_projects(filters)] if want_projects else [])
    return union_all(*parts) if len(parts) > 1 else parts[0]


def found_rows(filters: FindFilters, limit: int) -> list:
    """Every match in the chosen order, at most ``limit`` (the exports: one statement)."""
    found = _both(filters).subquery("found")
    return db.session.execute(select(found).order_by(*_order(found, filters.sort))
                              .limit(limit)).all()


def find_page(filters: FindFilters) -> Page:
    """One page of matching proposals and projects, and their capped total (2 statements)."""
    both = _both(filters)
    limit = max(COUNT_CAP, filters.page * filters.per_page)
    total = db.session.scalar(select(func.count()).select_from(
        select(both.subquery().c.id).limit(limit + 1).subquery()))
    found = both.subquery("found")
    rows = db.session.execute(select(found).order_by(*_order(found, filters.sort))
                              .limit(filters.per_page)
                              .offset((filters.page - 1) * filters.per_page)).all()
    return Page(rows, min(total, limit), filters.page, filters.per_page, total <= limit)


def review_of(row) -> str | None:
    """``"pending"`` or ``"returned"`` for a project under review, else None."""
    return row.review if row.review and row.review != ProjectReview.APPROVED else None
