"""Language selection and localized fields of database rows."""

from __future__ import annotations

from flask import current_app, has_request_context, request
from flask_babel import get_locale

LANG_COOKIE = "lang"
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600


def select_locale() -> str:
    """The user's chosen language, else the browser's, else Japanese."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and background work: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or languages[0]


def current_language() -> str:
    """The chosen language code ("ja", "en"); templates ask for it many times per page.

    ``Locale.language`` rather than ``str(locale)``: our languages are bare codes,
    and formatting the identifier each time was a visible share of a list page.
    """
    locale = get_locale()
    return locale.language if locale is not None else "ja"


def localized(obj: object, field: str) -> str:
    """``obj.<field>_en`` when English is chosen and filled in, else ``obj.<field>``.

    Plan rows hold Japanese as the authoritative text and English as an optional
    translation, so a missing translation falls back to the official Japanese.
    """
    if current_language() == "en":
        english = getattr(obj, f"{field}_en", None)
        if english:
            return english
    return getattr(obj, field) or ""
