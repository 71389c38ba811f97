"""The site's header and footer kept rendered by what they show (core/chrome.py, issue 16):
readers who see them alike share them, and each still gets their own bell count, menu,
language, CSRF token and the page's own address in the language switch."""

from __future__ import annotations

import re

from komoro_engage.accounts.models import Role, User
from komoro_engage.core import chrome
from komoro_engage.core.kept_cards import _CSRF_MARKER
from komoro_engage.extensions import db
from komoro_engage.notifications import kinds
from komoro_engage.notifications.services import notify
from tests.factories import make_user


def header(html: str) -> str:
    return html[html.index('<a class="skip-link"'):html.index("</header>")]


def signed_in(app, login, **fields):
    with app.app_context():
        user = make_user(**fields)
        db.session.commit()
        return login(user), user.id


def test_readers_who_see_the_header_alike_share_it(app, login):
    first, _ = signed_in(app, login)
    second, _ = signed_in(app, login)
    first.get("/proposals")
    misses = chrome._kept.cache_info().misses
    page = second.get("/projects").text
    assert chrome._kept.cache_info().misses == misses  # header and footer both kept
    assert 'class="site-footer"' in page and "利用規約" in page


def test_each_page_gets_its_own_address_and_each_reader_their_token(app, login):
    first, _ = signed_in(app, login)
    second, _ = signed_in(app, login)
    hostile = '/proposals?q="><script>alert(1)</script>'
    pages = [first.get(hostile).text, second.get("/projects?page=1").text]
    nexts = [re.search(r'name="next" value="([^"]*)"', header(page)).group(1) for page in pages]
    # escaped once, as any value the page writes
    assert nexts == ["/proposals?q=&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
                     "/projects?page=1"]
    assert "<script>alert(1)" not in pages[0]
    tokens = []
    for page in pages:
        assert _CSRF_MARKER not in page and chrome.chrome_path_marker() not in page
        token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
        # the language switch and the sign-out form carry the page's own token
        assert header(page).count(f'name="csrf_token" value="{token}"') == 2
        tokens.append(token)
    assert tokens[0] != tokens[1]


def test_the_bell_and_the_menu_are_each_readers_own(app, login):
    resident, resident_id = signed_in(app, login)
    staff, _ = signed_in(app, login, role=Role.STAFF)
    for _ in range(2):  # in turns, so a kept header of one is never the other's
        assert "職員コンソール" in header(staff.get("/").text)
        mine = header(resident.get("/").text)
        assert "職員コンソール" not in mine and "ログアウト" in mine
        assert "bell-count" not in mine
    with app.app_context():
        for n in range(2):
            notify(db.session.get(User, resident_id), kinds.PROPOSAL_APPROVED,
                   {"title": f"提案{n}"})
        db.session.commit()
    assert re.search(r'<span class="bell-count">2<', header(resident.get("/").text))
    visitor = header(app.test_client().get("/").text)
    assert 'id="notification-bell"' not in visitor and "ログイン" in visitor
    assert "ログアウト" not in visitor


def test_the_header_speaks_the_readers_language(app, login):
    client, _ = signed_in(app, login)
    japanese = header(client.get("/").text)
    assert ">English</button>" in japanese and "ホーム" in japanese
    client.set_cookie("lang", "en")
    english = header(client.get("/").text)
    assert ">日本語</button>" in english and "ホーム" not in english and ">Home<" in english
