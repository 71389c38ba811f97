"""Measure the bigram search index: rows per item, bulk load time, query plans.

Not part of the test suite. Run::

    .venv/bin/python -m bench.search_index                # SQLite and PostgreSQL, 100,000 items
    .venv/bin/python -m bench.search_index --items 10000 --skip-postgres

PostgreSQL: a scratch database is created next to the one in ``--pg-url`` and
dropped afterwards. Prints a report; ``--json PATH`` also writes the numbers.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from komoro_engage import create_app
from komoro_engage.extensions import db
from komoro_engage.search.models import SearchGram
from komoro_engage.search.services import bulk_index, grams_of, matching_ids

KIND = "proposal"
_VOCABULARY = (
    "公園 除雪 空家 子育て 通学路 高齢者 見守り 防災 避難所 図書館 駅前 商店街 観光 浅間山 懐古園 "
    "小諸城 温泉 りんご ワイン 農業 担い手 移住 定住 空き店舗 交流 イベント 花火 祭り 清掃 ごみ "
    "分別 資源 太陽光 森林 間伐 里山 景観 歩道 街灯 バス 路線 デマンド交通 駐車場 自転車 子ども "
    "遊び場 保育園 学童 中学校 部活動 地域 ボランティア 健康 体操 介護 認知症 相談 窓口 行政 "
    "デジタル 手続き オンライン 情報 発信 ホームページ 広報 市民 協働 提案 参加 区 自治会 "
    "ワークショップ 講座 文化 芸術 音楽 スポーツ 公民館 体育館 プール 雪かき 凍結 道路 補修 "
    "水道 下水 川 水害 土砂 災害 訓練 消防団 防犯 カメラ 鳥獣 被害 シカ サル 野菜 直売所 給食"
)
WORDS = _VOCABULARY.split()
GLUE = ("の", "を", "に", "で", "と", "が", "は", "から", "まで", "や", "について", "のための")
ENDINGS = ("してほしいです。", "を提案します。", "が必要だと思います。", "を増やしてください。",
           "を一緒に考えたいです。", "ができるとうれしい。", "、", "。")


def plan_phrases() -> list[str]:
    """Real Japanese phrases from the shipped city plan, for a realistic mix of bigrams."""
    import tomllib

    from config import Config

    with open(Config.PLAN_DATA_FILE, "rb") as handle:
        data = tomllib.load(handle)
    strings: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str) and re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", value):
            strings.append(value)
        elif isinstance(value, dict):
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(data)
    return [p for s in strings for p in re.split(r"(?<=[、。])", s) if len(p) >= 4]


def make_text(rng: random.Random, phrases: list[str], length: int = 150) -> str:
    """About ``length`` characters: plan phrases mixed with resident-style sentences."""
    parts: list[str] = []
    size = 0
    while size < length:
        if rng.random() < 0.5:
            piece = rng.choice(phrases)
        else:
            piece = (rng.choice(WORDS) + rng.choice(GLUE) + rng.choice(WORDS)
                     + rng.choice(ENDINGS))
        parts.append(piece)
        size += len(piece)
    return "".join(parts)[:length]


def run(url: str, items: int, seed: int) -> dict:
    app = create_app("testing", DATABASE_URL=url, SQLALCHEMY_ECHO=False)
    results: dict = {"database": make_url(url).get_backend_name(), "items": items}
    with app.app_context():
        db.create_all()
        rng = random.Random(seed)
        phrases = plan_phrases()
        texts = [(n, make_text(rng, phrases)) for n in range(1, items + 1)]
        results["avg_chars"] = statistics.fmean(len(t) for _, t in texts)
        results["avg_grams_per_item"] = statistics.fmean(len(grams_of(t)) for _, t in texts[:2000])

        started, cpu_started = time.perf_counter(), time.process_time()
        bulk_index(KIND, texts)
        db.session.commit()
        results["bulk_index_seconds"] = round(time.perf_counter() - started, 1)
        # This process's CPU time: SQLite's whole work, or the client's share with
        # PostgreSQL. Steadier than wall time on a shared machine.
        results["bulk_index_client_cpu_seconds"] = round(time.process_time() - cpu_started, 1)

        rows = db.session.scalar(select(db.func.count()).select_from(SearchGram))
        results["index_rows"] = rows
        results["rows_per_item"] = round(rows / items, 1)
        if results["database"] == "postgresql":
            # What autovacuum would do soon after a load: statistics and the visibility
            # map (index-only scans then skip the table).
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE search_gram"))
            results["index_bytes"] = db.session.scalar(
                text("SELECT pg_total_relation_size('search_gram')"))
        else:
            db.session.execute(text("ANALYZE"))
            results["database_bytes"] = db.session.scalar(text(
                "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"))
        _items_table(items)
        db.session.commit()

        results["queries"] = {}
        for query in ("公園", "除雪", "子育て", "公園 除雪", "駅", "懐古園 花火", "zz"):
            statement = matching_ids(KIND, query)
            timings = []
            for _ in range(5):
                started = time.perf_counter()
                count = len(db.session.scalars(statement).all())
                timings.append(time.perf_counter() - started)
            results["queries"][query] = {"matches": count,
                                         "best_ms": round(min(timings) * 1000, 1)}
        results["plans"] = _plans()
        db.session.rollback()
    return results


def _items_table(items: int) -> None:
    """A stand-in for the proposal table, to show the plan of a real list query."""
    db.session.execute(text("DROP TABLE IF EXISTS bench_item"))
    db.session.execute(text("CREATE TABLE bench_item (id INTEGER PRIMARY KEY, status TEXT)"))
    db.session.execute(text(
        "INSERT INTO bench_item (id, status) SELECT DISTINCT item_id, 'published' "
        "FROM search_gram"))
    db.session.execute(text("ANALYZE bench_item"))


def _sql(statement) -> str:
    return str(statement.compile(db.engine, compile_kwargs={"literal_binds": True}))


def _plans() -> dict:
    postgres = db.engine.dialect.name == "postgresql"
    explain = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF)" if postgres else "EXPLAIN QUERY PLAN"
    matching = _sql(matching_ids(KIND, "公園"))
    statements = {
        "two_char_query": matching,
        "two_words": _sql(matching_ids(KIND, "公園 除雪")),
        "single_char": _sql(matching_ids(KIND, "駅")),
        # Our own statement with literal binds, only for EXPLAIN.
        "list_page": f"SELECT id FROM bench_item WHERE id IN ({matching}) "  # noqa: S608
                     "ORDER BY id DESC LIMIT 20",
    }
    plans = {}
    for name, sql in statements.items():
        rows = db.session.execute(text(f"{explain} {sql}")).all()
        plans[name] = {"sql": sql, "plan": [" | ".join(str(c) for c in row) for row in rows]}
    return plans


def _scratch_postgres(base_url: str):
    url = make_url(base_url)
    name = f"komoro_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    return admin, name, url.set(database=name).render_as_string(hide_password=False)


def main_for(run, description: str, default_items: int) -> None:
    """Run ``run(url, items, seed)`` on SQLite and on a scratch PostgreSQL; print, save."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--items", type=int, default=default_items)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    report = []
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            report.append(run(f"sqlite:///{folder}/bench.db", args.items, args.seed))
            print(json.dumps(report[-1], ensure_ascii=False, indent=2), flush=True)
    if not args.skip_postgres:
        admin, name, url = _scratch_postgres(args.pg_url)
        try:
            report.append(run(url, args.items, args.seed))
            print(json.dumps(report[-1], ensure_ascii=False, indent=2), flush=True)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2))


def main() -> None:
    main_for(run, __doc__.splitlines()[0], 100_000)


if __name__ == "__main__":
    main()
