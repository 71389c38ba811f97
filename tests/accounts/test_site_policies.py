"""The site's policies are one tap from every page (issue 20, point 7)."""

from __future__ import annotations


def test_every_page_links_the_policies_from_its_footer(client):
    for path in ("/", "/proposals", "/login", "/plan/areas/99"):
        footer = client.get(path).get_data(as_text=True).split('<footer class="site-footer">')[1]
        for href in ('href="/accessibility"', 'href="/privacy"', 'href="/terms"'):
            assert href in footer, (path, href)


def test_the_accessibility_statement_names_target_method_and_contact(client, app):
    page = client.get("/accessibility").get_data(as_text=True)
    assert "WCAG）2.1 の適合レベル AA" in page and "axe-core" in page
    assert "キーボードだけで" in page and "360 px" in page and "企画課へお知らせください" in page
    assert "mailto:" not in page  # no address configured: the office is named

    app.config["CONTACT_EMAIL"] = "kikaku@city.komoro.example"
    page = client.get("/accessibility").get_data(as_text=True)
    assert 'href="mailto:kikaku@city.komoro.example"' in page


def test_the_statement_reads_in_english(client):
    client.set_cookie("lang", "en")
    page = client.get("/accessibility").get_data(as_text=True)
    assert "Accessibility statement" in page and "WCAG) 2.1" in page
