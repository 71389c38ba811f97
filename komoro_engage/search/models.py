"""The search index: one row per distinct bigram of an indexed item."""

from __future__ import annotations

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from komoro_engage.extensions import db

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
    __table_args__ = (Index("ix_search_gram_kind_item_id", "kind", "item_id"),)

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    gram: Mapped[str] = mapped_column(GRAM_TYPE, primary_key=True)
    item_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
