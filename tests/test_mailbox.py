"""The test SMTP server the sign-up journey will read its verification mail from."""

import smtplib
from email.message import EmailMessage

import pytest

from tests.mailbox import Mailbox, links


@pytest.fixture
def mailbox():
    box = Mailbox().start()
    yield box
    box.stop()


def test_mailbox_receives_mail_and_finds_its_links(mailbox):
    message = EmailMessage()
    message["From"] = "noreply@komoro-engage.invalid"
    message["To"] = "resident@example.jp"
    message["Subject"] = "メールアドレスの確認"
    message.set_content("次のリンクを開いてください。\nhttp://127.0.0.1:5000/verify/abc123\n")
    with smtplib.SMTP("127.0.0.1", mailbox.port, timeout=5) as smtp:
        smtp.send_message(message)

    received = mailbox.wait_for("resident@example.jp")

    assert received["Subject"] == "メールアドレスの確認"
    assert links(received) == ["http://127.0.0.1:5000/verify/abc123"]


def test_waiting_for_mail_that_never_comes_fails_clearly(mailbox):
    with pytest.raises(AssertionError, match="no mail to nobody@example.jp"):
        mailbox.wait_for("nobody@example.jp", timeout=0.2)
