"""site_url: the menu's fixed links built once per mount point, still right under a prefix."""

from __future__ import annotations


def test_menu_links_follow_the_mount_point(client):
    plain = client.get("/").get_data(as_text=True)
    assert 'href="/accessibility"' in plain and 'href="/proposals"' in plain
    mounted = client.get("/", environ_overrides={"SCRIPT_NAME": "/engage"}).get_data(as_text=True)
    assert 'href="/engage/accessibility"' in mounted and 'href="/engage/proposals"' in mounted
    again = client.get("/").get_data(as_text=True)
    assert 'href="/engage/' not in again
