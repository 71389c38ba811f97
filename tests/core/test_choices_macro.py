"""The choices macro (templates/macros/forms.html) writes each radio button and checkbox
itself, from ``iter_choices()``, instead of iterating WTForms' option fields (a field, a
label and a widget call per option). What it writes must stay what WTForms writes: the
same input, byte for byte, with the label naming it."""

from __future__ import annotations

import re

import pytest
from flask import render_template_string
from markupsafe import escape
from werkzeug.datastructures import MultiDict
from wtforms import RadioField
from wtforms.validators import DataRequired, Optional

from komoro_engage.comments.forms import CommentForm
from komoro_engage.core.forms import KomoroForm, MultiCheckboxField, choices

MACRO = '{% import "macros/forms.html" as f %}{{ f.choices(field) }}'


class _Picks(KomoroForm):
    colour = RadioField("色", choices=choices(("red", "赤"), ("blue", "青 & <緑>")),
                        validators=[DataRequired()])
    areas = MultiCheckboxField("分野", coerce=int, choices=choices((1, "福祉"), (2, "教育"),
                                                                  (3, "")),
                               validators=[Optional()])


def wtforms_options(field) -> list[tuple[str, str, str]]:
    """(input, label's for, label text) as WTForms' own option fields render them."""
    return [(str(option()), option.id, str(option.label.text)) for option in field]


def macro_options(field) -> list[tuple[str, str, str]]:
    html = render_template_string(MACRO, field=field)
    found = re.findall(r'<label class="choice" for="([^"]+)">(<input [^>]*>) <span>(.*?)</span>',
                       html)
    return [(markup, for_id, text) for for_id, markup, text in found]


def expected(field) -> list[tuple[str, str, str]]:
    # The label text as the page shows it: escaped like any text.
    return [(markup, for_id, str(escape(text))) for markup, for_id, text in
            wtforms_options(field)]


@pytest.mark.parametrize("data", [None, {"stance": "against"}])
def test_a_comment_s_stances_are_written_as_wtforms_writes_them(app, data):
    with app.test_request_context("/", method="POST" if data else "GET", data=data):
        form = CommentForm(formdata=MultiDict(data) if data else None)
        assert macro_options(form.stance) == expected(form.stance)
        assert len(macro_options(form.stance)) == 4
        checked = [markup for markup, _for, _text in macro_options(form.stance)
                   if markup.startswith("<input checked")]
        assert checked == [o for o, _f, _t in expected(form.stance) if "checked" in o]
        assert len(checked) == 1


def test_a_reply_form_s_prefix_names_its_options(app):
    with app.test_request_context("/"):
        form = CommentForm(formdata=None, prefix="reply12")
        options = macro_options(form.stance)
        assert options == expected(form.stance)
        assert options[0][1] == "reply12-stance-0"


def test_a_required_radio_and_checkboxes_with_numbers_and_a_blank_label(app):
    with app.test_request_context("/", method="POST",
                                  data={"colour": "blue", "areas": ["1", "3"]}):
        form = _Picks(formdata=MultiDict([("colour", "blue"), ("areas", "1"), ("areas", "3")]))
        assert macro_options(form.colour) == expected(form.colour)
        assert all(" required " in markup for markup, _f, _t in macro_options(form.colour))
        assert macro_options(form.areas) == expected(form.areas)
        ticked = [for_id for markup, for_id, _t in macro_options(form.areas)
                  if "checked" in markup]
        assert ticked == ["areas-0", "areas-2"]
        # A choice without a label is named by its value, as WTForms names it.
        assert macro_options(form.areas)[2][2] == "3"
        # Text in a label is escaped.
        assert macro_options(form.colour)[1][2] == "青 &amp; &lt;緑&gt;"
