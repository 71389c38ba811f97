"""The free-text map finds planted themes, names them in their own words, and keeps
staff's names on clusters that persist (and only on those)."""

from collections import Counter

import pytest

from bench.text_map import TOPICS, planted_texts, purity
from komoro_engage.search.japanese_words import content_words
from komoro_engage.search.text_map import Cluster, Text, TextMap, map_texts

FOUR = {name: TOPICS[name] for name in ("除雪", "子育て", "公共交通", "観光")}


def planted(count=72, seed=3, topics=FOUR):
    triples = planted_texts(count, seed, topics)
    return [Text(key, body) for key, _, body in triples], {key: t for key, t, _ in triples}


def topic_words(topic):
    return {word for phrase in FOUR[topic] for word in content_words(phrase)}


def commonest_topic(cluster, topic_of):
    return Counter(topic_of[key] for key in cluster.members).most_common(1)[0][0]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_planted_topics_come_back_as_pure_top_clusters(seed):
    texts, topic_of = planted(seed=seed)
    text_map = map_texts(texts, seed=0)
    assert len(text_map.top()) == 4
    assert purity(text_map, topic_of) >= 0.9
    assert {commonest_topic(c, topic_of) for c in text_map.top()} == set(FOUR)
    assert sum(c.size for c in text_map.top()) == text_map.texts == len(texts)


def test_distinctive_words_are_the_planted_words_and_nearest_texts_are_members():
    texts, topic_of = planted()
    text_map = map_texts(texts)
    for cluster in text_map.top():
        assert set(cluster.words[:3]) <= topic_words(commonest_topic(cluster, topic_of))
        assert len(cluster.nearest) == 3 and set(cluster.nearest) <= set(cluster.members)
        assert cluster.size == len(cluster.members)
    for child in (c for c in text_map.clusters if c.parent):
        assert set(child.members) <= set(next(c for c in text_map.top()
                                              if c.key == child.parent).members)


def test_same_texts_in_any_order_give_the_same_map():
    texts, _ = planted()
    assert map_texts(texts, seed=4) == map_texts(list(reversed(texts)), seed=4)


def test_a_label_survives_a_recomputation_with_a_few_more_texts():
    texts, topic_of = planted(80)
    first = map_texts(texts[:72])
    snow = next(c for c in first.top() if commonest_topic(c, topic_of) == "除雪")
    labelled = first.with_labels({snow.key: "冬の道"})
    second = map_texts(texts, previous=labelled)
    again = next(c for c in second.top() if commonest_topic(c, topic_of) == "除雪")
    assert (again.key, again.label) == (snow.key, "冬の道")
    assert {c.key for c in second.top()} == {c.key for c in first.top()}
    assert [c.label for c in second.top() if c.key != snow.key] == [None] * 3


def test_a_cluster_that_vanishes_loses_its_label_and_its_key_is_not_reused():
    texts, topic_of = planted(72)
    first = map_texts(texts)
    tourism = next(c for c in first.top() if commonest_topic(c, topic_of) == "観光")
    labelled = first.with_labels({tourism.key: "観光の案内"})
    without_tourism = [t for t in texts if topic_of[t.key] != "観光"]
    new_texts, new_topics = planted(24, seed=9, topics={"防災": TOPICS["防災"]})
    renamed = [Text(f"comment:{t.key}", t.text) for t in new_texts]
    second = map_texts(without_tourism + renamed, previous=labelled)
    assert tourism.key not in {c.key for c in second.clusters}
    assert "観光の案内" not in {c.label for c in second.clusters}
    first_numbers = {c.key for c in first.clusters}
    fresh = [c.key for c in second.top() if c.key not in first_numbers]
    assert fresh and second.serial > first.serial


@pytest.mark.parametrize("texts", [
    [], [Text("proposal:1", "除雪をお願いします")],
    [Text("proposal:1", "除雪"), Text("proposal:2", "バス")],
    [Text(f"proposal:{n}", "。。！！") for n in range(8)],
    [Text(f"proposal:{n}", "同じ除雪の話です") for n in range(10)],
    [Text(f"proposal:{n}", "") for n in range(10)],
    [Text(f"proposal:{n}", "あ" * 30000 + "除雪") for n in range(3)],
])
def test_few_empty_or_degenerate_texts_never_raise(texts):
    text_map = map_texts(texts)
    assert text_map.texts == len(texts)
    assert all(isinstance(c, Cluster) for c in text_map.clusters)
    assert TextMap.from_json(text_map.to_json()) == text_map


def test_json_round_trip_keeps_everything():
    texts, _ = planted()
    text_map = map_texts(texts)
    labelled = text_map.with_labels({text_map.top()[0].key: "冬"})
    import json
    assert TextMap.from_json(json.loads(json.dumps(labelled.to_json()))) == labelled


def test_content_words_are_normalised_and_stop_words_dropped():
    assert content_words("雪道が歩けないので除雪してほしいと思います") == ["雪道", "歩く", "除雪"]
    assert content_words("") == [] and content_words("123 !!") == []
