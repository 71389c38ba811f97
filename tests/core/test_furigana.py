"""ふりがな (core/furigana.py): readings right, text never turned into markup, pages as pages."""

import re
from html import unescape
from pathlib import Path

import pytest
from markupsafe import escape

from komoro_engage.core import furigana
from tests.security.payloads import XSS_PAYLOADS

READINGS = Path(__file__).with_name("furigana_readings.tsv")
RUBY = re.compile(r'<ruby>(.*?)<rt aria-hidden="true">(.*?)</rt></ruby>')


def shown_reading(text: str) -> str:
    """What a reader reads from ``text`` with ruby: the readings in place of the kanji."""
    shown = RUBY.sub(lambda m: m.group(2), furigana.ruby_text(str(escape(text))))
    return unescape(re.sub(r"</?span[^>]*>", "", shown))


def hand_checked() -> list[tuple[str, str, bool]]:
    rows = []
    for line in READINGS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            text, reading, *source = line.split("\t")
            rows.append((text, reading, source == ["plan"]))
    return rows


def test_readings_are_right_for_at_least_98_percent_of_the_hand_checked_words(app, capsys):
    rows = hand_checked()
    assert len(rows) >= 200
    wrong = [(text, reading, shown_reading(text)) for text, reading, _ in rows
             if shown_reading(text) != reading]
    accuracy = 1 - len(wrong) / len(rows)
    with capsys.disabled():
        print(f"\nふりがな: {len(rows) - len(wrong)} of {len(rows)} right ({accuracy:.1%});"
              f" wrong: {wrong}")
    assert accuracy >= 0.98, wrong


def test_place_names_read_from_the_plan_file_and_unsourced_ones_get_no_ruby(app):
    for text, reading, from_plan in hand_checked():
        if from_plan:
            assert furigana.ruby_text(text) == (
                f'<span class="ruby-text"><ruby>{text}<rt aria-hidden="true">{reading}</rt>'
                '</ruby></span>')
    # 区 whose reading no source gives: shown without ruby rather than guessed
    assert furigana.ruby_text("平原") == "平原"
    assert furigana.ruby_text("上ノ平の集会所").startswith('<span class="ruby-text">上ノ平の')
    # a name inside a longer word is not the place (市町 in 市町村)
    assert "しちょうそん" in furigana.ruby_text("市町村")


def test_interface_text_attributes_and_form_fields_stay_as_they_were():
    page = ('<html><head><title>提案</title></head><body><a href="/p" aria-label="提案">提案</a>'
            '<select><option>地区</option></select><textarea>内容</textarea>'
            '<input value="市民"><svg><text>市</text></svg></body></html>')
    annotated = furigana.ruby_html(page)
    assert "<title>提案</title>" in annotated
    assert ('aria-label="提案"><span class="ruby-text"><ruby>提案'
            '<rt aria-hidden="true">ていあん</rt></ruby></span></a>') in annotated
    assert "<option>地区</option>" in annotated
    assert "<textarea>内容</textarea>" in annotated
    assert '<input value="市民">' in annotated and "<text>市</text>" in annotated


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_user_text_never_becomes_markup(payload):
    """Ruby is built from the escaped page: whatever a resident wrote stays text."""
    text = f"小諸の提案 {payload} 市民"
    page = f"<main><p>{escape(text)}</p></main>"
    annotated = furigana.ruby_html(page)
    without_ruby = re.sub(r'</?span[^>]*>', "", RUBY.sub(lambda m: m.group(1), annotated))
    assert without_ruby == page
    assert set(re.findall(r"</?([a-z]+)", annotated)) <= {"main", "p", "span", "ruby", "rt"}


def test_a_page_with_furigana_on_shows_ruby_and_off_shows_none(client):
    assert "<ruby>" not in client.get("/accessibility").get_data(as_text=True)
    client.post("/display", data={"ruby": "on", "next": "/accessibility"})
    html = client.get("/accessibility").get_data(as_text=True)
    assert '<ruby>方針<rt aria-hidden="true">ほうしん</rt></ruby>' in html
    assert '<html lang="ja" class="with-ruby text-standard">' in html
