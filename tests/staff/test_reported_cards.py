"""The report queue reads comments and consultation statements as plain rows
(staff/reported.py, issue 16): each card must still name what a Comment or Statement
object gave it — where it was written, with the right link, its text, whether it is
hidden, and its author (or that there is none), with the admins' suspend link.
"""

from __future__ import annotations

from komoro_engage.accounts.models import Role, UserStatus
from komoro_engage.comments.services import add_comment
from komoro_engage.consultations.models import StatementStatus
from komoro_engage.core import clock
from komoro_engage.extensions import db
from komoro_engage.moderation.reports import report_item
from tests.consultations.helpers import make_consultation, make_statement
from tests.factories import make_user
from tests.projects.helpers import make_project
from tests.proposals.helpers import make_proposal


def card(body: str, key: str) -> str:
    """One card: up to the next card, or the end of the queue."""
    item = body[body.index(f'id="item-{key}"'):]
    ends = [at for at in (item.find('class="queue-item'), item.find('<nav')) if at > 0]
    return item[:min(ends)]


def test_reported_comments_and_statements_name_where_and_who(app, login):
    with app.app_context():
        writer = make_user(nickname="コメントした人")
        gone = make_user(nickname="退会する人")
        proposal = make_proposal(title="通報された話題の提案")
        project = make_project(title="通報された話題のプロジェクト")
        on_proposal = add_comment(writer, proposal, "提案へのひどいコメント")
        on_project = add_comment(gone, project, "プロジェクトへのひどいコメント")
        on_project.hidden_at = clock.now()
        gone.status = UserStatus.DELETED
        consultation = make_consultation(title="駅前広場の広聴")
        signed = make_statement(consultation, "署名のある通報された意見", author=writer)
        unsigned = make_statement(consultation, "代理入力の通報された意見",
                                  status=StatementStatus.HIDDEN)
        for item in (on_proposal, on_project, signed, unsigned):
            report_item(make_user(), item, "abuse", "ひどい言い方です")
        admin = make_user(role=Role.ADMIN)
        db.session.commit()
        ids = {"proposal": proposal.id, "project": project.id, "writer": writer.id,
               "on_proposal": on_proposal.id, "on_project": on_project.id,
               "signed": signed.id, "unsigned": unsigned.id, "consultation": consultation.id}
    body = login(admin).get("/staff?queue=reports").text

    first = card(body, f"comment-{ids['on_proposal']}")
    assert (f'href="/proposals/{ids["proposal"]}#comment-{ids["on_proposal"]}">'
            "通報された話題の提案</a>") in first
    assert "提案へのひどいコメント" in first and "非表示中" not in first
    assert "コメントした人" in first and f"/staff/users/{ids['writer']}/suspend" in first

    second = card(body, f"comment-{ids['on_project']}")
    assert (f'href="/projects/{ids["project"]}#comment-{ids["on_project"]}">'
            "通報された話題のプロジェクト</a>") in second
    assert "非表示中" in second and "退会したユーザー" in second
    assert "/suspend" not in second  # nobody to suspend: the account is gone

    third = card(body, f"statement-{ids['signed']}")
    assert (f'href="/staff/consultations/{ids["consultation"]}#reported">'
            "駅前広場の広聴</a>") in third
    assert "署名のある通報された意見" in third and "コメントした人" in third
    assert f"/staff/users/{ids['writer']}/suspend" in third

    fourth = card(body, f"statement-{ids['unsigned']}")
    assert f'href="/staff/consultations/{ids["consultation"]}#hidden">' in fourth
    assert "非表示中" in fourth and "（不明）" in fourth and "/suspend" not in fourth


def cards_read(count_queries, table: str) -> list[str]:
    """The statements that read the cards of ``table``'s reported items."""
    return [sql for sql in count_queries.statements
            if sql.lstrip().startswith(f"SELECT {table}.id, {table}.")]


def test_a_kind_not_on_the_page_is_not_read(app, login, count_queries):
    """Only what the page shows is read: a page of reported proposals asks nothing of
    comments or statements (each was a round trip on PostgreSQL for no row)."""
    with app.app_context():
        proposal = make_proposal(title="通報された提案だけ")
        report_item(make_user(), proposal, "spam", "宣伝です")
        admin = make_user(role=Role.ADMIN)
        db.session.commit()
        proposal_id = proposal.id
    client = login(admin)
    client.get("/staff?queue=reports")  # the plan's names, kept by the first request
    count_queries.reset()
    body = client.get("/staff?queue=reports").text
    assert "通報された提案だけ" in card(body, f"proposal-{proposal_id}")
    assert not cards_read(count_queries, "comment") and not cards_read(count_queries,
                                                                        "statement")
    with app.app_context():
        comment = add_comment(make_user(), db.session.get(type(proposal), proposal_id),
                              "あとから通報されたコメント")
        report_item(make_user(), comment, "abuse")
        db.session.commit()
    count_queries.reset()
    body = client.get("/staff?queue=reports").text
    assert "あとから通報されたコメント" in body
    assert cards_read(count_queries, "comment") and not cards_read(count_queries, "statement")
