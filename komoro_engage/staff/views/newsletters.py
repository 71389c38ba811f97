"""お知らせメール (/staff/newsletters): write a draft, preview it, send a test to oneself,
check how many people it reaches, send.

Plain forms throughout (no JavaScript needed). A refused form comes back with its errors
next to the fields and what was typed (422). The check page carries a one-time key: a
double tap on 送信する sends once. Sending writes the first batch of mails in this
request; the rest are written by ``flask komoro send-newsletters`` (or ``send-mail``).
"""

from __future__ import annotations

import secrets

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from komoro_engage.core.forms import ActionForm
from komoro_engage.core.htmx import render, render_form
from komoro_engage.extensions import db
from komoro_engage.notifications import newsletters as sending
from komoro_engage.notifications.newsletter_models import Audience, Newsletter
from komoro_engage.staff import newsletters, permissions
from komoro_engage.staff.newsletter_forms import SendForm, newsletter_form
from komoro_engage.staff.views import acting_user


def _staff():
    user = acting_user()
    if not permissions.can_send_newsletters(user):
        abort(403)
    return user


def _load(newsletter_id: int, draft: bool = False) -> Newsletter:
    _staff()
    newsletter = db.get_or_404(Newsletter, newsletter_id)
    if draft and not newsletter.is_draft:
        abort(404)  # a sent newsletter is a record: it has no form any more
    return newsletter


def _save(form, newsletter: Newsletter | None):
    user = _staff()
    if form.validate_on_submit():
        saved = sending.save_draft(user, newsletter, form.subject.data, form.body.data,
                                   Audience(form.audience.data), form.audience_ids())
        flash(_("下書きを保存しました。内容を確かめてください。"), "success")
        return redirect(url_for("staff.newsletter_page", newsletter_id=saved.id))
    return render_form("staff/newsletter_form.html", form, newsletter=newsletter)


@login_required
def newsletter_list():
    """Drafts and newsletters being sent first, then the sent ones."""
    _staff()
    return render("staff/newsletters.html", newsletters=sending.all_newsletters())


@login_required
def newsletter_new():
    """Write a new newsletter (saved as a draft)."""
    _staff()
    return _save(newsletter_form(), None)


@login_required
def newsletter_edit(newsletter_id: int):
    """Change a draft."""
    newsletter = _load(newsletter_id, draft=True)
    return _save(newsletter_form(newsletter if request.method == "GET" else None), newsletter)


@login_required
def newsletter_page(newsletter_id: int):
    """The preview (as the archive will show it) and the steps: edit, test, check."""
    newsletter = _load(newsletter_id)
    return render("staff/newsletter.html", newsletter=newsletter,
                  audience_names=newsletters.audience_names(newsletter),
                  action_form=ActionForm())


@login_required
def newsletter_test(newsletter_id: int):
    """Send the newsletter to oneself only: one mail, through the outbox."""
    user = _staff()
    newsletter = _load(newsletter_id)
    if not ActionForm().validate():
        abort(400)
    if sending.send_test(user, newsletter):
        flash(_("テスト送信しました（%(email)s）。届くまで数分かかることがあります。",
                email=user.email), "success")
    else:
        flash(_("メールアドレスの確認が済んでいないため、テスト送信できません。"), "error")
    return redirect(url_for("staff.newsletter_page", newsletter_id=newsletter.id))


@login_required
def newsletter_check(newsletter_id: int):
    """How many people the newsletter reaches, with 送信する and 修正する."""
    newsletter = _load(newsletter_id, draft=True)
    form = SendForm()
    form.key.data = secrets.token_urlsafe(24)
    return _check_page(newsletter, form)


def _check_page(newsletter: Newsletter, form: SendForm, status: int = 200):
    count = sending.count_recipients(newsletters.audience_of(newsletter))
    return render("staff/newsletter_check.html", newsletter=newsletter, form=form, count=count,
                  audience_names=newsletters.audience_names(newsletter), status=status)


@login_required
def newsletter_send(newsletter_id: int):
    """Send: choose the recipients, write the first batch of mails; once only."""
    user = _staff()
    newsletter = _load(newsletter_id)
    form = SendForm()
    if not form.validate():
        if not newsletter.is_draft:
            abort(400)
        form.key.data = secrets.token_urlsafe(24)
        form.form_errors.append(_("内容を確かめて、もう一度「送信する」を押してください。"))
        return _check_page(newsletter, form, status=422)
    other = sending.sent_with_key(form.key.data)
    if other is not None and other.id != newsletter.id:
        abort(400)  # a key copied from another newsletter's check page
    if newsletter.submission_key == form.key.data or not newsletter.is_draft:
        flash(_("このお知らせメールは送信済みです。"), "success")
    elif sending.start_sending(user, newsletter, form.key.data,
                               newsletters.audience_of(newsletter)):
        flash(ngettext("%(num)s人への送信を始めました。", "%(num)s人への送信を始めました。",
                       newsletter.recipient_count), "success")
    else:
        flash(_("このお知らせメールは送信済みです。"), "success")
    return redirect(url_for("staff.newsletter_page", newsletter_id=newsletter.id))
