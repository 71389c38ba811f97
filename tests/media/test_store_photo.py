"""store_photo: what phones send is accepted and cleaned; everything else is refused."""

from __future__ import annotations

import stat
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from komoro_engage.extensions import db
from komoro_engage.media.decoder import decoder_slot
from komoro_engage.media.models import Photo
from komoro_engage.media.services import (
    MAX_PIXELS,
    ImageRejected,
    delete_photo,
    photo_file,
    store_photo,
)
from tests.factories import make_user
from tests.media import images


def stored(photo: Photo, thumbnail: bool = False) -> Path:
    return photo_file(photo, thumbnail=thumbnail)[0]


def refused(data: bytes, filename: str = "photo.jpg", **kwargs) -> str:
    with pytest.raises(ImageRejected) as raised:
        store_photo(images.upload(data, filename, **kwargs), None)
    assert raised.value.message
    return raised.value.message


def test_phone_jpeg_is_turned_upright_and_loses_all_metadata(ctx):
    uploader = make_user()
    photo = store_photo(images.upload(images.phone_jpeg((400, 200), orientation=6)), uploader)

    assert (photo.width, photo.height) == (200, 400)  # orientation 6 applied
    assert photo.uploader_id == uploader.id
    assert photo.content_type == "image/jpeg"
    path = stored(photo)
    assert photo.byte_size == path.stat().st_size
    with Image.open(path) as image:
        assert image.format == "JPEG"
        assert image.size == (200, 400)
        # Orientation 6 means "turn 90° clockwise": the red left half is now on top.
        top, bottom = image.getpixel((100, 20)), image.getpixel((100, 380))
        assert top[0] > 180 and top[2] < 80
        assert bottom[2] > 180 and bottom[0] < 80
        assert "exif" not in image.info
        assert len(image.getexif()) == 0
        assert "icc_profile" not in image.info
        assert "comment" not in image.info
    raw = path.read_bytes()
    for trace in (b"Exif", b"iPhone", b"Apple", b"2026:11:27", b"secret comment"):
        assert trace not in raw


def test_thumbnail_is_a_small_webp_without_metadata(ctx):
    photo = store_photo(images.upload(images.phone_jpeg((3000, 1500), orientation=1)), None)
    assert (photo.width, photo.height) == (2048, 1024)
    assert (photo.thumb_width, photo.thumb_height) == (480, 240)
    with Image.open(stored(photo, thumbnail=True)) as thumb:
        assert thumb.format == "WEBP"
        assert thumb.size == (480, 240)
        assert "exif" not in thumb.info and "icc_profile" not in thumb.info


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (images.encode(images.two_tone((300, 200), "RGBA"), "PNG"), "screenshot.png"),
        (images.encode(images.two_tone((300, 200)), "WEBP"), "photo.webp"),
        (images.heic((300, 200)), "IMG_1234.HEIC"),
        (images.encode(images.two_tone((300, 200)).convert("CMYK"), "JPEG"), "cmyk.jpg"),
        (images.encode(images.two_tone((300, 200)).convert("P"), "PNG"), "palette.png"),
    ],
    ids=["png-with-alpha", "webp", "iphone-heic", "cmyk-jpeg", "palette-png"],
)
def test_phone_formats_are_accepted_and_stored_as_jpeg(ctx, data, filename):
    photo = store_photo(images.upload(data, filename), None)
    assert (photo.width, photo.height) == (300, 200)
    with Image.open(stored(photo)) as image:
        assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (300, 200))
        left, right = image.getpixel((20, 100)), image.getpixel((280, 100))
        assert left[0] > 150 > left[2] and right[2] > 150 > right[0]


def test_files_are_written_read_only_under_the_storage_folder(app, ctx):
    photo = store_photo(images.upload(images.phone_jpeg(), filename="cron.php.jpg"), None)
    root = Path(app.config["STORAGE_DIR"]).resolve()
    for path in (stored(photo), stored(photo, thumbnail=True)):
        assert path.resolve().is_relative_to(root)
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
        assert "cron" not in path.name
    assert photo.key != photo.thumb_key and len(photo.key) >= 32


@pytest.mark.parametrize("name", ["../../evil.jpg", "..\\..\\evil.jpg", "/etc/passwd",
                                  "a/../../b.jpg", "photo\x00.jpg"])
def test_file_names_with_a_path_are_refused(ctx, name):
    assert "ファイル名" in refused(images.phone_jpeg(), filename=name)


def test_a_pixel_bomb_is_refused_without_decoding_it(ctx):
    bomb = images.png_pixel_bomb(20_000, 20_000)
    assert len(bomb) < 200_000  # 400 million pixels in a file of a few dozen kB
    assert "画素数" in refused(bomb, "bomb.png")


def test_an_image_just_over_the_pixel_limit_is_refused(ctx):
    # Between MAX_PIXELS and twice that Pillow only warns; we refuse.
    side = int((MAX_PIXELS * 1.2) ** 0.5)
    assert "画素数" in refused(images.png_pixel_bomb(side, side), "big.png")


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (images.SVG_WITH_SCRIPT, "drawing.svg"),
        (images.SVG_WITH_SCRIPT, "drawing.jpg"),
        (images.PDF, "document.jpg"),
        (images.encode(images.two_tone((100, 100)), "TIFF"), "scan.tif"),
        (images.encode(images.two_tone((100, 100)), "GIF"), "still.gif"),
        (images.animated("GIF"), "funny.gif"),
        (images.encode(images.two_tone((100, 100)), "BMP"), "paint.bmp"),
        (b"MZ\x90\x00" + bytes(200), "setup.exe.jpg"),
        (b"<?php system($_GET['c']); ?>", "shell.php.jpg"),
    ],
    ids=["svg", "svg-named-jpg", "pdf-named-jpg", "tiff", "gif", "animated-gif", "bmp",
         "exe", "php"],
)
def test_other_kinds_of_file_are_refused(ctx, data, filename):
    assert "JPEG・PNG・WebP・HEIC" in refused(data, filename)


@pytest.mark.parametrize("file_format", ["PNG", "WEBP"])
def test_animations_are_refused(ctx, file_format):
    assert "アニメーション" in refused(images.animated(file_format), "moving.png")


def test_a_damaged_photo_is_refused(ctx):
    whole = images.phone_jpeg((800, 600))
    assert "壊れて" in refused(whole[: len(whole) // 2])


def test_empty_and_oversize_files_are_refused(app, ctx):
    assert "空" in refused(b"")
    too_big = images.phone_jpeg() + bytes(app.config["MAX_PHOTO_BYTES"])
    assert "15MB" in refused(too_big)


def test_nothing_is_stored_when_refused(app, ctx):
    before = db.session.query(Photo).count()
    refused(images.PDF, "document.jpg")
    assert db.session.query(Photo).count() == before


def test_delete_photo_removes_the_files_when_the_transaction_commits(ctx):
    photo = store_photo(images.upload(images.phone_jpeg()), None)
    db.session.commit()
    paths = [stored(photo), stored(photo, thumbnail=True)]
    delete_photo(photo)
    assert all(path.exists() for path in paths)  # a rollback must still find them
    db.session.commit()
    assert not any(path.exists() for path in paths)
    assert db.session.get(Photo, photo.id) is None


def test_a_rolled_back_delete_keeps_the_files(ctx):
    photo = store_photo(images.upload(images.phone_jpeg()), None)
    db.session.commit()
    paths = [stored(photo), stored(photo, thumbnail=True)]
    delete_photo(photo)
    db.session.rollback()
    assert all(path.exists() for path in paths)


def test_files_of_an_uncommitted_upload_are_removed(app):
    # A form that fails after its first photo was stored must leave no orphan files.
    with app.app_context():
        photo = store_photo(images.upload(images.phone_jpeg()), None)
        paths = [stored(photo), stored(photo, thumbnail=True)]
        assert all(path.exists() for path in paths)
        db.session.rollback()
        assert not any(path.exists() for path in paths)
    with app.app_context():
        photo = store_photo(images.upload(images.phone_jpeg()), None)
        paths = [stored(photo), stored(photo, thumbnail=True)]
    # The request ended (session removed) without a commit.
    assert not any(path.exists() for path in paths)


def test_refusals_are_in_the_users_language(app):
    with (app.test_request_context(headers={"Accept-Language": "en"}),
          pytest.raises(ImageRejected) as raised):
        store_photo(images.upload(images.PDF, "document.jpg"), None)
    assert raised.value.message.startswith("This type of file cannot be used")
    assert str(raised.value) == raised.value.message


def test_a_large_transparent_png_is_flattened_on_white_and_shrunk(ctx):
    # Reduced strip by strip (factor 2), never as a second full-size image.
    half_red = images.png_single_colour(5000, 3000, (255, 0, 0, 128))
    photo = store_photo(images.upload(half_red, "big.png", "image/png"), None)
    assert (photo.width, photo.height) == (2048, 1229)
    with Image.open(stored(photo)) as image:
        for point in ((5, 5), (1024, 614), (2040, 1220)):
            red, green, blue = image.getpixel(point)
            assert red > 245 and 118 < green < 138 and 118 < blue < 138  # half red on white


def test_orientation_is_applied_to_a_reduced_picture(ctx):
    exif = Image.Exif()
    exif[0x0112] = 6  # turn 90° clockwise
    data = images.encode(images.two_tone((5000, 2500), "RGBA"), "PNG", exif=exif.tobytes(),
                         compress_level=1)
    photo = store_photo(images.upload(data, "turned.png", "image/png"), None)
    assert (photo.width, photo.height) == (1024, 2048)
    with Image.open(stored(photo)) as image:
        top, bottom = image.getpixel((512, 100)), image.getpixel((512, 1948))
        assert top[0] > 180 and top[2] < 80  # the red left half is now on top
        assert bottom[2] > 180 and bottom[0] < 80


def test_a_picture_whose_decoding_costs_more_than_the_budget_is_refused(ctx):
    # WebP decodes through three full-size buffers: 12 bytes a pixel, so 25 MP is too much
    # although under the pixel limit; the message names the limit for this kind of file.
    data = images.encode(Image.new("RGB", (5000, 5000), images.BLUE), "WEBP", lossless=True)
    assert len(data) < 100_000
    assert "22,369,621" in refused(data, "huge.webp")


def test_a_child_over_its_memory_cap_fails_only_that_upload(app, ctx, monkeypatch):
    monkeypatch.setitem(app.config, "PHOTO_DECODER_MEMORY_BYTES", 160 * 1024 * 1024)
    message = refused(images.png_single_colour(7000, 7000), "hostile.png")
    assert "画素数" in message  # the child ran out of memory: the photo is too big for it
    monkeypatch.undo()
    assert store_photo(images.upload(images.phone_jpeg()), None).width == 200


def test_a_decoder_over_its_time_is_stopped_and_the_photo_refused(app, ctx, monkeypatch):
    monkeypatch.setitem(app.config, "PHOTO_DECODERS", 1)
    monkeypatch.setitem(app.config, "PHOTO_DECODER_TIMEOUT_SECONDS", 0)
    assert "壊れて" in refused(images.phone_jpeg())
    slots = Path(app.config["STORAGE_DIR"]) / ".photo-decoders"
    with decoder_slot(slots, 1, 0):  # the only slot was given back (else DecoderBusy)
        pass


def test_uploads_wait_for_a_free_decoder_and_ask_to_retry_when_none_comes(app, ctx,
                                                                            monkeypatch):
    slots = Path(app.config["STORAGE_DIR"]) / ".photo-decoders"
    monkeypatch.setitem(app.config, "PHOTO_DECODERS", 1)
    monkeypatch.setitem(app.config, "PHOTO_DECODER_WAIT_SECONDS", 0)
    with decoder_slot(slots, 1, 0):  # another worker is decoding
        assert "混み合って" in refused(images.phone_jpeg())

    monkeypatch.setitem(app.config, "PHOTO_DECODER_WAIT_SECONDS", 10)
    taken, release = threading.Event(), threading.Event()

    def busy_decoder():
        with decoder_slot(slots, 1, 0):
            taken.set()
            release.wait(5)

    holder = threading.Thread(target=busy_decoder)
    holder.start()
    taken.wait(5)
    threading.Timer(0.5, release.set).start()
    started = time.monotonic()
    photo = store_photo(images.upload(images.phone_jpeg()), None)
    holder.join()
    assert photo.width == 200 and time.monotonic() - started >= 0.5
