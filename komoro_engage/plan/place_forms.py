"""The place fields every form that places something on the map shares.

The map (static/js/map.js) writes the tapped point into ``latitude`` and
``longitude``; without JavaScript the author names a landmark from a list. Both
post the same fields, so the server needs no second path.
"""

from __future__ import annotations

import math

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField
from wtforms.validators import Optional, ValidationError

from komoro_engage.core.forms import choices
from komoro_engage.core.i18n import localized
from komoro_engage.extensions import db
from komoro_engage.plan.place_models import Landmark
from komoro_engage.plan.places import in_city, landmarks, picker_data

NO_LANDMARK = ""


class PlaceFields:
    """Mixin for a KomoroForm: a point from the map, or a landmark from a list."""

    # No Optional(): it would stop the check below when only one half arrives.
    latitude = HiddenField()
    longitude = HiddenField()
    landmark = SelectField(_l("目印（駅・公共施設など、任意）"), validators=[Optional()],
                           description=_l("選ぶと、その場所の位置で公開されます。"))

    def validate_latitude(self, field):
        if self.point() is None and (field.data or self.longitude.data):
            raise ValidationError(_l("地図で小諸市内の場所をもう一度選んでください。"))

    def point(self) -> tuple[float, float] | None:
        """The tapped point when both halves are numbers inside the city, else None."""
        try:
            latitude, longitude = float(self.latitude.data), float(self.longitude.data)
        except (TypeError, ValueError):
            return None
        if not (math.isfinite(latitude) and math.isfinite(longitude)):
            return None
        return (latitude, longitude) if in_city(latitude, longitude) else None

    def chosen_landmark(self) -> Landmark | None:
        value = self.landmark.data or NO_LANDMARK
        return db.session.get(Landmark, int(value)) if value.isdigit() else None


def prepare_landmark_choices(form: PlaceFields) -> None:
    """Fill the landmark menu and the map's data (two queries: landmarks, district centres)."""
    rows = landmarks()
    form.landmark.choices = choices((NO_LANDMARK, _("選ばない")),
                                    *[(str(row.id), localized(row, "name")) for row in rows])
    form.map_picker = picker_data(rows)


def fill_place(form: PlaceFields, row) -> None:
    """Put a saved row's place back into the form (the author's own edit form)."""
    form.landmark.data = str(row.landmark_id or NO_LANDMARK)
    if row.latitude is not None and row.longitude is not None:
        form.latitude.data, form.longitude.data = str(row.latitude), str(row.longitude)
