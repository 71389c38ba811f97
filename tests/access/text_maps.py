"""Access entries of the free-text map (市民の声の地図): public pages, staff's name and refresh.

``build`` stores a small map for measure 1-1 with one cluster ``c1``.
"""

from sqlalchemy import select

from komoro_engage.extensions import db
from komoro_engage.plan.models import Measure
from komoro_engage.search.models import TextMapSnapshot
from tests.access import Access, World, everyone, staff_only


def build(world: World) -> None:
    measure = db.session.scalars(select(Measure).where(Measure.code == "1-1")).first()
    db.session.add(TextMapSnapshot(scope=f"measure:{measure.id}", payload={
        "texts": 6, "serial": 1, "clusters": [{
            "key": "c1", "parent": None, "size": 6, "words": ["除雪"], "nearest": [],
            "members": [f"proposal:{n}" for n in range(1, 7)], "label": None}]}))
    db.session.flush()
    world.extra["text_map_measure"] = measure.id


def _map(world):
    return {"ident": world.extra["text_map_measure"]}


def _cluster(world):
    return {"kind": "measure", "ident": world.extra["text_map_measure"], "cluster_key": "c1"}


def _scope(world):
    return {"kind": "measure", "ident": world.extra["text_map_measure"]}


ENTRIES = [
    Access("search.measure_map", "GET", everyone(200), args=_map),
    Access("search.year_map", "GET", everyone(200), args={"ident": 2026}),
    # A public consultation's map (consultations/text_sources.py names it); others 404.
    Access("search.consultation_map", "GET", everyone(200),
           args=lambda world: {"ident": world.extra["consultation"]}),
    # A closed survey's map (surveys/text_sources.py names it); a draft's or an open one's 404.
    Access("search.survey_map", "GET", everyone(200),
           args=lambda world: {"ident": world.extra["closed"]}),
    Access("search.rename", "GET", staff_only(200), args=_cluster),
    Access("search.rename", "POST", staff_only(302), args=_cluster, data={"label": "冬の道"}),
    Access("search.refresh", "POST", staff_only(302), args=_scope),
]
