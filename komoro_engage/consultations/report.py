"""The public report of a consultation from its stored opinion map: the map as SVG
(part B's opinion_svg), each group with its representative statements, the consensus
and the turnout. Built by the view, so the page reads two rows more, never computes."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from komoro_engage.consultations import analysis
from komoro_engage.consultations.models import Statement, StatementStatus
from komoro_engage.consultations.opinion_svg import opinion_map_svg
from komoro_engage.extensions import db

REPRESENTATIVE_SHOWN = 5


@dataclass(frozen=True)
class Line:
    """A statement as the report lists it: its words, which way, how likely (percent)."""

    text: str
    agree: bool
    percent: int


@dataclass(frozen=True)
class GroupReport:
    name: str
    size: int
    statements: list[Line]


@dataclass(frozen=True)
class Report:
    svg: Markup
    groups: list[GroupReport]
    consensus: list[Line]
    participants_total: int
    participants_counted: int
    computed_at: datetime


# The drawn map of a snapshot, per language: drawing it (scaling, hulls) is most of the
# page's work and changes only with the snapshot. A few recent ones are kept, under the
# snapshot's text (not its time, which two analyses may share when the clock stands still).
_svgs: OrderedDict[tuple, Markup] = OrderedDict()
SVGS_KEPT = 32


def _kept_svg(key: tuple, draw) -> Markup:
    svg = _svgs.get(key)
    if svg is None:
        svg = _svgs[key] = draw()
        while len(_svgs) > SVGS_KEPT:
            _svgs.popitem(last=False)
    return svg


def group_name(label: int) -> str:
    return _("グループ%(name)s", name=chr(ord("A") + label) if 0 <= label < 26 else label)


def published_texts(ids: set[int]) -> dict[int, str]:
    """The words of those of ``ids`` still published (a snapshot may name hidden ones)."""
    if not ids:
        return {}
    return dict(db.session.execute(select(Statement.id, Statement.text).where(
        Statement.id.in_(sorted(ids)),
        Statement.status == StatementStatus.PUBLISHED)).all())


def consultation_report(consultation_id: int,
                        every_published: dict[int, str] | None = None) -> Report | None:
    """The report, or None before the first analysis (1–2 statements; 1 when
    ``every_published`` holds the texts of all the consultation's published statements)."""
    found = analysis.latest(consultation_id)
    opinion_map = found.opinion_map
    if opinion_map is None:
        return None
    representative = {g.label: g.representative[:REPRESENTATIVE_SHOWN]
                      for g in opinion_map.groups}
    shown = ({r.statement for reps in representative.values() for r in reps}
             | {c.statement for c in opinion_map.consensus})
    texts = (published_texts(shown) if every_published is None
             else {s: every_published[s] for s in shown if s in every_published})

    def line(statement: int, direction: str, probability: float) -> Line | None:
        if statement not in texts:  # hidden since the analysis: not shown again
            return None
        return Line(texts[statement], direction == "agree", round(100 * probability))

    labels = {g.label: group_name(g.label) for g in opinion_map.groups}
    groups = [GroupReport(labels[g.label], len(g.participants), [
        found_line for r in representative[g.label]
        if (found_line := line(r.statement, r.direction, r.probability))])
        for g in opinion_map.groups]
    # Consensus: the share of everyone who saw it (the stored probability is a product
    # over the groups, a ranking score rather than a share to print).
    overall = {stat.statement: stat for stat in opinion_map.overall}

    def share(statement: int, direction: str) -> float:
        stat = overall.get(statement)
        if stat is None or not stat.seen:
            return 0.0
        return (stat.agree if direction == "agree" else stat.disagree) / stat.seen

    consensus = [found_line for c in opinion_map.consensus
                 if (found_line := line(c.statement, c.direction,
                                        share(c.statement, c.direction)))]
    svg = _kept_svg((found.payload_text, get_locale().language),
                    lambda: opinion_map_svg(opinion_map, labels=labels,
                                            title=_("意見グループの分布図")))
    return Report(svg, groups, consensus, opinion_map.participants_total,
                  opinion_map.participants_counted, found.computed_at)
