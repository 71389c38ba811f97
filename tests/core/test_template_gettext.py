"""Templates' ``_()``: the same output as Jinja's own newstyle gettext, for less work."""

import pytest
from jinja2 import Environment
from jinja2.ext import InternationalizationExtension

from komoro_engage.core import i18n

# A msgid with a translation, one with a variable, one with "%%" and no variable.
SOURCE = ('{{ _("提案") }}|{{ _("%(n)s件の提案", n=count) }}|{{ _("100%%の人") }}'
          '|{{ _("ようこそ %(name)s さん", name=name) }}')


def rendered_both_ways(app, language: str, autoescape: bool) -> tuple[str, str]:
    """The source rendered with our ``_`` and with Jinja's own (same catalogue)."""
    values = {"count": "1,000+", "name": "<b>&</b>"}
    with app.test_request_context("/", headers={"Cookie": f"lang={language}"}):
        app.preprocess_request()  # the language chosen, as on a page
        ours = app.jinja_env.overlay(autoescape=autoescape).from_string(SOURCE).render(values)
        # Both ways: a page escapes, a plain-text mail does not.
        jinjas = Environment(autoescape=autoescape,  # noqa: S701
                             extensions=[InternationalizationExtension])
        jinjas.install_gettext_callables(
            lambda string: i18n.catalogue().ugettext(string),
            lambda singular, plural, n: i18n.catalogue().ungettext(singular, plural, n),
            newstyle=True)
        return ours, jinjas.from_string(SOURCE).render(values)


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("autoescape", [True, False])
def test_templates_translate_as_jinjas_newstyle_gettext_does(app, language, autoescape):
    ours, jinjas = rendered_both_ways(app, language, autoescape)
    assert ours == jinjas
    assert "100%の" in ours  # "%%" reads "%" without variables too
    if autoescape:
        assert "&lt;b&gt;&amp;&lt;/b&gt;" in ours  # a variable is escaped into the text
    else:
        assert "<b>&</b>" in ours  # plain text (a mail) is not escaped
    if language == "en":
        assert ours.startswith("Proposals|")


def test_the_templates_use_the_quick_gettext(app):
    assert app.jinja_env.globals["_"] is i18n.template_gettext
