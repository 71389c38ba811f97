"""Who may reach each proposals route: the expectations, as data.

Format (kept simple so the coordinator can align it with the accounts
branch's access-table framework):

* ``EXPECTED[(method, rule)] = {persona: status}`` for every persona in ``PERSONAS``.
  ``"login"`` means "sent to sign in": 302 to the sign-in page once one exists,
  401 before (no ``login_view`` on this branch). Suspended users count as signed
  out (``User.is_authenticated`` follows ``is_active``).
* ``SAMPLE_ARGS[rule]`` names the sample object each URL argument refers to:
  ``published``, ``draft`` or ``pending`` (proposals by the ``author`` persona) or
  ``comment`` (by ``author`` on the published proposal). Build fresh samples for
  every check: POSTs change them.
* ``FORMS[rule]`` is the form body to POST (CSRF off in the testing config).

Personas: ``anonymous``; ``resident`` (active, unrelated); ``author`` (wrote the
samples); ``suspended``; ``staff``; ``admin``.
"""

PERSONAS = ("anonymous", "resident", "author", "suspended", "staff", "admin")


def _row(anonymous, resident, author, suspended, staff, admin) -> dict:
    return dict(zip(PERSONAS, (anonymous, resident, author, suspended, staff, admin),
                    strict=True))


L = "login"

EXPECTED = {
    ("GET", "/proposals"): _row(200, 200, 200, 200, 200, 200),
    ("GET", "/proposals/mine"): _row(L, 200, 200, L, 200, 200),
    ("GET", "/proposals/review"): _row(L, 403, 403, L, 200, 200),
    ("GET", "/proposals/new"): _row(L, 200, 200, L, 200, 200),
    ("GET", "/proposals/<int:proposal_id>"): _row(200, 200, 200, 200, 200, 200),
    ("GET", "/proposals/<int:draft_id>"): _row(404, 404, 200, 404, 200, 200),
    ("GET", "/proposals/<int:draft_id>/edit"): _row(L, 404, 200, L, 403, 403),
    ("POST", "/proposals/<int:draft_id>/submit"): _row(L, 404, 302, L, 403, 403),
    ("POST", "/proposals/<int:proposal_id>/withdraw"): _row(L, 403, 302, L, 403, 403),
    ("POST", "/proposals/<int:pending_id>/approve"): _row(L, 404, 403, L, 302, 302),
    ("GET", "/proposals/<int:pending_id>/send-back"): _row(L, 404, 403, L, 200, 200),
    ("GET", "/proposals/<int:proposal_id>/hide"): _row(L, 403, 403, L, 200, 200),
    ("GET", "/proposals/<int:proposal_id>/restore"): _row(L, 403, 403, L, 403, 403),
    ("POST", "/proposals/<int:proposal_id>/support"): _row(L, 302, 403, L, 302, 302),
    ("POST", "/proposals/<int:proposal_id>/unsupport"): _row(L, 302, 403, L, 302, 302),
    ("POST", "/proposals/<int:proposal_id>/comments"): _row(L, 302, 302, L, 302, 302),
    ("GET", "/comments/<int:comment_id>/edit"): _row(L, 403, 200, L, 403, 403),
    ("POST", "/comments/<int:comment_id>/delete"): _row(L, 403, 302, L, 302, 302),
    ("GET", "/proposals/<int:proposal_id>/report"): _row(L, 200, 200, L, 200, 200),
    ("GET", "/comments/<int:comment_id>/report"): _row(L, 200, 200, L, 200, 200),
    ("GET", "/api/v1/proposals"): _row(200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/proposals/<int:proposal_id>"): _row(200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/proposals/<int:draft_id>"): _row(404, 404, 404, 404, 404, 404),
}

SAMPLE_ARGS = {
    "proposal_id": "published",
    "draft_id": "draft",
    "pending_id": "pending",
    "comment_id": "comment",
}

FORMS = {
    "/proposals/<int:proposal_id>/comments": {"body": "アクセス確認のコメント"},
}
