"""Serving photos: inert images with safe headers; unknown keys 404; big POSTs 413."""

from __future__ import annotations

from io import BytesIO

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart
from wtforms import MultipleFileField

from komoro_engage.extensions import db
from komoro_engage.media.forms import PHOTO_INPUT_ATTRS, PhotoFiles, chosen_files
from komoro_engage.media.services import photo_file, store_photo
from komoro_engage.proposals.services import set_photos
from tests.media import images
from tests.proposals.helpers import make_proposal


@pytest.fixture
def photo(app):
    """A photo of a published proposal: anyone may see it (tests/media/test_access.py
    covers the others)."""
    with app.app_context():
        hostile_name = "\"><img src=x onerror=alert(1)>.jpg"
        stored = store_photo(images.upload(images.phone_jpeg(), hostile_name), None)
        set_photos(make_proposal(), [], [stored])
        db.session.commit()
        return {
            "id": stored.id, "key": stored.key,
            "path": photo_file(stored)[0], "thumb": photo_file(stored, thumbnail=True)[0],
        }


def fetch(client, path: str, **kwargs):
    """GET ``path``, read the body and close the file the response streams from."""
    response = client.get(path, **kwargs)
    response.get_data()
    response.close()
    return response


def test_photo_is_served_as_an_inert_cached_image(client, photo):
    response = fetch(client, f"/media/{photo['key']}")
    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    assert response.data == photo["path"].read_bytes()
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == (
        f"inline; filename=komoro-photo-{photo['id']}.jpg")
    assert "script" not in response.headers["Content-Disposition"]
    cache = response.cache_control
    assert cache.public and cache.immutable and cache.max_age == 365 * 24 * 3600
    csp = response.headers["Content-Security-Policy"]
    assert "sandbox" in csp and "default-src 'none'" in csp


def test_thumbnail_is_served_as_webp(client, photo):
    response = fetch(client, f"/media/{photo['key']}/thumb")
    assert response.status_code == 200
    assert response.mimetype == "image/webp"
    assert response.data == photo["thumb"].read_bytes()
    assert response.headers["Content-Disposition"].startswith("inline; filename=komoro-photo-")


def test_a_cached_copy_is_revalidated_without_the_body(client, photo):
    first = fetch(client, f"/media/{photo['key']}")
    again = fetch(client, f"/media/{photo['key']}",
                  headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


@pytest.mark.parametrize("path", [
    "/media/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "/media/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/thumb",
    "/media/..%2F..%2Fconfig.py",
    "/media/%2e%2e",
    "/media/short",
    "/media/" + "A" * 200,
])
def test_unknown_or_malformed_keys_are_not_found(client, photo, path):
    assert client.get(path).status_code == 404


def test_the_thumbnail_key_does_not_open_the_photo(client, app, photo):
    with app.app_context():
        from komoro_engage.media.models import Photo

        thumb_key = db.session.get(Photo, photo["id"]).thumb_key
    assert client.get(f"/media/{thumb_key}").status_code == 404


def test_photos_cannot_be_posted_to(client, photo):
    assert client.post(f"/media/{photo['key']}").status_code == 405


def test_a_30_mb_post_gets_a_clear_413_page_in_the_layout(client):
    # Encoded in memory: the test client would otherwise spool 30 MB to a temporary file.
    boundary, body = encode_multipart(MultiDict([
        ("lang", "ja"),
        ("photo", FileStorage(BytesIO(b"\xff" * (30 * 1024 * 1024)), filename="big.jpg")),
    ]))
    response = client.post("/lang", data=body, headers={"Accept-Language": "ja"},
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "写真は1枚15MBまで、1回の送信で合計25MBまで" in page
    assert "こもろ協働ひろば" in page and "<main" in page


class PhotoForm(FlaskForm):
    photos = MultipleFileField("写真", validators=[PhotoFiles(max_files=4)],
                               render_kw=PHOTO_INPUT_ATTRS)


def files(*payloads: bytes, name: str = "IMG.jpg") -> MultiDict:
    return MultiDict([("photos", FileStorage(BytesIO(data), filename=name))
                      for data in payloads])


def test_photo_files_validator_limits_the_count(app):
    with app.test_request_context(method="POST"):
        form = PhotoForm(formdata=files(*[b"x"] * 5))
        assert not form.validate()
        assert form.photos.errors == ["写真は4枚までです。選び直してください。"]
        form = PhotoForm(formdata=files(*[b"x"] * 4))
        assert form.validate()
        assert len(chosen_files(form.photos)) == 4
        assert 'accept="image/*"' in form.photos()


def test_photo_files_validator_refuses_oversize_files(app):
    with app.test_request_context(method="POST"):
        form = PhotoForm(formdata=files(b"x", bytes(app.config["MAX_PHOTO_BYTES"] + 1)))
        assert not form.validate()
        assert "15MB" in form.photos.errors[0]


def test_chosen_files_skips_the_empty_part_browsers_send(app):
    with app.test_request_context(method="POST"):
        form = PhotoForm(formdata=files(b"", name=""))
        assert form.validate()
        assert chosen_files(form.photos) == []


def test_photo_thumb_macro_links_thumbnail_to_photo(app, photo):
    with app.app_context():
        from komoro_engage.media.models import Photo

        stored = db.session.get(Photo, photo["id"])
        with app.test_request_context():
            macros = app.jinja_env.get_template("macros/media.html").module
            html = str(macros.photo_thumb(stored, '公園の遊具"><script>'))
    assert f'href="/media/{photo["key"]}"' in html
    assert f'src="/media/{photo["key"]}/thumb"' in html
    assert f'width="{stored.thumb_width}" height="{stored.thumb_height}"' in html
    assert 'loading="lazy"' in html
    assert "<script>" not in html and "&#34;&gt;&lt;script&gt;" in html
