"""``flask komoro map-texts``: the free-text maps (市民の声の地図), computed outside requests."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from komoro_engage.core import clock
from komoro_engage.core.text_sources import parse_scope, scope, texts_for
from komoro_engage.extensions import db


def default_scopes() -> list[str]:
    """Every measure with texts (or a map already), this fiscal year, staff's requests, and
    every survey mapped before (its texts change while staff moderate them after closing)."""
    from komoro_engage.plan.fiscal import fiscal_year_of
    from komoro_engage.plan.models import Measure
    from komoro_engage.search.text_map_store import requested_scopes, stored_scopes

    stored = stored_scopes()
    measures = [scope("measure", m) for m in
                db.session.scalars(select(Measure.id).order_by(Measure.sort_key, Measure.id))]
    wanted = [s for s in measures if s in stored or texts_for(s)]
    wanted.append(scope("year", fiscal_year_of(clock.now())))
    wanted.extend(sorted(s for s in stored if s.startswith("survey:")))
    return list(dict.fromkeys([*requested_scopes(), *wanted]))


@click.command("map-texts")
@click.option("--scope", "scopes", multiple=True, metavar="SCOPE",
              help='"measure:<id>", "year:<fiscal year>", "consultation:<id>" or "survey:<id>" '
                   "(repeatable); default: every measure with texts, this fiscal year, "
                   "staff's requests and surveys already mapped")
@click.option("--seed", type=int, default=0, help="the same seed gives the same map")
@with_appcontext
def map_texts_command(scopes: tuple[str, ...], seed: int) -> None:
    """Map residents' words per scope and store each map (one commit per scope)."""
    from komoro_engage.search.text_map_store import compute_map

    for name in scopes:
        if parse_scope(name) is None:
            raise click.BadParameter(f"unknown scope {name!r}", param_hint="--scope")
    for name in scopes or default_scopes():
        started = time.perf_counter()
        text_map = compute_map(name, seed=seed)
        db.session.commit()
        click.echo(f"{name}: {text_map.texts} text(s), {len(text_map.top())} cluster(s), "
                   f"{len(text_map.clusters) - len(text_map.top())} sub-cluster(s) "
                   f"in {time.perf_counter() - started:.1f} s")


COMMANDS = [map_texts_command]
