"""Every string the app shows has an English translation."""

from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "komoro_engage" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def test_every_japanese_string_has_an_english_translation(tmp_path):
    template = tmp_path / "messages.pot"
    CommandLineInterface().run([
        "pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "--no-location", "-k", "_l",
        "-o", str(template), str(ROOT),
    ])
    with template.open("rb") as f:
        extracted = {message.id for message in read_po(f) if message.id}
    with CATALOG.open("rb") as f:
        catalog = read_po(f, locale="en")
    translated = {
        message.id for message in catalog
        if message.id and message.string and not message.fuzzy
    }
    assert len(extracted) > 40, "extraction found too little: is babel.cfg right?"
    missing = sorted(str(m) for m in extracted - translated)
    assert not missing, f"untranslated (run `make translations-update`): {missing}"
