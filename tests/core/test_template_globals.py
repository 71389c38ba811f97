"""Each template's globals are a plain dict copy (core/templating.KomoroEnvironment).

Jinja's ChainMap was read in Python on every render and import (issue 16); a copy must
still see a global registered after the template was first loaded.
"""

from __future__ import annotations

from collections import ChainMap

from flask import render_template_string

from komoro_engage.core.templating import KomoroEnvironment


def test_the_app_uses_plain_dict_globals(app):
    assert isinstance(app.jinja_env, KomoroEnvironment)
    template = app.jinja_env.get_template("accounts/terms.html")
    assert type(template.globals) is dict and not isinstance(template.globals, ChainMap)
    assert template.globals["_"] is app.jinja_env.globals["_"]


def test_a_global_added_later_reaches_templates_loaded_before(app):
    source = "{{ late_global() if late_global is defined else 'missing' }}"
    with app.test_request_context("/"):
        before = app.jinja_env.get_template("accounts/terms.html")
        assert render_template_string(source) == "missing"
        app.jinja_env.globals["late_global"] = lambda: "found"
        try:
            assert render_template_string(source) == "found"
            again = app.jinja_env.get_template("accounts/terms.html")
            assert again is not before and again.globals["late_global"]() == "found"
        finally:
            del app.jinja_env.globals["late_global"]
        assert render_template_string(source) == "missing"


def test_a_template_own_globals_stay_its_own(app):
    first = app.jinja_env.from_string("{{ mine }}", globals={"mine": "一"})
    second = app.jinja_env.from_string("{{ mine }}")
    assert first.render() == "一" and second.render() == ""
    assert "mine" not in app.jinja_env.globals
