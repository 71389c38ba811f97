"""Consultations (広聴 テーマ): questions staff put to residents, short statements and
賛成 / 反対 / パス votes on them; reports through moderation, sections on a measure's page."""

from komoro_engage.consultations import erasure, sections, text_sources, waiting
from komoro_engage.consultations.blueprint import bp
from komoro_engage.consultations.views import public

erasure.register()  # account deletion removes or keeps the person's statements
sections.register()  # the consultations tied to a measure, on its page
public.register()  # statements take reports
text_sources.register()  # statements on the free-text maps (search/text_map.py)
waiting.register()  # the staff's digest counts statements waiting for pre-moderation

__all__ = ["bp"]
