"""The free-text map's pages (a measure's, a fiscal year's, a consultation's, a survey's);
staff rename and refresh.

Visitors read a stored snapshot (no clustering in a request), in a fixed number of
queries: the subject, the snapshot, the names, one per kind of text shown.
Load (404) → check (403) → act; staff writes are audit-logged by the services.
"""

from __future__ import annotations

import re

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from komoro_engage.accounts.permissions import is_staff
from komoro_engage.core.forms import ActionForm
from komoro_engage.core.htmx import render
from komoro_engage.core.page_cache import for_visitors
from komoro_engage.core.text_sources import links_for, scope, scope_page
from komoro_engage.search import text_map_store
from komoro_engage.search.forms import ClusterLabelForm

CLUSTER_KEY = re.compile(r"c\d{1,9}(\.\d{1,9})?")


def _subject(kind: str, ident: int):
    """The measure, fiscal year or consultation a map is about (404 when there is none).

    Named through core/text_sources.py: measures and years by this package
    (sections.py), consultations by theirs.
    """
    page = scope_page(kind, ident)
    if page is None:
        abort(404)
    return page


def _map_page(kind: str, ident: int):
    subject = _subject(kind, ident)
    name = scope(kind, ident)
    snapshot = text_map_store.snapshot_of(name)
    text_map = text_map_store.stored_map(snapshot, text_map_store.labels_of(name))
    shown = [key for c in (text_map.clusters if text_map else ()) for key in c.nearest]
    return render("search/text_map.html", kind=kind, ident=ident, subject=subject,
                  snapshot=snapshot, text_map=text_map, links=links_for(shown),
                  staff=is_staff(current_user), refresh_form=ActionForm())


@for_visitors
def measure_map(ident: int):
    """A measure's 市民の声の地図: its residents' texts grouped into themes."""
    return _map_page("measure", ident)


@for_visitors
def year_map(ident: int):
    """A fiscal year's 市民の声の地図."""
    return _map_page("year", ident)


@for_visitors
def consultation_map(ident: int):
    """A consultation's 市民の声の地図 (its statements), once consultations name their pages."""
    return _map_page("consultation", ident)


@for_visitors
def survey_map(ident: int):
    """A closed survey's 市民の声の地図 (its approved free-text answers)."""
    return _map_page("survey", ident)


def _back(kind: str, ident: int):
    return url_for(f"search.{kind}_map", ident=ident)


@login_required
def rename(kind: str, ident: int, cluster_key: str):
    """Staff name a cluster; the name stays while the cluster persists."""
    subject = _subject(kind, ident)
    name = scope(kind, ident)
    text_map = text_map_store.stored_map(text_map_store.snapshot_of(name),
                                         text_map_store.labels_of(name))
    cluster = next((c for c in (text_map.clusters if text_map else ())
                    if CLUSTER_KEY.fullmatch(cluster_key) and c.key == cluster_key), None)
    if cluster is None:
        abort(404)
    if not is_staff(current_user):
        abort(403)
    form = ClusterLabelForm(data={"label": cluster.label or ""})
    if form.validate_on_submit():
        text_map_store.rename_cluster(current_user, name, cluster.key, form.label.data)
        flash(_("テーマの名前を保存しました。"), "success")
        return redirect(_back(kind, ident) + f"#cluster-{cluster.key}")
    return render("search/cluster_label.html", form=form, kind=kind, ident=ident,
                  subject=subject, cluster=cluster, back=_back(kind, ident),
                  status=422 if form.errors else 200)


@login_required
def refresh(kind: str, ident: int):
    """Staff ask for the map to be computed again at the next run of the timer."""
    _subject(kind, ident)
    if not is_staff(current_user):
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    text_map_store.request_refresh(current_user, scope(kind, ident))
    flash(_("再集計を依頼しました。次回の定期実行（1時間以内）で更新されます。"), "success")
    return redirect(_back(kind, ident))
