"""Static URLs carry a hash of the file, so nginx may let browsers keep them for a year."""

import re

from komoro_engage.core.static_files import file_version


def test_static_urls_carry_the_hash_of_the_file_they_name(app, client):
    html = client.get("/").get_data(as_text=True)
    css = re.search(r'href="/static/css/site\.css\?v=(\w+)"', html)
    assert css, "the stylesheet link carries ?v=<hash>"
    assert css.group(1) == file_version(app.static_folder, "css/site.css")
    response = client.get(f"/static/css/site.css?v={css.group(1)}")
    response.close()
    assert response.status_code == 200


def test_a_changed_file_gets_a_new_version(tmp_path):
    (tmp_path / "site.css").write_text("body { color: black }")
    before = file_version(str(tmp_path), "site.css")
    (tmp_path / "site.css").write_text("body { color: navy }")
    assert file_version(str(tmp_path), "site.css") != before
    assert file_version(str(tmp_path), "missing.css") is None
    assert file_version(str(tmp_path), "../etc/passwd") is None


def test_a_static_url_is_built_once_per_mount_and_file_but_in_debug(app, monkeypatch):
    """core/urls.py static_url: url_for once per mount and file; in debug every time, as a
    file being edited changes its version."""
    from komoro_engage.core import urls

    built = []

    def counting(endpoint, **values):
        built.append(values["filename"])
        return real(endpoint, **values)
    real = urls.url_for
    monkeypatch.setattr(urls, "url_for", counting)
    monkeypatch.setattr(urls, "_static_urls", {})
    with app.test_request_context("/"):
        first = urls.static_url("css/site.css")
        assert first == f"/static/css/site.css?v={file_version(app.static_folder, 'css/site.css')}"
        assert urls.static_url("css/site.css") == first and built == ["css/site.css"]
    with app.test_request_context("/", base_url="http://localhost/engage"):
        assert urls.static_url("css/site.css") == "/engage" + first
        assert built == ["css/site.css"] * 2
    monkeypatch.setattr(app, "debug", True)
    with app.test_request_context("/"):
        urls.static_url("css/site.css")
        urls.static_url("css/site.css")
    assert len(built) == 4
