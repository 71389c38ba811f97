"""A person's notifications, mails and choices: in their data download, gone with the account."""

from sqlalchemy import select

from komoro_engage.accounts.erasure import delete_account, export_user_data
from komoro_engage.accounts.models import Role
from komoro_engage.core.outbox import OutboxMail
from komoro_engage.extensions import db
from komoro_engage.notifications.models import EmailPreference, Notification
from komoro_engage.notifications.services import set_email_choice
from komoro_engage.proposals.models import ProposalStatus
from komoro_engage.proposals.services import approve_proposal
from tests.factories import make_user
from tests.proposals.helpers import make_proposal


def test_export_then_delete(ctx):
    author, staff = make_user(), make_user(role=Role.STAFF)
    set_email_choice(author.id, "replies", False)
    approve_proposal(staff, make_proposal(author, ProposalStatus.PENDING, title="朝市の復活"))

    exported = export_user_data(author)["notifications"]
    assert exported["notifications"][0]["params"] == {"title": "朝市の復活"}
    assert exported["email_choices"] == {"replies": False}
    assert exported["mails"][0]["subject"].endswith("提案が公開されました")

    delete_account(author, remove_posts=False)

    for model in (Notification, OutboxMail, EmailPreference):
        assert db.session.scalars(select(model).where(model.user_id == author.id)).all() == []
