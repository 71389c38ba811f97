"""Loading the plan data file: complete, idempotent, and all-or-nothing."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from komoro_engage.extensions import db
from komoro_engage.plan.loader import PlanDataError, read_plan_file
from komoro_engage.plan.models import District, Ku, Measure, PlanEdition, PriorityItem
from komoro_engage.plan.queries import measures_of_item
from komoro_engage.plan.services import seed_plan


@pytest.fixture
def plan_text(app) -> str:
    return Path(app.config["PLAN_DATA_FILE"]).read_text(encoding="utf-8")


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_plan_is_loaded_completely(ctx):
    assert db.session.scalar(select(func.count()).select_from(District)) == 10
    assert db.session.scalar(select(func.count()).select_from(Ku)) == 68
    current = db.session.scalars(select(PlanEdition).where(PlanEdition.is_current)).one()
    assert current.name == "第12次基本計画" and current.end_fy_inferred
    codes = {m.code for m in current.measures}
    assert codes == {"1-1", "1-2", "1-6", "3-1", "3-2", "4-2", "6-1"}
    assert all(m.provisional for m in current.measures), "unknown titles must be provisional"
    item5 = db.session.scalars(
        select(PriorityItem).filter_by(edition_id=current.id, number=5)
    ).one()
    assert item5.cites_all_measures
    assert {m.code for m in measures_of_item(item5)} == codes
    item3 = db.session.scalars(
        select(PriorityItem).filter_by(edition_id=current.id, number=3)
    ).one()
    assert [m.code for m in measures_of_item(item3)] == ["1-6", "3-1", "3-2"]


def test_historic_indicator_keeps_direction_and_actuals(ctx):
    measure = db.session.scalars(
        select(Measure)
        .join(PlanEdition)
        .where(PlanEdition.code == "basic-plan-9", Measure.code == "1-2")
    ).one()
    (indicator,) = measure.indicators
    assert indicator.direction == "lower"
    assert float(indicator.baseline_value) == 26.3 and float(indicator.target_value) == 19.5
    assert [(a.fiscal_year, float(a.value)) for a in indicator.actuals] == [
        (2013, 23.7),
        (2014, 23.7),
        (2015, 24.2),
    ]


def test_seeding_again_changes_nothing(app, runner):
    result = runner.invoke(args=["komoro", "seed"])
    assert result.exit_code == 0, result.output
    assert "nothing changed" in result.output
    with app.app_context():
        assert not seed_plan(read_plan_file(app.config["PLAN_DATA_FILE"])).changed


def test_seeding_an_edited_file_updates_what_changed(app, runner, tmp_path, plan_text):
    edited = plan_text.replace('name_en = "Kita-Oi"', 'name_en = "Kitaoi"').replace(
        'kus = ["市", "耳取", "森山"]', 'kus = ["市", "耳取", "森山", "新区"]'
    )
    result = runner.invoke(args=["komoro", "seed", "--file", str(write(tmp_path, edited))])
    assert result.exit_code == 0, result.output
    assert "district 1" in result.output and "ku 1" in result.output
    with app.app_context():
        assert (
            db.session.scalars(select(District).filter_by(name="北大井")).one().name_en == "Kitaoi"
        )
        assert db.session.scalars(select(Ku).filter_by(name="新区")).one().district.name == "三岡"


def test_staff_confirmed_title_survives_a_reseed(app, tmp_path):
    with app.app_context():
        measure = db.session.scalars(
            select(Measure).join(PlanEdition).where(PlanEdition.is_current, Measure.code == "1-1")
        ).one()
        measure.title, measure.provisional = "こどもの育ちを支える（正式）", False
        db.session.commit()
        seed_plan(read_plan_file(app.config["PLAN_DATA_FILE"]))
        db.session.commit()
        assert measure.title == "こどもの育ちを支える（正式）"
        assert not measure.provisional


@pytest.mark.parametrize(
    ("old", "new", "entry", "field"),
    [
        ('code = "1-6"', 'code = "1-x"', "measures[2] (code 1-x)", "code"),
        (
            'direction = "lower"',
            'direction = "down"',
            "measures[7].indicators[0] (key childcare-dissatisfaction)",
            "direction",
        ),
        (
            'edition = "basic-plan-9"\ncode = "6-1"',
            'edition = "plan-99"\ncode = "6-1"',
            "measures[8] (code 6-1)",
            "edition",
        ),
        (
            'measures = ["1-6", "3-1", "3-2"]',
            'measures = ["1-6", "3-1", "3-9"]',
            "priority_items[2] (number 3)",
            "measures",
        ),
        (
            'name = "大里"\nname_en = "Ozato"\nkus = ["菱野"',
            'name = "大里"\nname_en = "Ozato"\nkus = ["菱野", "菱野"',
            "districts[4] (name 大里)",
            "kus",
        ),
        (
            'code = "C"\nlabel = "やや遅れ"',
            'code = "C"\nlabel = ""',
            "rating_levels[2] (code C)",
            "label",
        ),
        ("current = true\n", "", "editions", "current"),
    ],
)
def test_malformed_file_is_refused_naming_entry_and_field(
    app, runner, tmp_path, plan_text, old, new, entry, field
):
    assert old in plan_text
    path = write(tmp_path, plan_text.replace(old, new, 1))
    with pytest.raises(PlanDataError) as error:
        read_plan_file(path)
    assert (error.value.entry, error.value.field) == (entry, field)

    result = runner.invoke(args=["komoro", "seed", "--file", str(path)])
    assert result.exit_code != 0
    assert str(path) in result.output and entry in result.output and f"'{field}'" in result.output
    assert "database unchanged" in result.output


def test_broken_toml_is_refused_with_the_file_name(runner, tmp_path):
    path = write(tmp_path, 'format = 1\n[vision\nname = "x"\n')
    result = runner.invoke(args=["komoro", "seed", "--file", str(path)])
    assert result.exit_code != 0
    assert str(path) in result.output and "not valid TOML" in result.output


def test_refused_file_leaves_the_database_as_it_was(app, runner, tmp_path, plan_text):
    # The first half of the file is fine (a renamed district), the end is not.
    text = plan_text.replace('name_en = "Ozato"', 'name_en = "CHANGED"') + "\nunknown_key = 1\n"
    result = runner.invoke(args=["komoro", "seed", "--file", str(write(tmp_path, text))])
    assert result.exit_code != 0 and "unknown_key" in result.output
    with app.app_context():
        assert db.session.scalars(select(District).filter_by(name="大里")).one().name_en == "Ozato"
