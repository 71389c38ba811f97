"""Language selection and localized fields of database rows."""

from __future__ import annotations

from babel.support import NullTranslations
from flask import Flask, current_app, g, has_app_context, has_request_context, request
from flask_babel import Domain, get_locale, get_translations

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
    locale = _chosen_locale() or get_locale()
    return locale.language if locale is not None else "ja"


# Catalogues by language code, loaded once per process (the files do not change while it runs).
_catalogues: dict[str, NullTranslations] = {}


def catalogue() -> NullTranslations:
    """The translations for this moment's language (``force_locale`` included).

    Flask-Babel finds them afresh on every ``gettext``: five context look-ups and
    the locale's identifier formatted each time, about 250 times on a list page. Here
    it is one look-up once the language of the request is known.
    """
    return _kept(get_translations)


def _kept(load) -> NullTranslations:
    """The kept catalogue of the chosen language, ``load()``-ed the first time; before a
    language is chosen in this context, ``load()`` (Flask-Babel chooses it)."""
    locale = _chosen_locale()
    if locale is None:
        return load()
    found = _catalogues.get(locale.language)
    if found is None:
        found = _catalogues[locale.language] = load()
    return found


def _chosen_locale():
    """The locale Flask-Babel already chose (or ``force_locale`` set) in this context."""
    if not has_app_context():
        return None
    return getattr(g.get("_flask_babel"), "babel_locale", None)


class KeptCatalogues(Domain):
    """Flask-Babel's message domain, answering from the catalogues kept above.

    Its own cache is keyed by the locale's formatted identifier, built on every
    ``gettext`` and lazy string in Python code (the staff console's labels: ~70 a page).
    """

    def get_translations(self):
        return _kept(super().get_translations)


def install_template_gettext(app: Flask) -> None:
    """``_()`` in templates through :func:`catalogue`, and ``gettext`` in Python code through
    :class:`KeptCatalogues` (after ``babel.init_app``)."""
    configuration = app.extensions["babel"]
    # Flask-Babel keeps one domain on the (process-wide) Babel object: ours takes its place.
    configuration.instance.domain_instance = KeptCatalogues(domain=configuration.default_domain)
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: catalogue().ugettext(string),
        ngettext=lambda singular, plural, n: catalogue().ungettext(singular, plural, n),
        pgettext=lambda context, string: catalogue().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: catalogue().unpgettext(
            context, singular, plural, n),
        newstyle=True,
    )


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
