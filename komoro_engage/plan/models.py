"""The city plan as data: vision, editions, policy areas, measures (施策),
indicators, priority items (重点項目), districts (地区/区) and the rating scale.

Japanese text is authoritative; ``*_en`` columns are optional translations.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    ForeignKey,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from komoro_engage.extensions import db
from komoro_engage.plan.indicators import achievement_rate


def plan_link_table(owner: str, other: str) -> Table:
    """``<owner>_<other>``: a feature's row ↔ a plan row (policy area, priority item, measure).

    Indexed both ways, so filters on either side are cheap.
    """
    return Table(
        f"{owner}_{other}",
        db.Model.metadata,
        Column(f"{owner}_id", ForeignKey(f"{owner}.id", ondelete="CASCADE"), primary_key=True),
        Column(f"{other}_id", ForeignKey(f"{other}.id", ondelete="CASCADE"), primary_key=True,
               index=True),
    )


class Direction(StrEnum):
    """Which way an indicator should move."""

    HIGHER = "higher"
    LOWER = "lower"


class Vision(db.Model):
    """基本構想: the long-term vision the plan editions serve."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    statement: Mapped[str] = mapped_column(String(200))
    statement_en: Mapped[str | None] = mapped_column(String(200))
    start_fy: Mapped[int]
    end_fy: Mapped[int]

    targets: Mapped[list[VisionTarget]] = relationship(
        back_populates="vision", order_by="VisionTarget.sort_order", cascade="all, delete-orphan"
    )


class VisionTarget(db.Model):
    """A number the vision promises by a fiscal year (e.g. population in FY2027)."""

    __table_args__ = (UniqueConstraint("vision_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vision_id: Mapped[int] = mapped_column(ForeignKey("vision.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str | None] = mapped_column(String(200))
    value: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    unit: Mapped[str] = mapped_column(String(20))
    unit_en: Mapped[str | None] = mapped_column(String(20))
    target_fy: Mapped[int]
    sort_order: Mapped[int] = mapped_column(default=0)
    # The indicator whose yearly actuals measure the target (e.g. the 住み続けたい share,
    # fed by a survey): the home page shows its latest actual beside the target.
    indicator_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicator.id", ondelete="SET NULL"))

    vision: Mapped[Vision] = relationship(back_populates="targets")
    indicator: Mapped[Indicator | None] = relationship()

    @property
    def latest_actual(self) -> IndicatorActual | None:
        """The measuring indicator's most recent actual, if any (actuals load in year order)."""
        actuals = self.indicator.actuals if self.indicator is not None else []
        return actuals[-1] if actuals else None


class PlanEdition(db.Model):
    """基本計画 edition (第12次 …). Measures belong to one edition."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    start_fy: Mapped[int]
    end_fy: Mapped[int]
    end_fy_inferred: Mapped[bool] = mapped_column(default=False)
    is_current: Mapped[bool] = mapped_column(default=False, index=True)
    note: Mapped[str] = mapped_column(Text, default="")

    measures: Mapped[list[Measure]] = relationship(
        back_populates="edition", order_by="Measure.sort_key"
    )
    priority_items: Mapped[list[PriorityItem]] = relationship(
        back_populates="edition", order_by="PriorityItem.number"
    )


class PolicyArea(db.Model):
    """政策分野 1–6, from the vision; stable across plan editions."""

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str | None] = mapped_column(String(100))
    slogan: Mapped[str] = mapped_column(String(200), default="")
    slogan_en: Mapped[str | None] = mapped_column(String(200))

    measures: Mapped[list[Measure]] = relationship(
        back_populates="policy_area", order_by="Measure.sort_key"
    )


priority_item_measure = Table(
    "priority_item_measure",
    db.Model.metadata,
    Column("priority_item_id", ForeignKey("priority_item.id", ondelete="CASCADE"),
           primary_key=True),
    Column("measure_id", ForeignKey("measure.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class Measure(db.Model):
    """施策, coded "<area>-<n>" within an edition.

    ``provisional`` marks a measure whose official title is not yet known: the
    title shown is a working description until staff set the official one.
    """

    __table_args__ = (UniqueConstraint("edition_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("plan_edition.id"), index=True)
    policy_area_id: Mapped[int] = mapped_column(ForeignKey("policy_area.id"), index=True)
    code: Mapped[str] = mapped_column(String(10))
    # "01-02": sorts 1-2 before 1-10 in SQL on every database.
    sort_key: Mapped[str] = mapped_column(String(12), index=True)
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    provisional: Mapped[bool] = mapped_column(default=False)
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str | None] = mapped_column(Text)
    # やさしい日本語 version staff may add (core.i18n.localized_easy); the seed never writes it.
    description_easy: Mapped[str | None] = mapped_column(Text)
    lead_department: Mapped[str] = mapped_column(String(100), default="")
    # Set when staff correct the official title or description: the seed then
    # leaves those fields alone, whatever the data file says.
    corrected_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    edition: Mapped[PlanEdition] = relationship(back_populates="measures")
    policy_area: Mapped[PolicyArea] = relationship(back_populates="measures")
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="measure", order_by="Indicator.sort_order"
    )
    priority_items: Mapped[list[PriorityItem]] = relationship(
        secondary=priority_item_measure, back_populates="measures", order_by="PriorityItem.number"
    )


class Indicator(db.Model):
    """成果指標 of a measure: what is counted, from where to where, and which way is better."""

    __table_args__ = (UniqueConstraint("measure_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(20))
    baseline_fy: Mapped[int | None]
    baseline_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    target_fy: Mapped[int | None]
    target_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    direction: Mapped[Direction] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(default=0)
    # Staff changed it in the app: the seed no longer overwrites it.
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    measure: Mapped[Measure] = relationship(back_populates="indicators")
    actuals: Mapped[list[IndicatorActual]] = relationship(
        back_populates="indicator", order_by="IndicatorActual.fiscal_year",
        cascade="all, delete-orphan",
    )

    def achievement(self, actual: IndicatorActual) -> Decimal | None:
        """Percent of the way from baseline to target that ``actual`` shows."""
        return achievement_rate(actual.value, self.baseline_value, self.target_value,
                                self.direction)


class IndicatorActual(db.Model):
    """The measured value of an indicator for one fiscal year."""

    __table_args__ = (UniqueConstraint("indicator_id", "fiscal_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    fiscal_year: Mapped[int]
    value: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    note: Mapped[str] = mapped_column(Text, default="")
    # Where the number comes from (survey, statistics …), shown beside it.
    source: Mapped[str] = mapped_column(Text, default="")
    # The app's page the number comes from (a survey's results), linked beside the source.
    source_url: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # Entered by staff in the app: the seed no longer overwrites it.
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    indicator: Mapped[Indicator] = relationship(back_populates="actuals")

    @property
    def achievement(self) -> Decimal | None:
        return self.indicator.achievement(self)


class PriorityItem(db.Model):
    """重点項目 of an edition and the measures it cites.

    ``cites_all_measures`` is for items such as 「時代の変化へ柔軟に対応」 that
    cite 全施策: they cite every measure of the edition, including ones added later.
    """

    __table_args__ = (UniqueConstraint("edition_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("plan_edition.id"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str | None] = mapped_column(Text)
    cites_all_measures: Mapped[bool] = mapped_column(default=False)

    edition: Mapped[PlanEdition] = relationship(back_populates="priority_items")
    measures: Mapped[list[Measure]] = relationship(
        secondary=priority_item_measure,
        back_populates="priority_items",
        order_by="Measure.sort_key",
    )


class District(db.Model):
    """地区 (10 in Komoro), each made of 区."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    name_en: Mapped[str | None] = mapped_column(String(60))
    sort_order: Mapped[int] = mapped_column(default=0)
    # False where the source lists this district's 区 with less certainty.
    ku_list_confirmed: Mapped[bool] = mapped_column(default=True)
    # Approximate centre (plan data file): a tapped point gets the nearest district.
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)

    kus: Mapped[list[Ku]] = relationship(back_populates="district", order_by="Ku.sort_order")


class Ku(db.Model):
    """区: a local self-governing body within a district."""

    __table_args__ = (UniqueConstraint("district_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    sort_order: Mapped[int] = mapped_column(default=0)

    district: Mapped[District] = relationship(back_populates="kus")


class RatingLevel(db.Model):
    """One step of the evaluation rating scale (A 順調 … D 遅れ by default)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(4), unique=True)
    label: Mapped[str] = mapped_column(String(40))
    label_en: Mapped[str | None] = mapped_column(String(40))
    sort_order: Mapped[int] = mapped_column(default=0)
