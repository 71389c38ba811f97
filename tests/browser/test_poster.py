"""The printable poster (issue 23, point 6): one A4 sheet, filled, with a QR code a phone
reads from about a metre away.

Chromium prints the poster as the city would; the PNG of the sheet is decoded with a QR
decoder (zxing-cpp) at full size and again shrunk to what a phone camera sees from 1 m.
"""

from __future__ import annotations

import io
from datetime import date, time

import pytest

from komoro_engage.extensions import db
from tests.factories import make_user

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp (QR decoder) is not installed")
Image = pytest.importorskip("PIL.Image")

CSS_PX_PER_MM = 96 / 25.4
A4 = {"width": round(210 * CSS_PX_PER_MM), "height": round(297 * CSS_PX_PER_MM)}
# A phone's main camera: ~1,500 px across a ~1.2 m wide field of view at 1 m (about 65°
# horizontally, a common wide lens), so about 1.2 px per mm of poster.
PHONE_PX_PER_MM_AT_1M = 1.2


@pytest.fixture
def poster_project(site):
    from komoro_engage.projects.activities import DayData, save_activity_day
    from tests.projects.helpers import make_project

    with site.app.app_context():
        lead = make_user(nickname="ポスター係")
        project = make_project(lead=lead, title="乙女湖公園の花壇を季節の花でいっぱいにする会",
                               summary="月に二度、花壇の手入れと植え替えをします。道具は貸し出します。")
        for day in (5, 19):
            save_activity_day(lead, project, DayData(day=date(2027, 6, day), start=time(9),
                                                     end=time(11, 30), place="乙女湖公園 東口"))
        db.session.commit()
        yield project.id


def _decode(image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)
            if result.format == zxingcpp.BarcodeFormat.QRCode]


def test_the_poster_fills_an_a4_sheet_with_a_qr_code_readable_from_a_metre(
        site, browser, poster_project, screenshot_dir):
    context = browser.new_context(viewport=A4, locale="ja-JP", device_scale_factor=2)
    page = context.new_page()
    page.goto(f"{site.url}/projects/{poster_project}/poster")
    page.emulate_media(media="print")

    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page>") + pdf.count(
        b"/Type /Page/") + pdf.count(b"/Type /Page ") == 1, "the poster prints on one sheet"

    qr = page.locator("svg.qr").bounding_box()
    join = page.locator(".poster-join").bounding_box()
    assert qr["width"] / CSS_PX_PER_MM >= 95, "the QR code is about 10 cm wide"
    # the join section sits at the foot of the sheet: the page is filled, not half blank
    sheet_mm = 297 - 2 * 12
    assert (join["y"] + join["height"]) / CSS_PX_PER_MM >= sheet_mm - 15

    shot = Image.open(io.BytesIO(page.screenshot(full_page=True,
                                                 path=screenshot_dir / "poster-a4.png")))
    url = page.locator(".poster-url").inner_text().strip()
    assert url.endswith(f"/projects/{poster_project}")
    assert _decode(shot) == [url]
    px_per_mm = shot.width / 210
    scale = PHONE_PX_PER_MM_AT_1M / px_per_mm
    at_a_metre = shot.resize((round(shot.width * scale), round(shot.height * scale)),
                             Image.Resampling.BILINEAR)
    assert _decode(at_a_metre) == [url], "a phone reads it from about a metre"

    text = page.locator("main").inner_text()
    # (with 2027年 before it while it is not 2027)
    assert "乙女湖公園の花壇" in text and "6月5日（土）09:00〜11:30" in text
    assert "参加のしかた" in text and "参加を申し込む" in text
    context.close()
