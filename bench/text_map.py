"""Time the free-text map: ``--texts`` planted texts clustered at two levels, then again.

Not part of the test suite (``make bench-text-map``, or ``make bench
BENCH_ARGS="--scenario text-map"``; the budget is 1,000 texts in
under 60 s on a 2-core machine). No database and no HTTP: the map is computed by
the ``map-texts`` command outside requests, so its cost is the function's::

    .venv/bin/python -m bench.text_map --texts 1000 --json bench/results/text_map.json

The texts are generated from planted topics (the same generator the tests use),
with words shared by every topic, so the run also reports how pure the top
clusters came out. The second run passes the first map as ``previous`` (a
recomputation after a few new texts, as the timer does) and reports the keys kept.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter
from pathlib import Path

# Planted topics: their own words, and filler that every topic shares.
TOPICS = {
    "除雪": ["除雪", "積雪", "凍結", "除雪車", "雪道", "融雪剤", "吹雪"],
    "子育て": ["子育て", "保育園", "児童館", "授乳室", "乳幼児", "保育士", "託児"],
    "公共交通": ["バス", "路線", "時刻表", "乗り換え", "運転手", "停留所", "運賃"],
    "観光": ["観光客", "懐古園", "宿泊", "ワイン", "土産", "観光案内", "温泉"],
    "防災": ["避難所", "防災訓練", "備蓄", "ハザードマップ", "消防団", "災害", "避難経路"],
    "農業": ["農家", "野菜", "農地", "果樹", "収穫", "直売所", "後継者"],
}
# Sentences around the topic's words: particles and stop words only, so a frame is no theme.
FRAMES = ["{a}と{b}と{c}のことです。", "{a}の{b}、それから{c}をお願いします。",
          "{a}や{b}、{c}について思うこと。", "{a}、{b}、{c}のことをお願いします。"]
# Words any resident may write about anything, two of them in each text.
FILLER = ["地域", "生活", "家族", "近所", "毎日", "将来", "市民", "市役所", "若者", "高齢者",
          "安心", "情報", "費用", "意見交換", "協力", "予算"]
FILLER_FRAMES = ["{f}や{g}のことも大切です。", "{f}と{g}の面からもよろしくお願いします。",
                 "{f}と{g}のことも考えています。"]


def planted_texts(count: int, seed: int = 0, topics: dict[str, list[str]] | None = None):
    """``count`` (key, topic, text) triples, topics in turn, words and filler drawn at random."""
    topics = topics or TOPICS
    rng = random.Random(seed)
    names = list(topics)
    result = []
    for n in range(count):
        topic = names[n % len(names)]
        a, b, c = rng.sample(topics[topic], 3)
        body = rng.choice(FRAMES).format(a=a, b=b, c=c)
        f, g = rng.sample(FILLER, 2)
        filler = rng.choice(FILLER_FRAMES).format(f=f, g=g)
        result.append((f"proposal:{n + 1}", topic, body + filler))
    return result


def purity(text_map, topic_of: dict[str, str]) -> float:
    """Share of clustered texts whose top cluster's commonest topic is their own."""
    agreeing = total = 0
    for cluster in text_map.top():
        counts = Counter(topic_of[key] for key in cluster.members)
        agreeing += counts.most_common(1)[0][1]
        total += cluster.size
    return agreeing / total if total else 0.0


def run(count: int, seed: int) -> dict:
    from komoro_engage.search.japanese_words import content_words
    from komoro_engage.search.text_map import Text, map_texts

    started = time.perf_counter()
    content_words("辞書の読み込み")
    load_seconds = time.perf_counter() - started
    triples = planted_texts(count + 20, seed)
    topic_of = {key: topic for key, topic, _ in triples}
    texts = [Text(key, body) for key, _, body in triples]
    started = time.perf_counter()
    first = map_texts(texts[:count], seed=seed)
    first_seconds = time.perf_counter() - started
    started = time.perf_counter()
    second = map_texts(texts, previous=first, seed=seed)
    second_seconds = time.perf_counter() - started
    kept = {c.key for c in first.top()} & {c.key for c in second.top()}
    return {"texts": count, "dictionary_load_s": round(load_seconds, 2),
            "first_map_s": round(first_seconds, 2),
            "recomputation_with_20_more_s": round(second_seconds, 2),
            "top_clusters": len(first.top()),
            "sub_clusters": len(first.clusters) - len(first.top()),
            "purity": round(purity(first, topic_of), 3),
            "top_keys_kept": f"{len(kept)} of {len(first.top())}",
            "budget_s": 60, "within_budget": first_seconds < 60 and second_seconds < 60}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    report = run(args.texts, args.seed)
    print(json.dumps(report, ensure_ascii=False, indent=2), flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    return 0 if report["within_budget"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
