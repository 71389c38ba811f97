"""Forms of the notifications feature."""

from __future__ import annotations

from wtforms import BooleanField

from komoro_engage.core.forms import KomoroForm
from komoro_engage.notifications.kinds import CATEGORIES


def preferences_form(choices: dict[str, bool]) -> KomoroForm:
    """One checkbox per mail category this person may receive, ticked as they chose."""

    class EmailPreferencesForm(KomoroForm):
        pass

    for name in choices:
        category = CATEGORIES[name]
        setattr(EmailPreferencesForm, name,
                BooleanField(category.label, description=category.help))
    return EmailPreferencesForm(data=choices)
