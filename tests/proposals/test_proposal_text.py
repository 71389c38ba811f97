"""Plain-text display: escaped, line breaks kept, only http(s) links linked."""

from komoro_engage.core.text import plain_text_html


def test_only_http_links_become_links_and_everything_else_is_escaped():
    html = str(plain_text_html(
        'javascript:alert(1) <script>x</script>\nhttps://example.jp/a?b=1&c=2"onclick=x'))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert ('<a href="https://example.jp/a?b=1&amp;c=2" rel="nofollow ugc noopener" '
            'target="_blank">https://example.jp/a?b=1&amp;c=2</a>') in html
    assert "&#34;onclick=x" in html and "<br>" in html


def test_japanese_punctuation_ends_a_link():
    html = str(plain_text_html("詳細は「http://komoro.jp/x」、またはhttp://a.jp。"))
    assert '>http://komoro.jp/x</a>」' in html and '>http://a.jp</a>。' in html
