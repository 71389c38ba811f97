"""Language selection and localized fields of database rows."""

from __future__ import annotations

from pathlib import Path

from babel.support import NullTranslations, Translations
from flask import Flask, current_app, g, has_app_context, has_request_context, request
from flask_babel import Domain, get_locale, get_translations
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup
from wtforms.i18n import messages_path

LANG_COOKIE = "lang"
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600
# やさしい日本語: Japanese to Babel (dates, numbers, <html lang="ja">) as the locale ja@easy,
# with the interface strings from its own catalogue where they have an easy form, normal
# Japanese elsewhere. The cookie and the catalogue's folder say ja_easy.
EASY_JAPANESE = "ja_easy"
EASY_LOCALE = "ja@easy"
EASY_CATALOGUE = Path(__file__).parent.parent / "translations" / EASY_JAPANESE / "LC_MESSAGES"


def language_choices() -> tuple[str, ...]:
    """The languages a person may choose: Babel's, and やさしい日本語 beside Japanese."""
    return (*current_app.config["LANGUAGES"], EASY_JAPANESE)


def select_locale() -> str:
    """The user's chosen language, else the browser's, else Japanese."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and background work: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen == EASY_JAPANESE:
        return EASY_LOCALE
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


def easy_japanese() -> bool:
    """Whether the reader chose やさしい日本語 (``force_locale`` of a mail says otherwise)."""
    locale = _chosen_locale() or get_locale()
    return locale is not None and locale.modifier == "easy"


def language_key() -> str:
    """The language a rendered page depends on: "ja", "ja_easy" or "en" (cache keys)."""
    locale = _chosen_locale() or get_locale()
    if locale is None:
        return "ja"
    return EASY_JAPANESE if locale.modifier else locale.language


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
    key = EASY_JAPANESE if locale.modifier else locale.language
    found = _catalogues.get(key)
    if found is None:
        found = _catalogues[key] = _easy_catalogue() if key == EASY_JAPANESE else load()
    return found


def _easy_catalogue() -> NullTranslations:
    """The やさしい日本語 catalogue; a string without an easy form reads as normal Japanese
    (the msgid), and so does every string while the catalogue is not compiled."""
    try:
        with (EASY_CATALOGUE / "messages.mo").open("rb") as compiled:
            return Translations(compiled)
    except OSError:
        return NullTranslations()


# WTForms' own messages ("Not a valid choice" …) by language code, loaded once per process.
_form_catalogues: dict[str, NullTranslations] = {}


def form_catalogue() -> NullTranslations:
    """WTForms' catalogue for the request's language.

    Flask-WTF loads it from disk on every request that builds a form (five file checks
    and a parse, about 1 ms: a twentieth of a vote POST); the files do not change while
    the process runs.
    """
    key = language_key()
    found = _form_catalogues.get(key)
    if found is None:
        locale = _chosen_locale() or get_locale()
        found = _form_catalogues[key] = Translations.load(
            messages_path(), [locale.language if locale is not None else "ja"], domain="wtforms")
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
    app.jinja_env.globals["_"] = template_gettext


@pass_eval_context
def template_gettext(eval_context: EvalContext, string: str, **variables) -> str:
    """``_()`` in templates: what Jinja's newstyle ``_`` gives, for a third of its work.

    Jinja's ``_`` resolves ``gettext`` in the template's context and calls it through the
    context twice, and formats every string with ``%`` even without variables: about 30
    times a page for the menu and footer alone (issue 16). The result is the same:
    the translation, trusted as HTML where the template autoescapes, with the
    variables escaped into it; ``%%`` still reads ``%``.
    """
    translated = catalogue().ugettext(string)
    if eval_context.autoescape:
        translated = Markup(translated)  # noqa: S704 - our own catalogue's text, as Jinja does
    return translated % variables if variables or "%" in translated else translated


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


def localized_easy(obj: object, field: str) -> str:
    """``obj.<field>_easy`` for a reader of やさしい日本語 when staff wrote one, else
    :func:`localized` (English, or the normal Japanese).

    The hook for every text staff may write in easy Japanese: a measure's description,
    an official answer, a consultation's or a survey's introduction (a nullable
    ``<field>_easy`` column beside the field).
    """
    if easy_japanese():
        easy = getattr(obj, f"{field}_easy", None)
        if easy:
            return easy
    return localized(obj, field)
