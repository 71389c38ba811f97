"""A real Chromium on a phone-sized screen, driven by playwright, against gunicorn.

Every test in this folder is marked ``browser`` and ``no_db_rollback``, and the
whole folder is skipped, with the reason printed at the end of the run, when
Debian's Chromium or the ``playwright`` package is missing.

Fixtures:
- ``site``: one gunicorn server over a fresh migrated, seeded database for the
  session, with the records and users of ``world.py`` (``site.world``); tests
  share it and add the rows they need, so none may assume an empty table; its
  mail goes to ``site_mailbox`` (a send-mail loop runs beside it);
- ``browser``: one Chromium for the session;
- ``page``: a new 360×740 ja-JP context and page per test, watched by ``page.watch``;
- ``js_disabled_page``: the same with JavaScript switched off;
- ``open_page``: a factory for pages with other context options (English, signed in …).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
from pathlib import Path

import pytest

pytest.register_assert_rewrite("tests.browser.helpers", "tests.security")

from tests.browser.helpers import (  # noqa: E402
    PHONE,
    PageWatch,
    block_map_tiles,
    last_opened,
    load_axe_in_every_page,
)

CHROMIUM = os.environ.get("KOMORO_CHROMIUM", "/usr/bin/chromium")
# This machine has no outside network: without these switches Chromium spends
# seconds on background fetches (updates, sync, QUIC probes) that never answer.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parent.parent / "test-artifacts"


def _skip_reason() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install -e '.[test]')"
    if not (os.path.isfile(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
    return None


SKIP_REASON = _skip_reason()
_outcomes = {"ran": 0}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE not in Path(item.path).parents:
            continue
        item.add_marker(pytest.mark.browser)
        item.add_marker(pytest.mark.no_db_rollback)
        if SKIP_REASON:
            item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {SKIP_REASON}"))


def pytest_runtest_setup(item):
    last_opened.clear()  # a test that fails before opening a page has no picture


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing browser test leaves a picture of the page it had open last."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed or HERE not in Path(item.path).parents:
        return
    page = last_opened.pop("page", None)
    if page is None or page.is_closed():
        return
    folder = ARTIFACTS / "screenshots" / "failed"
    folder.mkdir(parents=True, exist_ok=True)
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in item.nodeid)[-150:]
    with contextlib.suppress(Exception):  # the picture must never hide the failure
        page.screenshot(path=folder / f"{name}.png", full_page=True)
        report.sections.append(("screenshot", str(folder / f"{name}.png")))


def pytest_runtest_logreport(report):
    if report.when == "call" and HERE in Path(report.fspath).resolve().parents:
        _outcomes["ran"] += 1


def pytest_terminal_summary(terminalreporter):
    if SKIP_REASON:
        terminalreporter.write_line(
            f"BROWSER TESTS SKIPPED: {SKIP_REASON}", yellow=True, bold=True)
    elif _outcomes["ran"]:
        terminalreporter.write_line(
            f"browser tests: {_outcomes['ran']} ran in {CHROMIUM}; "
            f"screenshots in {ARTIFACTS / 'screenshots'}")


@pytest.fixture(scope="session")
def site_mailbox():
    """The SMTP server the shared ``site`` sends its mail to."""
    from tests.mailbox import Mailbox

    box = Mailbox().start()
    yield box
    box.stop()


@pytest.fixture(scope="session")
def site(tmp_path_factory, site_mailbox):
    """gunicorn over its own migrated and seeded database, shared by the whole folder."""
    from tests.browser.world import build
    from tests.live import LiveServer

    server = LiveServer(tmp_path_factory.mktemp("site"), mail_sender=True, MAIL_HOST="127.0.0.1",
                        MAIL_PORT=site_mailbox.port).start()
    server.world = build(server.app)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser, site):
    """``open_page(**context_options)`` → a watched page in a fresh phone-sized context.

    ``lang="en"`` sets the language cookie; ``cookies=[…]`` adds more (a session).
    """
    contexts = []

    def make(lang: str | None = None, cookies: list[dict] | None = None, **options):
        context = browser.new_context(**{**PHONE, "base_url": site.url, **options})
        context.set_default_timeout(10_000)
        block_map_tiles(context)
        jar = list(cookies or [])
        if lang:
            jar.append({"name": "lang", "value": lang, "url": site.url})
        if jar:
            context.add_cookies(jar)
        contexts.append(context)
        page = context.new_page()
        page.watch = PageWatch(page, site.url)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page):
    return open_page()


@pytest.fixture
def js_disabled_page(open_page):
    return open_page(java_script_enabled=False)


@pytest.fixture(scope="session")
def screenshot_dir():
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def shared_contexts(browser, site):
    """One browser context per (audience, language, JavaScript, axe-core loaded) for the
    page-type tests.

    They only read pages, so they share cookies and the cache of CSS and JS:
    a new context costs about half a second here, which adds up over a hundred tests.
    """
    from tests.browser.pages import sign_in

    contexts: dict[tuple, object] = {}

    def get(audience: str, lang: str | None, javascript: bool, axe: bool = False):
        key = (audience, lang, javascript, axe)
        if key not in contexts:
            context = browser.new_context(**{**PHONE, "base_url": site.url,
                                             "java_script_enabled": javascript})
            context.set_default_timeout(10_000)
            block_map_tiles(context)
            if axe:
                load_axe_in_every_page(context)
            if lang:
                context.add_cookies([{"name": "lang", "value": lang, "url": site.url}])
            page = context.new_page()
            sign_in(page, site, audience)
            page.close()
            contexts[key] = context
        return contexts[key]

    yield get
    for context in contexts.values():
        context.close()


@pytest.fixture
def open_as(shared_contexts, site):
    """``open_as(page_type, lang=…, java_script_enabled=…, axe=…)`` → a new watched page in
    the shared context signed in as the page type's audience (closed after the test);
    ``axe=True`` for pages that run axe-core (it loads with each page of the context)."""
    pages = []

    def make(page_type, lang: str | None = None, java_script_enabled: bool = True,
             axe: bool = False):
        page = shared_contexts(page_type.audience, lang, java_script_enabled, axe).new_page()
        page.watch = PageWatch(page, site.url)
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.close()


@pytest.fixture
def mailbox():
    """An SMTP server on loopback collecting every mail (see tests/mailbox.py)."""
    from tests.mailbox import Mailbox

    box = Mailbox().start()
    yield box
    box.stop()


@pytest.fixture
def mail_site(tmp_path, mailbox):
    """A gunicorn server over a fresh database that sends its mail to ``mailbox``.

    For journeys that write (sign-up, posting): they get a database of their own.
    """
    from tests.live import LiveServer

    server = LiveServer(tmp_path, mail_sender=True, MAIL_HOST="127.0.0.1",
                        MAIL_PORT=mailbox.port).start()
    try:
        yield server
    finally:
        server.close()
