"""Text maps kept per scope: computing and storing them, staff's names and refreshes.

The map is computed outside requests (``flask komoro map-texts``, a timer) from the
texts the features register (``core/text_sources.py``) and stored as one snapshot
row per scope; pages read the row. Services flush, never commit.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from komoro_engage.core import clock
from komoro_engage.core.audit import record_audit
from komoro_engage.core.text_sources import texts_for
from komoro_engage.extensions import db
from komoro_engage.search.models import TextMapLabel, TextMapSnapshot
from komoro_engage.search.text_map import Text, TextMap, map_texts


def snapshot_of(scope: str) -> TextMapSnapshot | None:
    return db.session.scalar(select(TextMapSnapshot).where(TextMapSnapshot.scope == scope))


def labels_of(scope: str) -> dict[str, str]:
    """Staff's names of the scope's clusters, by cluster key."""
    rows = db.session.execute(select(TextMapLabel.cluster_key, TextMapLabel.label)
                              .where(TextMapLabel.scope == scope))
    return {key: label for key, label in rows}


def stored_map(snapshot: TextMapSnapshot | None, labels: dict[str, str]) -> TextMap | None:
    """The snapshot's map with staff's current names, or None before its first run."""
    if snapshot is None or snapshot.payload is None:
        return None
    return TextMap.from_json(snapshot.payload).with_labels(labels)


def compute_map(scope: str, *, seed: int = 0) -> TextMap:
    """Map the scope's texts now, keep keys and names of persisting clusters, store it.

    Names of clusters that vanished are deleted: a cluster that comes back later is
    a new cluster with a new key, to be named again.
    """
    snapshot = snapshot_of(scope) or TextMapSnapshot(scope=scope)
    db.session.add(snapshot)
    previous = stored_map(snapshot, labels_of(scope))
    texts = [Text(t.key, t.text) for t in texts_for(scope)]
    text_map = map_texts(texts, previous=previous, seed=seed)
    snapshot.payload = text_map.to_json()
    snapshot.computed_at = clock.now()
    snapshot.requested_at = None
    keys = [c.key for c in text_map.clusters]
    db.session.execute(delete(TextMapLabel).where(TextMapLabel.scope == scope,
                                                  TextMapLabel.cluster_key.not_in(keys)))
    db.session.flush()
    return text_map


def rename_cluster(staff, scope: str, cluster_key: str, label: str) -> TextMapLabel:
    """Give the cluster staff's name (replacing the one it had); audit-logged."""
    row = db.session.scalar(select(TextMapLabel).where(TextMapLabel.scope == scope,
                                                       TextMapLabel.cluster_key == cluster_key))
    before = {"label": row.label} if row else None
    if row is None:
        row = TextMapLabel(scope=scope, cluster_key=cluster_key, label=label)
        db.session.add(row)
    row.label, row.set_by_id, row.set_at = label, staff.id, clock.now()
    db.session.flush()
    record_audit(staff, "text_map.cluster_renamed", row, before=before,
                 after={"scope": scope, "cluster": cluster_key, "label": label})
    return row


def request_refresh(staff, scope: str) -> TextMapSnapshot:
    """Ask the next ``map-texts`` run to map the scope again; audit-logged."""
    snapshot = snapshot_of(scope)
    if snapshot is None:
        snapshot = TextMapSnapshot(scope=scope)
        db.session.add(snapshot)
    snapshot.requested_at = clock.now()
    db.session.flush()
    record_audit(staff, "text_map.refresh_requested", snapshot, after={"scope": scope})
    return snapshot


def requested_scopes() -> list[str]:
    """Scopes staff asked to refresh, oldest request first."""
    return list(db.session.scalars(select(TextMapSnapshot.scope)
                                   .where(TextMapSnapshot.requested_at.is_not(None))
                                   .order_by(TextMapSnapshot.requested_at)))


def stored_scopes() -> set[str]:
    return set(db.session.scalars(select(TextMapSnapshot.scope)))
