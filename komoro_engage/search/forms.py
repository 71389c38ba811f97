"""Staff's form on the free-text map: a cluster's name."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from komoro_engage.core.forms import KomoroForm
from komoro_engage.search.models import LABEL_MAX


class ClusterLabelForm(KomoroForm):
    label = StringField(_l("テーマの名前"), filters=[lambda v: v.strip() if v else v],
                        validators=[
                            DataRequired(_l("テーマの名前を入力してください。")),
                            Length(max=LABEL_MAX, message=_l("40文字以内で入力してください。"))])
