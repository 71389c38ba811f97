"""The bell's list, marking read, email settings and one-click unsubscribe."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from komoro_engage.accounts.models import User, UserStatus
from komoro_engage.core.forms import ActionForm
from komoro_engage.core.htmx import is_htmx, render
from komoro_engage.core.redirects import is_safe_path
from komoro_engage.core.templating import layout_data
from komoro_engage.core.transaction import writes_on_get
from komoro_engage.extensions import csrf, db
from komoro_engage.notifications import kinds, queries, services
from komoro_engage.notifications.forms import preferences_form
from komoro_engage.notifications.models import Notification


def _own(notification_id: int) -> Notification:
    """The signed-in person's notification; 404 for anyone else's."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != current_user.id:
        abort(404)
    return notification


def _list(page_arg: str | None, block: str = "content", bell_update: bool = False):
    page = queries.notifications_page(current_user.id, page_arg)
    # The bell goes out of band in the fragment, so the fragment needs the layout's count.
    layout = {"layout": layout_data()} if bell_update else {}
    return render("notifications/list.html", block=block, page=page, form=ActionForm(),
                  message=kinds.message, subject=kinds.subject, bell_update=bell_update,
                  **layout)


@login_required
def index():
    """Newest first; unread ones are marked."""
    return _list(request.args.get("page"))


@writes_on_get
@login_required
def follow(notification_id: int):
    """Open what a notification is about, marking it read on the way."""
    notification = _own(notification_id)
    services.mark_read(notification)
    target = notification.link
    return redirect(target if is_safe_path(target) else url_for("notifications.index"))


@login_required
def mark_read(notification_id: int):
    services.mark_read(_own(notification_id))
    return _after_marking()


@login_required
def mark_all_read():
    services.mark_all_read(current_user)
    return _after_marking()


def _after_marking():
    """htmx: the list again, and the bell's new count out of band; else back to the list."""
    page = request.form.get("page")
    if is_htmx():
        return _list(page, block="notification_list", bell_update=True)
    return redirect(url_for("notifications.index", page=page if page and page != "1" else None))


@login_required
def preferences():
    """Which mails the signed-in person gets."""
    user = db.session.get(User, current_user.id)
    form = preferences_form(services.email_choices(user))
    if form.validate_on_submit():
        for name in services.email_choices(user):
            services.set_email_choice(user.id, name, bool(form[name].data))
        flash(_("メールの設定を保存しました。"), "success")
        return redirect(url_for("notifications.preferences"))
    return render("notifications/preferences.html", form=form)


@csrf.exempt  # RFC 8058: mail clients POST here without a session; the signed token is the key
def unsubscribe(token: str):
    """GET asks to confirm; POST (a mail client's one-click, or the button) switches it off."""
    read = services.read_unsubscribe_token(token)
    user = db.session.get(User, read[0]) if read else None
    if user is None or user.status == UserStatus.DELETED:
        return render("notifications/unsubscribe.html", invalid=True, status=400)
    category = kinds.CATEGORIES[read[1]]
    if request.method == "POST":
        services.set_email_choice(user.id, category.name, False)
    return render("notifications/unsubscribe.html", invalid=False, category=category,
                  done=request.method == "POST", token=token)
