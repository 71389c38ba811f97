"""The public pages: the list of consultations and a consultation's page, where signed-in
residents add statements and vote on them one at a time.

Voting works as a plain form (redirect back to the page, which shows the next card) and,
with htmx, in place (the next card swaps in).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from komoro_engage.consultations import permissions, queries, services
from komoro_engage.consultations.forms import StatementForm, VoteForm
from komoro_engage.consultations.models import Consultation, Statement
from komoro_engage.consultations.page_votes import page_votes
from komoro_engage.consultations.report import consultation_report
from komoro_engage.core.blank_forms import blank_form
from komoro_engage.core.htmx import render, wants_fragment
from komoro_engage.core.limits import rate_limit_key
from komoro_engage.core.numbers import page_number
from komoro_engage.core.page_cache import for_visitors
from komoro_engage.extensions import limiter
from komoro_engage.moderation.reports import register_reportable
from komoro_engage.moderation.views import REPORT_LIMIT, report_page
from komoro_engage.plan.menus import links_of

STATEMENT_LIMIT = "20 per hour"
VOTE_LIMIT = "600 per hour"


@for_visitors
def index():
    """Open consultations first, then closed ones."""
    page = queries.consultation_list(page_number(request.args.get("page")))
    return render("consultations/list.html", page=page)


def _load(consultation_id: int) -> tuple[Consultation, queries.Turnout]:
    found = queries.consultation_with_turnout(consultation_id)
    if found is None or not permissions.can_view(current_user, found[0]):
        abort(404)  # drafts do not exist for residents
    return found


def vote_card(consultation: Consultation) -> dict:
    """The card to vote on next and how many remain, after a vote (1 statement; none when not
    taking part; the page reads them with its tallies, page_votes.py)."""
    if not permissions.can_take_part(current_user, consultation):
        return {"card": None, "remaining": 0, "taking_part": False}
    card, remaining = queries.next_statement(consultation.id, current_user)
    # The card's form is plain HTML (its buttons name the vote): no form object to build.
    return {"card": card, "remaining": remaining, "taking_part": True}


def _blank_statement_form(markers: dict[str, str]) -> str:
    return current_app.jinja_env.get_template("consultations/_statement_form.html").render(
        form=StatementForm(formdata=None), statement_action=markers["action"])


def page_context(consultation: Consultation, turnout: queries.Turnout,
                 statement_form: StatementForm | None = None) -> dict:
    """Everything the consultation page shows (a fixed number of statements)."""
    taking_part = permissions.can_take_part(current_user, consultation)
    participants, votes, statements = turnout
    if taking_part:  # the tallies with the person's votes and next card (page_votes.py)
        tallies, my_votes, card, remaining = page_votes(consultation.id, current_user)
    else:
        tallies, my_votes, card, remaining = queries.tallies(consultation.id), [], None, 0
    action = (url_for("consultations.add_statement", consultation_id=consultation.id)
              if taking_part else None)
    return {
        "consultation": consultation, "taking_part": taking_part,
        "links": links_of(queries.PLAN_LINKS, consultation.id),
        # What was typed comes back with its error; else the blank form, kept rendered
        # (building and rendering it was a twelfth of the page, issue 16).
        "statement_form": statement_form, "statement_action": action,
        "blank_statement_form": (blank_form("statement", _blank_statement_form, action=action)
                                 if taking_part and statement_form is None else None),
        "my_votes": my_votes, "card": card, "remaining": remaining,
        "tallies": tallies,
        "report": consultation_report(consultation.id, queries.every_published_text(tallies)),
        "participants": participants, "votes": votes, "statements": statements,
    }


@for_visitors
def detail(consultation_id: int):
    """The question, the vote card, the statement form, one's votes and the results."""
    return render("consultations/detail.html", **page_context(*_load(consultation_id)))


@login_required
@limiter.limit(STATEMENT_LIMIT, key_func=rate_limit_key, methods=["POST"])
def add_statement(consultation_id: int):
    """A resident's statement: kept for staff to check, or the form again with its error."""
    consultation, turnout = _load(consultation_id)
    if not permissions.can_take_part(current_user, consultation):
        abort(403)
    form = StatementForm()
    if not form.validate_on_submit():  # nothing written: the turnout read first still holds
        return render("consultations/detail.html", status=422,
                      **page_context(consultation, turnout, statement_form=form))
    services.add_statement(current_user, consultation, form.text.data)
    flash(_("意見を受け付けました。確認後に公開されます。"), "success")
    return redirect(url_for("consultations.detail", consultation_id=consultation.id) + "#add")


def _load_statement(statement_id: int) -> Statement:
    statement = queries.statement_with_consultation(statement_id)
    if statement is None or not permissions.can_see_statement(current_user, statement):
        abort(404)
    return statement


@login_required
@limiter.limit(VOTE_LIMIT, key_func=rate_limit_key)
def vote(statement_id: int):
    """賛成 / 反対 / パス, or a changed vote; then the next card (htmx) or the page."""
    statement = _load_statement(statement_id)
    form = VoteForm()
    if not permissions.can_vote(current_user, statement):
        abort(403)
    if not form.validate():
        abort(400)  # no button's value: not sent by the page
    changed = not services.cast_vote(current_user, statement, form.value)
    consultation = statement.consultation
    if wants_fragment():
        return render("consultations/detail.html", block="vote_card",
                      consultation=consultation, **vote_card(consultation))
    page = url_for("consultations.detail", consultation_id=consultation.id)
    if changed and request.form.get("from") == "mine":
        flash(_("投票を変更しました。"), "success")
        return redirect(page + "#your-votes")
    return redirect(page + "#vote")


@dataclass(frozen=True)
class _Subject:
    """What the report page shows of the reported statement."""

    title: str


@login_required
@limiter.limit(REPORT_LIMIT, key_func=rate_limit_key, methods=["POST"])
def report_statement(statement_id: int):
    statement = _load_statement(statement_id)
    back = url_for("consultations.detail", consultation_id=statement.consultation_id)
    return report_page(statement, _Subject(statement.text), back)


def register() -> None:
    """Statements take reports; called once from the package."""
    register_reportable(Statement.__tablename__, services.hide_reported_statement)
