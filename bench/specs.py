"""What the benchmark measures: one line per page.

Pages are judged as a signed-in resident (or the demo staff member) sees them:
a real session cookie, so every request renders (the visitors' page cache never
keeps a signed-in person's page). Each GET page is also measured as a
signed-out visitor's kept page (``core/page_cache.py``), reported beside it.

A spec whose ``needs`` endpoint is not in the app is reported as "not
measured" with the reason, never left out silently. ``{proposal}`` and
``{project}`` (in paths and bodies) are filled from ``bench.data.sample_ids``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    name: str
    path: str
    method: str = "GET"
    # endpoint that must exist for the page to be measured
    needs: str | None = None
    # form body for POSTs (sent with a valid session cookie and CSRF token)
    body: str = ""
    # who the rendered page is for: "resident", "staff" (ids from sample_ids) or None
    signed_in_as: str | None = "resident"
    # distinct signed-in residents that take turns (support, then withdraw) so every
    # request writes; 0 = one session for every request
    sessions: int = 0
    # (this, that): every other request goes to the path with ``this`` replaced by ``that``
    alternate: tuple[str, str] | None = None
    # sent as htmx sends it (HX-Request): what a phone with JavaScript asks for
    htmx: bool = False
    # the budget for the rendered page: at least this share of the bare route
    budget: float | None = None
    # measure a signed-out visitor's kept page too (GET pages a visitor can open)
    visitors: bool = True
    # part of the page-weight table (HTML pages a person opens)
    weigh: bool = True


# Kept pages for visitors: at least this share of the bare route (issue 16).
VISITOR_BUDGET = 0.5


def beside_seconds(duration: int) -> int:
    """How long the bare route is measured again after each page of ``duration`` seconds.

    The machine's speed drifts within a run (other tenants of the host, the kernel's
    writeback): the bare route measured minutes earlier can be a third faster or slower
    than while a page is loaded. So each page is also set against the bare route measured
    just before and just after it (``bench/report.py``).
    """
    return max(2, duration // 3)


# Suffix of the visitors' rows.
KEPT = ", visitor (kept)"

BARE = PageSpec("bare route (ceiling)", "/bench/bare", signed_in_as=None, visitors=False,
                weigh=False)

PAGES: list[PageSpec] = [
    BARE,
    PageSpec("home", "/", budget=0.15),
    PageSpec("policy area", "/plan/areas/1"),
    PageSpec("measure", "/plan/measures/1-2?edition=basic-plan-9"),
    PageSpec("districts", "/plan/districts"),
    PageSpec("proposal list (filtered)", "/proposals?area=1&sort=new",
             needs="proposals.index", budget=0.15),
    # 公園 is in the demo's place names (飯綱山公園), so the search finds real matches.
    PageSpec("search, 2 characters", "/proposals?q=%E5%85%AC%E5%9C%92",  # q=公園
             needs="proposals.index", budget=0.15),
    PageSpec("proposal detail", "/proposals/{proposal}", needs="proposals.detail",
             budget=0.15),
    PageSpec("project list", "/projects", needs="projects.index", budget=0.15),
    PageSpec("project detail", "/projects/{project}", needs="projects.detail", budget=0.15),
    PageSpec("dashboard", "/dashboard", needs="evaluation.dashboard", budget=0.10),
    PageSpec("consultation", "/consultations/{consultation}", needs="consultations.detail",
             budget=0.15),
    # Not weighed: the bench weighs a page as a visitor fetches it, and a visitor is sent
    # to sign in (the staff console's weight is not measured anywhere yet).
    PageSpec("staff console", "/staff", needs="staff.console", signed_in_as="staff",
             visitors=False, budget=0.10, weigh=False),
    PageSpec("staff queue: reports", "/staff?queue=reports", needs="staff.console",
             signed_in_as="staff", visitors=False, budget=0.10, weigh=False),
    PageSpec("staff queue: past the threshold", "/staff?queue=threshold", needs="staff.console",
             signed_in_as="staff", visitors=False, budget=0.10, weigh=False),
    # htmx's in-place update (what a phone with JavaScript sends); each request is a
    # support or a withdrawal by one of 64 residents in turn, so every request writes.
    PageSpec("support POST", "/proposals/{proposal}/support", method="POST",
             needs="proposals.support", sessions=64, alternate=("/support", "/unsupport"),
             htmx=True, budget=0.10, visitors=False, weigh=False),
    # A resident's 市民予算 ballot, sent again every request (it replaces their choices):
    # the plain form post a phone without JavaScript makes, answered by a redirect.
    PageSpec("ballot POST", "/budgets/{budget}/vote", method="POST", needs="budgeting.vote",
             body="project={budget_project}&action=vote", budget=0.10, visitors=False,
             weigh=False),
    # A vote (賛成) on one statement with htmx, the next card back; the same resident
    # each time, so after the first request every vote is a changed vote (an UPDATE).
    PageSpec("vote POST", "/statements/{statement}/vote", method="POST",
             needs="consultations.vote", htmx=True, body="vote=agree", budget=0.10,
             visitors=False, weigh=False),
    # A new comment every request, posted with htmx: the comment section comes back.
    PageSpec("comment POST", "/proposals/{proposal}/comments", method="POST",
             needs="proposals.comment", htmx=True,
             body="body=%E8%B3%9B%E6%88%90%E3%81%A7%E3%81%99%E3%80%82&stance=for",  # 賛成です。
             budget=0.10, visitors=False, weigh=False),
    # A resident saves the first page of the demo's open survey (its answers replaced each
    # time, as when someone changes them); htmx's HX-Redirect to the next page comes back.
    PageSpec("survey answer POST", "/surveys/{survey}/answer?page=1", method="POST",
             needs="surveys.answer", htmx=True, body="q{survey_question}=2",
             budget=0.10, visitors=False, weigh=False),
]
