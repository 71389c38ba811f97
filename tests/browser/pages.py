"""The page types the browser tests visit: one line each.

Screenshots, axe, layout and keyboard tests run over every entry, and
tests/test_page_weight.py weighs the public ones. A path names the shared
records of ``tests/browser/world.py`` in braces (``/proposals/{proposal}``).
An ``audience`` other than "anonymous" is one of ``world.build``'s users; the
browser is signed in as them by their session cookie (``sign_in``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageType:
    name: str
    path: str
    status: int = 200
    audience: str = "anonymous"

    def __str__(self) -> str:
        return f"{self.name}[{self.audience}]"

    def url(self, site) -> str:
        """The path with the shared records' ids filled in."""
        if "{comment}" in self.path:
            site.world.keep_comment_editable()
        return self.path.format(**site.world.ids)


PAGES = [
    # the plan, read by anyone
    PageType("home", "/"),
    PageType("policy-area", "/plan/areas/1"),
    PageType("measure", "/plan/measures/1-2"),
    PageType("priority-item", "/plan/priorities/2"),
    PageType("districts", "/plan/districts"),
    PageType("accessibility", "/accessibility"),
    PageType("display-settings", "/settings/display?next=/proposals"),
    PageType("dashboard", "/dashboard"),
    PageType("voices-map", "/voices/measures/{voices}"),
    PageType("project-list", "/projects?status=recruiting"),
    PageType("project-map", "/projects?view=map"),
    PageType("not-found", "/plan/areas/99", status=404),
    # proposals
    PageType("proposal-list", "/proposals?q=花壇"),
    PageType("proposal-map", "/proposals?view=map"),
    PageType("proposal-detail", "/proposals/{proposal}"),
    PageType("proposal-detail", "/proposals/{proposal}", audience="resident"),
    PageType("proposal-new", "/proposals/new", audience="resident"),
    PageType("proposal-edit", "/proposals/{draft}/edit", audience="resident"),
    PageType("proposal-report", "/proposals/{proposal}/report", audience="resident"),
    PageType("comment-edit", "/comments/{comment}/edit", audience="resident"),
    PageType("my-proposals", "/proposals/mine", audience="resident"),
    # 市民予算
    PageType("budget-list", "/budgets"),
    PageType("budget-detail", "/budgets/{budget_voting}"),
    PageType("budget-results", "/budgets/{budget_done}/results"),
    PageType("budget-vote", "/budgets/{budget_voting}/vote", audience="resident"),
    PageType("budget-my-vote", "/budgets/{budget_done}/my-vote", audience="resident"),
    # consultations (広聴)
    PageType("consultation-list", "/consultations"),
    PageType("consultation", "/consultations/{consultation}"),
    PageType("consultation", "/consultations/{consultation}", audience="resident"),
    PageType("consultation-report", "/consultations/{analysed}"),
    PageType("statement-report", "/statements/{statement}/report", audience="resident"),
    # surveys
    PageType("survey-list", "/surveys"),
    PageType("survey", "/surveys/{survey}"),
    PageType("survey-answer", "/surveys/{survey}/answer?page=2"),
    PageType("survey-results", "/surveys/{closed_survey}/results"),
    PageType("survey-results-by", "/surveys/{closed_survey}/results/by/district"),
    PageType("survey-voices-map", "/voices/surveys/{closed_survey}"),
    PageType("survey-answer", "/surveys/{survey}/answer", audience="resident"),
    PageType("survey-builder", "/staff/surveys/{survey}", audience="staff"),
    PageType("survey-builder-draft", "/staff/surveys/{draft_survey}", audience="staff"),
    PageType("survey-paper", "/staff/surveys/{survey}/paper", audience="staff"),
    PageType("survey-texts", "/staff/surveys/{closed_survey}/texts", audience="staff"),
    PageType("survey-indicator", "/staff/surveys/{survey}/indicators", audience="staff"),
    PageType("poll-new", "/staff/polls/new", audience="staff"),
    PageType("vision-targets", "/staff/vision-targets", audience="staff"),
    # accounts and organisations
    PageType("sign-in", "/login"),
    PageType("sign-up", "/signup"),
    PageType("forgot-password", "/password/forgot"),
    PageType("organisations", "/organisations"),
    PageType("organisation", "/organisations/{org}"),
    PageType("account", "/account", audience="resident"),
    PageType("profile", "/account/profile", audience="resident"),
    PageType("change-password", "/account/password", audience="resident"),
    PageType("your-data", "/account/data", audience="resident"),
    PageType("following", "/account/following", audience="resident"),
    PageType("organisation-new", "/organisations/new", audience="resident"),
    PageType("organisation-edit", "/organisations/{org}/edit", audience="manager"),
    PageType("members", "/organisations/{org}/members", audience="manager"),
    # staff and admin
    PageType("review-queue", "/proposals/review", audience="staff"),
    PageType("voices-map", "/voices/measures/{voices}", audience="staff"),
    PageType("voices-label", "/voices/measure/{voices}/clusters/c1/label", audience="staff"),
    PageType("proposal-pending", "/proposals/{pending}", audience="staff"),
    PageType("decision", "/proposals/{pending}/send-back", audience="staff"),
    PageType("console-pending", "/staff", audience="staff"),  # the cards' facts, bulk form
    PageType("console-threshold", "/staff?queue=threshold", audience="staff"),
    PageType("console-statements", "/staff?queue=statements", audience="staff"),
    PageType("staff-find", "/staff/find?q=花壇&sort=supported", audience="staff"),
    PageType("staff-find-department", "/staff/find?department={department}", audience="staff"),
    PageType("console-mine", "/staff?queue=mine", audience="staff"),
    PageType("staff-handling", "/staff/proposals/{proposal}/handling", audience="staff"),
    PageType("project-notes", "/staff/projects/{project}/notes", audience="staff"),
    PageType("admin-departments", "/admin/departments", audience="admin"),
    PageType("admin-department", "/admin/departments/{department}", audience="admin"),
    PageType("admin-user-departments", "/admin/users/{staff_user}/departments",
             audience="admin"),
    # お知らせメール (issue 22 point 3): the staff's steps and the public archive
    PageType("staff-newsletters", "/staff/newsletters", audience="staff"),
    PageType("staff-newsletter-new", "/staff/newsletters/new", audience="staff"),
    PageType("staff-newsletter", "/staff/newsletters/{newsletter_draft}", audience="staff"),
    PageType("staff-newsletter-edit", "/staff/newsletters/{newsletter_draft}/edit",
             audience="staff"),
    PageType("staff-newsletter-check", "/staff/newsletters/{newsletter_draft}/check",
             audience="staff"),
    PageType("newsletter-archive", "/newsletters"),
    PageType("newsletter", "/newsletters/{newsletter_sent}"),
    PageType("project-message-new", "/projects/{project}/messages/new", audience="author"),
    PageType("project-messages", "/projects/{project}/messages", audience="resident"),
    PageType("project-message", "/project-messages/{message}", audience="resident"),
    PageType("staff-find-notes", "/staff/find?since=2026-13-01&sort=x&page=0", audience="staff"),
    PageType("console-reports", "/staff?queue=reports", audience="staff"),
    # the city's answer: its draft form, its preview (the author's, and an approver's with
    # the approve and return forms) and the queue of answers waiting for approval
    PageType("answer-form", "/staff/proposals/{answerable}/answer", audience="staff"),
    PageType("answer-preview", "/staff/proposals/{proposal}/answer/preview", audience="staff"),
    PageType("answer-preview", "/staff/proposals/{proposal}/answer/preview", audience="admin"),
    PageType("console-approvals", "/staff?queue=approvals", audience="admin"),
    # an evaluation record's preview: the draft's (finalise) and an approver's
    PageType("evaluation-preview", "/staff/measures/{evaluated}/evaluations/2025/preview",
             audience="staff"),
    PageType("evaluation-preview", "/staff/measures/{evaluated}/evaluations/2024/preview",
             audience="admin"),
    PageType("consultations-staff", "/staff/consultations", audience="staff"),
    PageType("consultation-new", "/staff/consultations/new", audience="staff"),
    PageType("consultation-manage", "/staff/consultations/{consultation}", audience="staff"),
    PageType("admin-users", "/admin/users", audience="admin"),
    PageType("admin-user", "/admin/users/{resident}", audience="admin"),
    PageType("audit-log", "/admin/audit", audience="admin"),
    PageType("budget-manage", "/staff/budgets/{budget_voting}", audience="staff"),
    PageType("budget-process-new", "/staff/budgets/new", audience="staff"),
    PageType("budget-project-new", "/staff/budgets/{budget_voting}/projects/new",
             audience="staff"),
    PageType("budget-paper", "/staff/budgets/{budget_voting}/paper", audience="staff"),
]

PUBLIC_PAGES = [p for p in PAGES if p.audience == "anonymous"]


def sign_in(page, site, audience: str) -> None:
    """Sign ``page``'s browser context in as ``audience`` (a user of tests/browser/world.py)."""
    if audience == "anonymous":
        return
    page.context.add_cookies([{"name": "session", "value": site.world.sessions[audience],
                               "url": site.url}])


def page_id(page_type: PageType) -> str:
    return str(page_type)
