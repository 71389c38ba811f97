"""WTForms' own messages: in the reader's language, loaded once per process."""

from unittest import mock

from babel.support import Translations
from wtforms import SelectField

from komoro_engage.core import i18n
from komoro_engage.core.forms import KomoroForm, choices


class ChoiceForm(KomoroForm):
    colour = SelectField(choices=choices(("red", "赤"), ("blue", "青")))


def errors_for(app, language: str) -> list[str]:
    with app.test_request_context("/", method="POST", data={"colour": "green"},
                                  headers={"Cookie": f"lang={language}"}):
        form = ChoiceForm(meta={"csrf": False})
        form.validate()
        return form.colour.errors


def test_wtforms_messages_follow_the_readers_language(app):
    assert errors_for(app, "ja") == ["選択肢が正しくありません。"]
    assert errors_for(app, "en") == ["Not a valid choice."]
    assert errors_for(app, "ja_easy") == ["選択肢が正しくありません。"]


def test_wtforms_catalogue_is_read_from_disk_once_per_language(app):
    i18n._form_catalogues.clear()
    with mock.patch.object(Translations, "load", wraps=Translations.load) as load:
        for _ in range(3):
            errors_for(app, "ja")
            errors_for(app, "en")
    assert load.call_count == 2  # Flask-WTF's own loader read it again for every request
