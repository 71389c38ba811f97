"""The XSS corpus in every user text field and upload file name, rendered in real Chromium.

Long fields (proposal body, comment, report detail, organisation description,
staff and admin reasons) get the whole corpus typed into the browser's form
at once, one payload a line. Short fields (title, nickname, organisation
name) take one payload per record: each goes through the real form endpoint
over HTTP with the signed-in session (``context.request``, fast), and then
every page that shows them is opened in the browser and probed. Where the form
refuses a value (a nickname over 30 characters), the server's answer, headers
and all, is shown in the browser at its own address and probed. File names ride on photo uploads
chosen through the file input. ``payload_effects`` must find nothing: no
dialog, no request, no element or attribute made by a payload.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

import pytest

from komoro_engage.accounts.models import Role
from komoro_engage.extensions import db
from tests.browser.helpers import follow, goto
from tests.browser.world import session_cookie
from tests.factories import make_user
from tests.proposals.helpers import area, make_proposal
from tests.security.payloads import XSS_PAYLOADS
from tests.security.probe import payload_effects

# Escaping is the templates' work; both databases store the same text (PostgreSQL's
# refusal of NUL is PlainText's, tested on both by tests/security): CI runs it once.
pytestmark = pytest.mark.one_database

CORPUS = "\n".join(XSS_PAYLOADS)


def has_control_character(text: str) -> bool:
    """Single-line fields refuse these (core/forms.PlainText): such payloads come back
    with a field error instead of being stored."""
    return any(unicodedata.category(character) == "Cc" for character in text)


ONE_LINE_PAYLOADS = [p for p in XSS_PAYLOADS if not has_control_character(p)]
_TOKEN = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


@pytest.fixture
def people(site):
    """``people(role=…)`` → (user id, session cookie value) of a new user of the shared site."""

    def make(role: Role = Role.RESIDENT, nickname: str | None = None) -> tuple[int, str]:
        with site.app.app_context():
            user = make_user(role, nickname=nickname)
            db.session.commit()
            cookie = session_cookie(site.app, user)
            user_id = user.id
            db.session.remove()
        return user_id, cookie

    return make


@pytest.fixture
def as_user(open_page, site, browser):
    """``as_user(cookie)`` → a watched page whose context is signed in with that session."""

    def make(cookie: str | None, **options):
        page = open_page(**options)
        if cookie:
            page.context.add_cookies([{"name": "session", "value": cookie, "url": site.url}])
        return page

    return make


def post_form(request, path: str, form: dict, form_path: str | None = None):
    """POST ``form`` to ``path`` like the browser's form would, CSRF token included.

    The session's token is read once from a page with a form and reused.
    """
    if not hasattr(request, "csrf_token"):
        token = _TOKEN.search(request.get(form_path or path).text())
        assert token, f"no CSRF token in {form_path or path}"
        request.csrf_token = token.group(1)
    response = request.post(path, form={**form, "csrf_token": request.csrf_token},
                            max_redirects=0)
    assert response.status < 500, (path, response.status)
    return response


def redirected_to(response) -> str:
    """The path a form's answer redirects to ("" when the form came back instead)."""
    return urlsplit(response.headers.get("location", "")).path if response.status == 302 else ""


def served(status: int, headers: dict, body: bytes):
    """A route handler answering with a response the server gave earlier."""
    return lambda route: route.fulfill(status=status, headers=headers, body=body)


def packed(payloads: list[str], limit: int) -> list[str]:
    """The payloads joined by spaces into as few values of at most ``limit`` characters."""
    values: list[str] = []
    for payload in payloads:
        if values and len(values[-1]) + 1 + len(payload) <= limit:
            values[-1] += " " + payload
        else:
            values.append(payload)
    return values


def assert_inert(page, where: str) -> None:
    assert payload_effects(page) == [], where


def visit(page, path: str, status: int = 200) -> None:
    goto(page, path, status)
    assert_inert(page, path)


def test_titles_bodies_file_names_and_staff_reasons(people, as_user, site):
    _, author_cookie = people()
    _, staff_cookie = people(Role.STAFF)
    author = as_user(author_cookie)
    with site.app.app_context():
        area_id = area(1).id

    # typed: the body carries the whole corpus; every file name is a payload (4 per try)
    goto(author, "/proposals/new")
    author.fill("#title", XSS_PAYLOADS[2])
    author.fill("#body", CORPUS)
    author.locator("input[name=policy_areas]").first.check()
    for start in range(0, len(XSS_PAYLOADS), 4):
        author.set_input_files("#photos", files=[
            {"name": f"{payload}.jpg", "mimeType": "image/jpeg", "buffer": b"not a photo"}
            for payload in XSS_PAYLOADS[start:start + 4]])
        follow(author, author.get_by_role("button", name="送信する"))
        assert author.locator("#photos-error").count() == 1  # refused, with the name shown
        assert_inert(author, f"photo names {start}")
        assert author.input_value("#body") == CORPUS  # kept, as typed
    follow(author, author.get_by_role("button", name="送信する"))
    assert urlsplit(author.url).path.startswith("/proposals/")
    assert_inert(author, "the typed proposal")

    # every payload in a title (80 characters: two or three share one), through the form
    ids = []
    for payload in packed(ONE_LINE_PAYLOADS, 80):
        response = post_form(author.request, "/proposals/new", {
            "title": payload, "body": payload, "kind": "idea", "policy_areas": str(area_id),
            "place": "", "action": "submit"})
        match = re.fullmatch(r"/proposals/(\d+)", redirected_to(response))
        assert match, (payload, response.status)
        ids.append(int(match.group(1)))
    # a payload with a tab in it is refused in a title (kept in the body, a long text)
    for payload in set(XSS_PAYLOADS) - set(ONE_LINE_PAYLOADS):
        response = post_form(author.request, "/proposals/new", {
            "title": payload, "body": payload, "kind": "idea", "policy_areas": str(area_id),
            "place": "", "action": "submit"})
        assert response.status == 422, (payload, response.status)

    staff = as_user(staff_cookie)
    visit(staff, "/proposals/review?per_page=100")
    for proposal_id in ids[2:]:
        post_form(staff.request, f"/proposals/{proposal_id}/approve", {},
                  form_path=f"/proposals/{proposal_id}")
    # the reasons, typed by staff: sending back (shown to the author), hiding (shown to all)
    for proposal_id, action, button in ((ids[0], "send-back", "差し戻す"),
                                        (ids[1], "hide", "非表示にする")):
        if action == "hide":
            post_form(staff.request, f"/proposals/{proposal_id}/approve", {},
                      form_path=f"/proposals/{proposal_id}")
        goto(staff, f"/proposals/{proposal_id}/{action}")
        staff.fill("#reason", CORPUS)
        follow(staff, staff.locator("main form button[type=submit]"))
        assert staff.locator(".flash-error, .field-error").count() == 0, button
        assert_inert(staff, action)

    visit(author, f"/proposals/{ids[0]}")  # the send-back reason, to the author
    assert "kxss" in author.locator(".notice").first.inner_text()
    visit(author, f"/proposals/{ids[0]}/edit")
    visit(author, "/proposals/mine?per_page=100")
    visitor = as_user(None)
    visit(visitor, f"/proposals/{ids[1]}")  # the hiding reason, to everyone
    visit(visitor, "/proposals?per_page=100")
    for proposal_id in ids[2:]:
        visit(visitor, f"/proposals/{proposal_id}")
    # a search whose word is in every title (a marker in the word would be in the pager's links)
    visit(visitor, "/proposals?q=alert")


def test_nicknames_comments_and_report_details(people, as_user, site, browser):
    with site.app.app_context():
        proposal_id = make_proposal(title="ニックネームとコメントの確認").id
        db.session.commit()

    refused = []
    for payload in XSS_PAYLOADS:
        _, cookie = people()
        context = browser.new_context(base_url=site.url)
        context.add_cookies([{"name": "session", "value": cookie, "url": site.url}])
        response = post_form(context.request, "/account/profile", {
            "nickname": payload, "district_id": "", "ku_id": "", "age_band": ""})
        if redirected_to(response) == "/account":
            post_form(context.request, f"/proposals/{proposal_id}/comments",
                      {"body": payload, "stance": ""})
        else:  # too long, or taken once NFKC-folded: the form comes back with it
            refused.append((payload, response.status, response.headers, response.body()))
        context.close()
    assert len(refused) < len(XSS_PAYLOADS), "no nickname was accepted"

    # the refused forms exactly as the server sent them (headers, CSP), shown in Chromium
    viewer = as_user(None)
    for number, (payload, status, headers, body) in enumerate(refused):
        path = f"/account/profile?refused={number}"
        viewer.route(site.url + path, served(status, headers, body))
        goto(viewer, path)
        assert viewer.input_value("#nickname") == payload
        assert_inert(viewer, f"nickname {payload}")

    # the whole corpus typed as one comment, posted with htmx, then its edit form
    _, cookie = people()
    resident = as_user(cookie)
    goto(resident, f"/proposals/{proposal_id}")
    resident.fill("#body", CORPUS)
    resident.get_by_role("button", name="コメントする").click()
    comments = len(XSS_PAYLOADS) - len(refused) + 1
    resident.wait_for_selector(f"#comments h2:has-text('コメント（{comments}）')")
    assert_inert(resident, "comment posted with htmx")
    comment = resident.locator("article.comment[autofocus]")  # the new one, focused
    edit = comment.get_by_role("link", name="編集").get_attribute("href")
    visit(resident, edit)
    assert resident.input_value("#body") == CORPUS

    visit(resident, f"/proposals/{proposal_id}")
    visit(resident, f"/proposals/{proposal_id}?page=2")

    # the report detail: the whole corpus is over its 1,000 characters, so the form comes
    # back with it (set past the field's maxlength, as a paste in an old browser would)
    goto(resident, f"/proposals/{proposal_id}/report")
    resident.locator("input[name=reason]").first.check()
    resident.locator("#detail").evaluate("(el, value) => { el.value = value; }", CORPUS)
    follow(resident, resident.locator("main form button[type=submit]"))
    assert resident.locator("#detail-error").count() == 1
    assert resident.input_value("#detail") == CORPUS
    assert_inert(resident, "report detail")
    resident.fill("#detail", CORPUS[:900])  # line breaks are sent as two characters
    resident.locator("input[name=reason]").first.check()
    follow(resident, resident.locator("main form button[type=submit]"))
    assert "通報を受け付けました" in resident.locator(".flashes").inner_text()
    assert_inert(resident, "after the report")


def test_organisation_names_descriptions_and_admin_reasons(people, as_user, site):
    _, manager_cookie = people()
    manager = as_user(manager_cookie)
    goto(manager, "/organisations/new")
    manager.fill("#name", XSS_PAYLOADS[0])
    manager.fill("#description", CORPUS)
    follow(manager, manager.locator("main form button[type=submit]"))
    assert re.fullmatch(r"/organisations/\d+", urlsplit(manager.url).path), manager.url
    assert_inert(manager, "the typed organisation")
    names = {unicodedata.normalize("NFKC", XSS_PAYLOADS[0]).strip().casefold()}
    for payload in XSS_PAYLOADS[1:]:
        response = post_form(manager.request, "/organisations/new",
                             {"name": payload, "kind": "community_group", "description": payload})
        registered = re.fullmatch(r"/organisations/\d+", redirected_to(response))
        # names are unique once trimmed and NFKC-folded: ＜script＞ is taken by <script>
        key = unicodedata.normalize("NFKC", payload).strip().casefold()
        # a name with a tab or line break in it is refused (a single-line field)
        assert bool(registered) == (key not in names and not has_control_character(payload)), \
            payload
        if registered:
            names.add(key)

    visitor = as_user(None)
    for page_number in (1, 2, 3):
        visit(visitor, f"/organisations?page={page_number}")

    # an admin's reason for suspending someone, typed, then shown in the audit log
    victim_id, _ = people(nickname="利用停止される人")
    _, admin_cookie = people(Role.ADMIN)
    admin = as_user(admin_cookie)
    goto(admin, f"/admin/users/{victim_id}")
    admin.locator("form:has(button.button-danger) textarea").fill(CORPUS[:450])
    follow(admin, admin.get_by_role("button", name="利用停止にする"))
    assert_inert(admin, "suspended")
    visit(admin, "/admin/audit")
    assert "kxss" in admin.locator("main").inner_text()
    visit(admin, "/admin/users?per_page=100")
