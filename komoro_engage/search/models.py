"""The search index (one row per distinct bigram of an indexed item) and the text maps."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from komoro_engage.core import clock
from komoro_engage.extensions import db

LABEL_MAX = 40  # a cluster's name is a heading, not a sentence

# Byte-order ("C") collation on PostgreSQL makes ``gram BETWEEN 'x' AND 'x\u…'`` a
# prefix range, as it is under SQLite's default BINARY collation, whatever the
# database's own locale is. Single-character queries rely on it.
GRAM_TYPE = String(4).with_variant(String(4, collation="C"), "postgresql")


class SearchGram(db.Model):
    """``gram`` occurs in item ``item_id`` of ``kind`` (``"proposal"``, ``"project"`` …).

    The primary key (kind, gram, item_id) is the lookup index: a query reads
    the few index entries of each of its grams and never touches item text.
    """

    __tablename__ = "search_gram"
    __table_args__ = (
        Index("ix_search_gram_kind_item_id", "kind", "item_id"),
        # SQLite stores the rows in the primary key's B-tree itself: half the size,
        # and inserts write one tree instead of two.
        {"sqlite_with_rowid": False},
    )

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    gram: Mapped[str] = mapped_column(GRAM_TYPE, primary_key=True)
    item_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)


class TextMapSnapshot(db.Model):
    """The latest free-text map of a scope ("measure:3", "year:2026", "consultation:5",
    "survey:4").

    Computed outside requests by ``flask komoro map-texts`` (``text_map_store.py``),
    so the public page only reads it. ``requested_at``: staff asked for a fresh
    map; the next run computes it and clears the request.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(40), unique=True)
    payload: Mapped[dict | None] = mapped_column(JSON)  # TextMap.to_json(); None until computed
    computed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TextMapLabel(db.Model):
    """Staff's name for a cluster of a scope's map; it follows the cluster's key, which a
    recomputation keeps while the cluster persists, and goes when the cluster does."""

    __table_args__ = (UniqueConstraint("scope", "cluster_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(40))
    cluster_key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(LABEL_MAX))
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
