"""What the benchmark measures: one line per page.

A spec whose ``needs`` endpoint is not in the app (the proposals branch has not
merged yet) is reported as "not measured" with the reason, never left out
silently. When the proposals pages exist, correct the endpoint names and paths
of the slots below; ``{proposal}`` is filled from ``bench.data.sample_ids`` (a published proposal).
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
    # sign the POST session in as a demo resident (support needs an account)
    signed_in: bool = False
    # distinct signed-in residents that take turns (support, then withdraw) so every
    # request writes; 0 = one session for every request
    sessions: int = 0
    # the budget: at least this share of the bare route's requests/s
    budget: float | None = None
    # part of the page-weight table (HTML pages a person opens)
    weigh: bool = True


# Suffix of the second pass's rows, served with KOMORO_PAGE_CACHE_SECONDS=0.
UNCACHED = ", page cache off"

BARE = PageSpec("bare route (ceiling)", "/bench/bare", weigh=False)

PAGES: list[PageSpec] = [
    BARE,
    PageSpec("home", "/"),
    PageSpec("policy area", "/plan/areas/1"),
    PageSpec("measure", "/plan/measures/1-2?edition=basic-plan-9"),
    PageSpec("districts", "/plan/districts"),
    # A POST through CSRF today: proves the signed-POST plumbing the support POST will use.
    PageSpec("language switch POST", "/lang", method="POST", body="lang=ja&next=%2F",
             weigh=False),
    # --- slots for the proposals branch (measured once these endpoints exist) ---
    PageSpec("proposal list (filtered)", "/proposals?area=1&sort=new",
             needs="proposals.index", budget=0.15),
    # 公園 is in the demo's place names (飯綱山公園), so the search finds real matches.
    PageSpec("search, 2 characters", "/proposals?q=%E5%85%AC%E5%9C%92",  # q=公園
             needs="proposals.index"),
    PageSpec("proposal detail", "/proposals/{proposal}", needs="proposals.detail", budget=0.25),
    # htmx's in-place update (what a phone with JavaScript sends); each request is a
    # support or a withdrawal by one of 64 residents in turn, so every request writes.
    PageSpec("support POST", "/proposals/{proposal}/support", method="POST",
             needs="proposals.support", signed_in=True, sessions=64, budget=0.10, weigh=False),
]
