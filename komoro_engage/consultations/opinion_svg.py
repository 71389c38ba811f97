"""The opinion map drawn on the server as inline SVG: no script, no style attribute.

Participants are dots; each group has its own colour *and* its own dot shape and
hatching, so the groups stay apart in greyscale print and for colour-blind readers.
Each group is outlined by the convex hull of its dots (scipy.spatial). The drawing
is a ``role="img"`` with ``<title>`` and ``<desc>``; the page puts a data table
beside it for screen readers. Presentation attributes only (fill, stroke…), which
the strict CSP allows; the viewBox lets it shrink to a 360 px phone.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from markupsafe import Markup, escape

from komoro_engage.consultations.opinion_groups import NO_GROUP, OpinionMap

SIZE, MARGIN, LEGEND_ROW = 360, 24, 24
# Okabe–Ito hues darkened to at least 5:1 against white (WCAG 1.4.11 asks 3:1).
COLOURS = ("#0072B2", "#B84F00", "#00795A", "#A2457F", "#8A6300")
NO_GROUP_COLOUR = "#6E6E6E"
# One dot shape per group, centred on (0, 0), about 7 units across.
SHAPES = (
    '<circle r="3.5"/>',
    '<rect x="-3" y="-3" width="6" height="6"/>',
    '<path d="M0-4L3.8 2.8H-3.8Z"/>',
    '<path d="M0-4.2L4.2 0 0 4.2-4.2 0Z"/>',
    '<path d="M-1.3-4H1.3V-1.3H4V1.3H1.3V4H-1.3V1.3H-4V-1.3H-1.3Z"/>',
)
# Hatching of each group's area: angle of the lines and the outline's dashes.
HATCHES = ((45, ""), (-45, "6 3"), (0, "2 3"), (90, "8 3 2 3"), (30, "1 4"))


def _style(label: int) -> tuple[str, str, tuple[int, str]]:
    if label == NO_GROUP:
        return NO_GROUP_COLOUR, SHAPES[0], (0, "")
    return (COLOURS[label % len(COLOURS)], SHAPES[label % len(SHAPES)],
            HATCHES[label % len(HATCHES)])


def _scaled(opinion_map: OpinionMap) -> np.ndarray:
    """The points' coordinates in the drawing: equal scale on both axes, y upwards."""
    xy = np.array([(p.x, p.y) for p in opinion_map.points], dtype=float).reshape(-1, 2)
    if not len(xy):
        return xy
    low, high = xy.min(axis=0), xy.max(axis=0)
    span = max(float(np.max(high - low)), 1e-9)
    scale = (SIZE - 2 * MARGIN) / span
    centre = (low + high) / 2
    drawn = (xy - centre) * scale + SIZE / 2
    drawn[:, 1] = SIZE - drawn[:, 1]
    return np.round(drawn, 1)


def _hull(points: np.ndarray) -> np.ndarray:
    """The outline around a group's dots, a little outside them."""
    # Imported here, not at the top: scipy.spatial would slow every worker's start.
    from scipy.spatial import ConvexHull, QhullError
    try:
        outline = points[ConvexHull(points).vertices]
    except (QhullError, ValueError):  # fewer than three dots, or all on a line: their box
        (x0, y0), (x1, y1) = points.min(axis=0) - 1, points.max(axis=0) + 1
        outline = np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
    centre = outline.mean(axis=0)
    away = outline - centre
    lengths = np.maximum(np.linalg.norm(away, axis=1, keepdims=True), 1e-9)
    return np.round(outline + away / lengths * 8, 1)


def _number(value: float) -> str:
    return f"{value:g}"


def opinion_map_svg(opinion_map: OpinionMap, *, labels: Mapping[int, str], title: str,
                    description: str | None = None, id_prefix: str = "opinion-map") -> Markup:
    """The map as ``<svg>`` markup. ``labels`` names each group (by ``Group.label``);
    ``description`` defaults to each group's name and size. ``id_prefix`` keeps the ids
    apart when a page shows two maps."""
    prefix = escape(id_prefix)
    drawn = _scaled(opinion_map)
    groups = [g.label for g in opinion_map.groups] or ([NO_GROUP] if len(drawn) else [])
    sizes = {g.label: len(g.participants) for g in opinion_map.groups}
    if description is None:
        description = " / ".join(f"{labels.get(g, str(g))}: {sizes[g]}" for g in sizes)
    height = SIZE + LEGEND_ROW * ((len(groups) + 1) // 2 if opinion_map.groups else 0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {height}" '
        f'class="opinion-map" role="img" aria-labelledby="{prefix}-title {prefix}-desc">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(description)}</desc>',
        "<defs>",
    ]
    for label in groups:
        colour, shape, (angle, _dashes) = _style(label)
        parts.append(f'<g id="{prefix}-dot{label}" fill="{colour}">{shape}</g>')
        parts.append(f'<pattern id="{prefix}-hatch{label}" width="6" height="6" '
                     f'patternUnits="userSpaceOnUse" patternTransform="rotate({angle})">'
                     f'<line x1="0" y1="0" x2="0" y2="6" stroke="{colour}" '
                     'stroke-width="1.5" stroke-opacity="0.35"/></pattern>')
    parts.append("</defs>")
    point_groups = np.array([p.group for p in opinion_map.points], dtype=int)
    for label in groups:
        colour, _shape, (_angle, dashes) = _style(label)
        mine = drawn[point_groups == label]
        name = escape(labels.get(label, str(label))) if label != NO_GROUP else ""
        parts.append(f'<g class="opinion-group" data-group="{label}">')
        if label != NO_GROUP and len(mine):
            outline = _hull(mine)
            path = " ".join(f"{_number(x)},{_number(y)}" for x, y in outline)
            dash = f' stroke-dasharray="{dashes}"' if dashes else ""
            parts.append(f'<polygon class="opinion-outline" points="{path}" '
                         f'fill="url(#{prefix}-hatch{label})" stroke="{colour}" '
                         f'stroke-width="2"{dash}/>')
        parts += [f'<use href="#{prefix}-dot{label}" x="{_number(x)}" y="{_number(y)}"/>'
                  for x, y in mine]
        if name and len(mine):
            top = mine[np.argmin(mine[:, 1])]
            parts.append(_text(float(top[0]), max(14.0, float(top[1]) - 12), name, colour))
        parts.append("</g>")
    if opinion_map.groups:
        parts += _legend(groups, labels, prefix)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - numbers, constants and escaped text only


def _text(x: float, y: float, text: str, colour: str, anchor: str = "middle") -> str:
    x = min(max(x, 40.0), SIZE - 40.0) if anchor == "middle" else x
    return (f'<text x="{_number(x)}" y="{_number(y)}" text-anchor="{anchor}" '
            f'font-size="14" fill="{colour}" stroke="#fff" stroke-width="3" '
            f'paint-order="stroke">{text}</text>')


def _legend(groups: list[int], labels: Mapping[int, str], prefix) -> list[str]:
    """Shape, hatching and name of each group under the map, two to a row."""
    parts = ['<g class="opinion-legend">']
    for i, label in enumerate(groups):
        colour = _style(label)[0]
        x, y = 12 + (i % 2) * SIZE / 2, SIZE + LEGEND_ROW * (i // 2) + 4
        parts.append(f'<rect x="{_number(x)}" y="{_number(y)}" width="16" height="16" '
                     f'fill="url(#{prefix}-hatch{label})" stroke="{colour}"/>')
        parts.append(f'<use href="#{prefix}-dot{label}" x="{_number(x + 8)}" '
                     f'y="{_number(y + 8)}"/>')
        parts.append(_text(x + 24, y + 13, escape(labels.get(label, str(label))), colour,
                           anchor="start"))
    return [*parts, "</g>"]
