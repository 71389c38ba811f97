"""Comments (コメント) and replies on anything commentable: proposals, 協働 projects, later
consultations.

A feature registers its kind once with ``commentable.register`` and builds its page's
comment section with ``sections.comment_section``; this package never imports the
features. Reports on comments go through moderation's report registry.
"""

from komoro_engage.comments import erasure
from komoro_engage.comments.blueprint import bp
from komoro_engage.comments.queries import ANY_COMMENTS_FACT, any_comments_column
from komoro_engage.comments.services import hide_reported_comment
from komoro_engage.core.request_facts import register_item_fact
from komoro_engage.moderation.reports import register_reportable

erasure.register()  # account deletion keeps or removes comments
register_reportable("comment", hide_reported_comment)
register_item_fact(ANY_COMMENTS_FACT, any_comments_column)  # asked with an item's page

__all__ = ["bp"]
