"""Read and check a plan data file; every problem names the file, entry and field."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

from pydantic import ValidationError

from komoro_engage.plan.schema import MEASURE_CODE, PlanFile


class PlanDataError(ValueError):
    """The plan data file cannot be loaded; nothing was written."""

    def __init__(self, path: str | Path, entry: str, field: str | None, problem: str):
        self.path, self.entry, self.field, self.problem = str(path), entry, field, problem
        where = f"{entry}, field '{field}'" if field else entry
        super().__init__(f"{self.path}: {where}: {problem}")


def read_plan_file(path: str | Path) -> PlanFile:
    """Parse and check ``path``; raise :class:`PlanDataError` at the first problem."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise PlanDataError(path, "file", None, f"cannot be read ({error.strerror})") from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise PlanDataError(path, "file", None, f"is not valid TOML: {error}") from error
    try:
        plan = PlanFile.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        entry, field = _describe_location(raw, first["loc"])
        raise PlanDataError(path, entry, field, first["msg"]) from error
    _check_references(path, plan)
    return plan


def _describe_location(raw: dict, loc: tuple) -> tuple[str, str | None]:
    """Turn pydantic's ``('measures', 3, 'code')`` into ``("measures[3] (code 1-2)", "code")``."""
    parts: list[str] = []
    node: object = raw
    for index, step in enumerate(loc[:-1]):
        if isinstance(step, int):
            parts[-1] += f"[{step}]"
            node = node[step] if isinstance(node, list) and step < len(node) else None
            label = _entry_label(node)
            if label and index == len(loc) - 2:
                parts[-1] += f" ({label})"
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
    field = str(loc[-1]) if loc else None
    return (".".join(parts) or "top level"), field


def _entry_label(node: object) -> str | None:
    if not isinstance(node, dict):
        return None
    for key in ("code", "key", "number", "name"):
        if key in node:
            return f"{key} {node[key]}"
    return None


def _duplicates(values) -> list:
    return [value for value, count in Counter(values).items() if count > 1]


def _check_references(path: Path, plan: PlanFile) -> None:
    """Checks across entries that a per-field schema cannot express."""

    def fail(entry: str, field: str, problem: str):
        raise PlanDataError(path, entry, field, problem)

    editions = {edition.code for edition in plan.editions}
    areas = {area.number for area in plan.policy_areas}
    for name, values in (
        ("editions", [e.code for e in plan.editions]),
        ("policy_areas", [a.number for a in plan.policy_areas]),
        ("measures", [(m.edition, m.code) for m in plan.measures]),
        ("priority_items", [(p.edition, p.number) for p in plan.priority_items]),
        ("districts", [d.name for d in plan.districts]),
        ("landmarks", [landmark.key for landmark in plan.landmarks]),
        ("rating_levels", [r.code for r in plan.rating_levels]),
        ("departments", [d.name for d in plan.departments]),
    ):
        if dup := _duplicates(values):
            keys = {"districts": "name", "departments": "name", "landmarks": "key"}
            fail(name, keys.get(name, "code"), f"duplicate entry {dup[0]}")
    if sum(edition.current for edition in plan.editions) != 1:
        fail("editions", "current", "exactly one edition must be marked current = true")
    for i, edition in enumerate(plan.editions):
        if edition.end_fy < edition.start_fy:
            fail(f"editions[{i}] (code {edition.code})", "end_fy", "ends before it starts")

    codes_by_edition: dict[str, set[str]] = {}
    for i, measure in enumerate(plan.measures):
        entry = f"measures[{i}] (code {measure.code})"
        if measure.edition not in editions:
            fail(entry, "edition", f"unknown edition '{measure.edition}'")
        if int(MEASURE_CODE.match(measure.code)["area"]) not in areas:
            fail(entry, "code", "its policy area number is not in policy_areas")
        if dup := _duplicates([indicator.key for indicator in measure.indicators]):
            fail(entry, "indicators", f"duplicate indicator key {dup[0]}")
        codes_by_edition.setdefault(measure.edition, set()).add(measure.code)

    for i, item in enumerate(plan.priority_items):
        entry = f"priority_items[{i}] (number {item.number})"
        if item.edition not in editions:
            fail(entry, "edition", f"unknown edition '{item.edition}'")
        if item.measures != "all":
            known = codes_by_edition.get(item.edition, set())
            for code in item.measures:
                if code not in known:
                    fail(entry, "measures", f"cites measure {code}, which {item.edition} lacks")

    for i, district in enumerate(plan.districts):
        if dup := _duplicates(district.kus):
            fail(f"districts[{i}] (name {district.name})", "kus", f"duplicate 区 {dup[0]}")
    kus_by_district = {district.name: set(district.kus) for district in plan.districts}
    for i, landmark in enumerate(plan.landmarks):
        entry = f"landmarks[{i}] (key {landmark.key})"
        if landmark.district not in kus_by_district:
            fail(entry, "district", f"unknown district '{landmark.district}'")
        if landmark.ku and landmark.ku not in kus_by_district[landmark.district]:
            fail(entry, "ku", f"'{landmark.ku}' is not a 区 of {landmark.district}")
