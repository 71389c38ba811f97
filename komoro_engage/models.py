"""Imports every feature's models so that Alembic and ``create_all`` see them all."""

from komoro_engage.accounts import models as accounts_models  # noqa: F401
from komoro_engage.budgeting import models as budgeting_models  # noqa: F401
from komoro_engage.comments import models as comments_models  # noqa: F401
from komoro_engage.consultations import models as consultations_models  # noqa: F401
from komoro_engage.core import audit, content_version, outbox  # noqa: F401
from komoro_engage.evaluation import models as evaluation_models  # noqa: F401
from komoro_engage.media import models as media_models  # noqa: F401
from komoro_engage.moderation import models as moderation_models  # noqa: F401
from komoro_engage.notifications import (
    follow_models,  # noqa: F401
    newsletter_models,  # noqa: F401
)
from komoro_engage.notifications import models as notifications_models  # noqa: F401
from komoro_engage.plan import (
    departments,  # noqa: F401
    place_models,  # noqa: F401
)
from komoro_engage.plan import models as plan_models  # noqa: F401
from komoro_engage.projects import message_models  # noqa: F401
from komoro_engage.projects import models as projects_models  # noqa: F401
from komoro_engage.proposals import models as proposals_models  # noqa: F401
from komoro_engage.proposals.lifecycle import models as lifecycle_models  # noqa: F401
from komoro_engage.search import models as search_models  # noqa: F401
from komoro_engage.staff import handling_models  # noqa: F401
from komoro_engage.surveys import models as surveys_models  # noqa: F401
