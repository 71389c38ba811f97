"""The shape of a plan data file, checked before anything touches the database."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

MEASURE_CODE = re.compile(r"^(?P<area>[1-9])-(?P<number>[1-9][0-9]?)$")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
FiscalYear = Annotated[int, Field(ge=1926, le=2200)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class VisionTargetEntry(Strict):
    key: Text
    label: Text
    label_en: str | None = None
    value: Decimal
    unit: Text
    unit_en: str | None = None
    target_fy: FiscalYear


class VisionEntry(Strict):
    code: Text
    name: Text
    name_en: str | None = None
    statement: Text
    statement_en: str | None = None
    start_fy: FiscalYear
    end_fy: FiscalYear
    targets: list[VisionTargetEntry] = []


class EditionEntry(Strict):
    code: Text
    name: Text
    name_en: str | None = None
    start_fy: FiscalYear
    end_fy: FiscalYear
    end_fy_inferred: bool = False
    current: bool = False
    note: str = ""


class PolicyAreaEntry(Strict):
    number: Annotated[int, Field(ge=1, le=9)]
    name: Text
    name_en: str | None = None
    slogan: str = ""
    slogan_en: str | None = None


class ActualEntry(Strict):
    fiscal_year: FiscalYear
    value: Decimal
    note: str = ""


class IndicatorEntry(Strict):
    key: Text
    name: Text
    name_en: str | None = None
    unit: Text
    baseline_fy: FiscalYear | None = None
    baseline_value: Decimal | None = None
    target_fy: FiscalYear | None = None
    target_value: Decimal | None = None
    direction: Literal["higher", "lower"]
    source: str = ""
    actuals: list[ActualEntry] = []


class MeasureEntry(Strict):
    edition: Text
    code: Annotated[str, StringConstraints(pattern=MEASURE_CODE.pattern)]
    title: Text
    title_en: str | None = None
    provisional: bool = False
    description: str = ""
    description_en: str | None = None
    lead_department: str = ""
    indicators: list[IndicatorEntry] = []


class PriorityItemEntry(Strict):
    edition: Text
    number: Annotated[int, Field(ge=1, le=99)]
    title: Text
    title_en: str | None = None
    description: str = ""
    description_en: str | None = None
    # A list of measure codes, or "all" for 全施策.
    measures: Literal["all"] | list[Annotated[str, StringConstraints(pattern=MEASURE_CODE.pattern)]]


Latitude = Annotated[float, Field(ge=35.9, le=36.8)]  # Komoro and its neighbours, no further
Longitude = Annotated[float, Field(ge=138.0, le=138.9)]


class DistrictEntry(Strict):
    name: Text
    name_en: str | None = None
    # In hiragana, for ふりがな (core/furigana.py); only when a source gives it.
    reading: Annotated[str, StringConstraints(pattern=r"^[ぁ-ゖー()（）]+$")] | None = None
    ku_list_confirmed: bool = True
    kus: list[Text]
    # An approximate centre: a tapped point gets the district whose centre is nearest.
    latitude: Latitude | None = None
    longitude: Longitude | None = None


class LandmarkEntry(Strict):
    """A public place (station, 公民館, park, city hall) a resident may name instead of a point."""

    key: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{2,40}$")]
    name: Text
    name_en: str | None = None
    district: Text
    ku: str | None = None
    latitude: Latitude
    longitude: Longitude
    source: Text  # where the coordinates come from, for whoever corrects them


class DepartmentEntry(Strict):
    """A 課 of the city (plan/departments.py); admins may rename or deactivate it later."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    name_kana: Annotated[str, StringConstraints(pattern=r"^[ぁ-ゖー]+$")] | None = None
    name_en: str | None = None


class RatingLevelEntry(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z][+-]?$")]
    label: Text
    label_en: str | None = None


class PlanFile(Strict):
    format: Literal[1]
    municipality: Text
    municipality_en: str | None = None
    vision: VisionEntry
    editions: list[EditionEntry] = Field(min_length=1)
    policy_areas: list[PolicyAreaEntry] = Field(min_length=1)
    measures: list[MeasureEntry] = []
    priority_items: list[PriorityItemEntry] = []
    districts: list[DistrictEntry] = []
    landmarks: list[LandmarkEntry] = []
    # Other place names → their reading in hiragana, for ふりがな (core/furigana.py).
    place_readings: dict[str, Annotated[str, StringConstraints(pattern=r"^[ぁ-ゖー]+$")]] = {}
    rating_levels: list[RatingLevelEntry] = Field(min_length=1)
    departments: list[DepartmentEntry] = []
