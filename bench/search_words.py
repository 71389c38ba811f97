"""Measure the adjacency check: false candidates it removes, what it costs, the index size.

Not part of the test suite. Builds ``--items`` synthetic proposals (the texts of
``bench/search_index.py``) in a stand-in table, indexes them, then for each query
counts the bigram candidates and the verified matches, and times the proposal
list's two statements (capped count, first page) without and with the check::

    .venv/bin/python -m bench.search_words --items 20000 --skip-postgres
    .venv/bin/python -m bench.search_words --items 20000 --skip-sqlite \\
        --pg-url postgresql+psycopg://postgres@127.0.0.1:5432/komoro_search

PostgreSQL: the tables live in a scratch database next to ``--pg-url``, dropped after.
"""

from __future__ import annotations

import random
import time

from sqlalchemy import Column, Integer, MetaData, Table, Text, func, insert, select, text

from bench.search_index import main_for, make_text, plan_phrases
from komoro_engage import create_app
from komoro_engage.extensions import db
from komoro_engage.search.models import SearchGram
from komoro_engage.search.services import bulk_index, matching_ids
from komoro_engage.search.words import matches

KIND = "bench_words"
QUERIES = ("農業体験", "子育て支援", "公園の除雪", "地域の交流", "担い手", "観光 ワイン", "公園")
item = Table("bench_words_item", MetaData(), Column("id", Integer, primary_key=True),
             Column("title", Text), Column("body", Text))


def _best_ms(statement, repeat: int = 5) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        db.session.execute(statement).all()
        timings.append(time.perf_counter() - started)
    return round(min(timings) * 1000, 1)


def _list_statements(where):
    """The list's two statements: the count up to 1,001 and the newest page of 20."""
    matched = select(item.c.id).where(where)
    return (select(func.count()).select_from(matched.limit(1001).subquery()),
            matched.order_by(item.c.id.desc()).limit(20))


def run(url: str, items: int, seed: int) -> dict:
    app = create_app("testing", DATABASE_URL=url, SQLALCHEMY_ECHO=False)
    with app.app_context():
        report: dict = {"database": db.engine.dialect.name, "items": items}
        db.create_all()
        item.create(db.engine, checkfirst=True)
        rng = random.Random(seed)
        phrases = plan_phrases()
        rows = [{"id": n, "title": make_text(rng, phrases, 20), "body": make_text(rng, phrases)}
                for n in range(1, items + 1)]
        db.session.execute(insert(item), rows)
        bulk_index(KIND, ((r["id"], f"{r['title']}\n{r['body']}") for r in rows))
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        report["index_rows"] = db.session.scalar(select(func.count()).select_from(SearchGram))
        if db.engine.dialect.name == "postgresql":
            report["index_bytes"] = db.session.scalar(
                text("SELECT pg_total_relation_size('search_gram')"))
        report["queries"] = {}
        for query in QUERIES:
            plain = item.c.id.in_(matching_ids(KIND, query))
            checked = matches(KIND, query, item.c.id, item.c.title, item.c.body)
            count_plain, page_plain = _list_statements(plain)
            count_checked, page_checked = _list_statements(checked)
            report["queries"][query] = {
                "candidates": len(db.session.scalars(select(item.c.id).where(plain)).all()),
                "matches": len(db.session.scalars(select(item.c.id).where(checked)).all()),
                "count_ms": [_best_ms(count_plain), _best_ms(count_checked)],
                "page_ms": [_best_ms(page_plain), _best_ms(page_checked)],
            }
        db.session.rollback()
    return report


def main() -> None:
    main_for(run, __doc__.splitlines()[0], 20_000)


if __name__ == "__main__":
    main()
