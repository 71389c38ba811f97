"""How a person reads the site: ふりがな on or off, and the text size (標準 / 大 / 特大).

Both are remembered in cookies (no account needed, no JavaScript needed) and chosen
by plain form posts to ``/display`` from the header's 表示設定 menu or from
``/settings/display``. The page cache adds :func:`display_key` to its key, because a
page with another size class is another page (ruby is added to every HTML response
after it is rendered or taken from the cache: ``add_ruby``).
"""

from __future__ import annotations

from flask import Flask, Response, g, has_request_context, request
from markupsafe import Markup

from komoro_engage.core import furigana
from komoro_engage.core.i18n import EASY_JAPANESE, current_language, language_key

RUBY_COOKIE = "ruby"
SIZE_COOKIE = "text_size"
COOKIE_MAX_AGE = 365 * 24 * 3600
# The size classes put on <html> (static/css/site.css scales rem from there).
TEXT_SIZES = ("standard", "large", "xlarge")
STANDARD = (False, "standard")






def display_key() -> tuple[bool, str]:
    """What a rendered page depends on besides language and data: (ruby on, text size).

    Read from the cookies once per request (every page asks at least twice).
    """
    if not has_request_context():
        return STANDARD
    found = g.get("display_key")
    if found is None:
        cookies = request.cookies
        # ``in`` first: a missing key makes Werkzeug build (and drop) an exception
        ruby = RUBY_COOKIE in cookies and cookies[RUBY_COOKIE] == "on"
        size = cookies[SIZE_COOKIE] if SIZE_COOKIE in cookies else "standard"  # noqa: SIM401
        found = g.display_key = (ruby, size if size in TEXT_SIZES else "standard")
    return found


def page_values(path: str | None = None) -> dict:
    """What every whole page's layout reads (templating's context processor gives them, with
    the page's ``path``, None outside a request): <html>'s attributes and the language
    chosen (ja, ja_easy, en). Every page pays for this: it is kept to a few calls."""
    if path is None:  # outside a request (a mail, the CLI)
        return {"html_attributes": _attributes(current_language(), *STANDARD),
                "language_choice": current_language()}
    choice = language_key()
    language = "ja" if choice == EASY_JAPANESE else choice
    return {"html_attributes": _attributes(language, *display_key()),
            "language_choice": choice}




_made_attributes: dict[tuple, Markup] = {}


def _attributes(language: str, ruby: bool, size: str) -> Markup:
    """Made once per process for each of the few combinations (all from fixed lists)."""
    key = (language, ruby, size)
    made = _made_attributes.get(key)
    if made is None:
        made = Markup(' lang="{}"').format(language)
        if key[1:] != STANDARD:
            made += Markup(' class="{}text-{}"').format("with-ruby " if ruby else "", size)
        _made_attributes[key] = made
    return made


def register(app: Flask) -> None:
    """Read the place names' readings from the plan file; put ruby into pages that want it."""
    furigana.configure(app.config["PLAN_DATA_FILE"])
    app.after_request(add_ruby)
    app.jinja_env.globals["display_key"] = display_key


def add_ruby(response: Response) -> Response:
    """ふりがな over the kanji of an HTML page (or htmx fragment) when the reader chose it."""
    # a whole page asked already (page_values); a redirect or fragment asks here
    shown = g.get("display_key") or display_key()
    if (shown[0] and response.mimetype == "text/html" and not response.direct_passthrough
            and response.status_code != 304):
        response.set_data(furigana.ruby_html(response.get_data(as_text=True)))
    return response
