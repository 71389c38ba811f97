"""Every CSV route, with hostile text in every text field: no cell a spreadsheet would run.

The routes come from the URL map: a rule ending in ``.csv`` or a view calling
``csv_response`` must be listed in ``CSV_ROUTES`` with the URLs that reach all of
its files, or ``test_every_csv_route_is_walked`` fails.
"""

from __future__ import annotations

import csv
import inspect
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from flask import url_for

from komoro_engage.accounts.models import Role
from komoro_engage.core.audit import AuditEntry
from komoro_engage.core.csv_export import cell
from komoro_engage.evaluation.indicators import (
    IndicatorData,
    MeasureText,
    add_indicator,
    correct_measure,
    record_actual,
)
from komoro_engage.evaluation.services import amend_record, finalise_record, open_record, save_draft
from komoro_engage.extensions import db
from komoro_engage.surveys import services as survey_services
from tests.consultations.helpers import make_consultation, make_statement
from tests.evaluation.helpers import jst, link, measure, rating
from tests.factories import make_user
from tests.proposals.helpers import make_proposal
from tests.surveys.helpers import answer_all, make_survey

PACKAGE = Path(__file__).resolve().parents[2] / "komoro_engage"
WRITER = PACKAGE / "core" / "csv_export.py"

# Formula starts (ASCII and full width), control characters, and whitespace before them.
HOSTILE = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1", "\t確認", "\r確認",
           "＝1+1", "＋1+1", "－1+1", "＠SUM(A1)", " =1+1", "\u3000=1+1", "\u3000＋1",
           "\n-1+1", " \t@cmd", "-5"]
TRIGGERS = set("=+-@\t\r＝＋－＠")
NUMBER = re.compile(r"-?\d+(\.\d+)?")

# endpoint → URL arguments that, together, produce every file of the route.
CSV_ROUTES = {
    "evaluation.export_csv": [{"kind": "records", "fiscal_year": 2024}, {"kind": "indicators"},
                              {"kind": "items"}],
    "staff.audit_export": [{}],
    # 探す's download: every proposal and project, the planted proposal's title among them.
    "staff.find_export_file": [{"extension": "csv"}],
    # A consultation planted by ``plant`` (its id filled in by the test).
    "consultations.participants_votes": [{"consultation_id": "{consultation}"}],
    "consultations.statements": [{"consultation_id": "{consultation}"}],
    # A closed survey planted by ``plant``, its title the payload.
    "surveys.results_csv": [{"survey_id": "{survey}"}],
}
# How many planted hostile cells each file shows at least (its text fields below; the
# item list's proposal title is stripped when posted, so only the measure code counts).
PLANTED = {"records": 5, "indicators": 5, "items": 1, "audit": 3,
           "consultations.statements": 1, "staff.find_export_file": 1}


def csv_endpoints(app) -> set[str]:
    found = set()
    for rule in app.url_map.iter_rules():
        view = inspect.unwrap(app.view_functions[rule.endpoint])
        if rule.rule.endswith(".csv") or "csv_response" in view.__code__.co_names:
            found.add(rule.endpoint)
    return found


def test_every_csv_route_is_walked(app):
    assert csv_endpoints(app) == set(CSV_ROUTES)


def test_only_the_core_writer_makes_csv():
    """One writer: no other module imports csv or names the CSV content type."""
    offenders = [str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
                 if path != WRITER and re.search(r"^(import csv|from csv )|text/csv",
                                                 path.read_text(encoding="utf-8"), re.M)]
    assert offenders == []


def plant(payload: str):
    """Evaluation data and audit entries with ``payload`` in every text field; the admin."""
    admin = make_user(Role.ADMIN, nickname=f"{payload}管理者")
    target = measure("1-2")
    correct_measure(admin, target, MeasureText(title=payload, description=payload,
                                               lead_department=payload))
    indicator = add_indicator(admin, target, IndicatorData(
        name=payload, unit=payload, direction="lower", baseline_value=Decimal("-2.5"),
        target_value=Decimal("-4"), source=payload))
    record_actual(admin, indicator, 2024, Decimal("-3.1"), payload, payload)
    link(make_proposal(title=payload, published_at=jst(2024, 5, 1)), target)
    record = open_record(admin, target, 2024)
    save_draft(admin, record, rating("B"), payload, payload)
    finalise_record(admin, record)
    amend_record(admin, record, rating("C"), payload, payload, payload)
    db.session.add(AuditEntry(actor_id=admin.id, action=payload[:60], target_type=payload[:40],
                              target_id=None, reason=payload, before={"title": payload}))
    consultation = make_consultation(staff=admin, seeds=())
    make_statement(consultation, payload, author=admin)
    survey = make_survey(admin)
    answer_all(survey, None)
    survey.title = payload
    survey_services.change_status(admin, survey, "close")
    target.code = payload  # plan data too (codes are at most 10 characters, as are payloads)
    db.session.commit()
    return admin, {"{consultation}": consultation.id, "{survey}": survey.id}


def formula_like(text: str) -> bool:
    return text[:1] in TRIGGERS or text.lstrip()[:1] in TRIGGERS


@pytest.mark.parametrize("payload", HOSTILE, ids=repr)
def test_no_cell_of_any_csv_route_is_a_formula(app, login, payload):
    with app.app_context():
        admin, planted = plant(payload)
        client = login(admin)
    seen = {}
    for endpoint, arguments in CSV_ROUTES.items():
        for args in arguments:
            args = {key: planted.get(value, value) if isinstance(value, str) else value
                    for key, value in args.items()}
            with app.test_request_context():
                url = url_for(endpoint, **args)
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.headers.getlist("Content-Type") == ["text/csv; charset=utf-8"]
            body = response.get_data()
            assert body.startswith("\ufeff".encode()), url
            rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
            cells = [value for row in rows for value in row]
            bad = [value for value in cells
                   if formula_like(value) and not NUMBER.fullmatch(value)]
            assert bad == [], url
            seen[args.get("kind") or ("audit" if endpoint == "staff.audit_export"
                                      else endpoint)] = cells
    for name, least in PLANTED.items():
        assert seen[name].count("'" + payload) >= least, name
    # Numbers the app writes as numbers stay numbers, negative ones included.
    assert {"-2.5", "-4", "-3.1"} <= set(seen["indicators"])


@pytest.mark.parametrize(("value", "written"), [
    (-3, "-3"), (Decimal("-2.50"), "-2.5"), (Decimal("100"), "100"), (-0.5, "-0.5"),
    (None, ""), ("-3", "'-3"), ("普通の文", "普通の文"), ("a=b", "a=b"), ("\u3000", "\u3000"),
    ("\u3000－1", "'\u3000－1"), ("\r\n@x", "'\r\n@x"),
])
def test_cells_by_type(value, written):
    assert cell(value) == written
