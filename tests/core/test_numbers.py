"""Numbers from outside stay within what the database stores: out of range is not found
(paths) or ignored (query strings), never a database error; NUL never reaches a query."""

from __future__ import annotations

import pytest

from komoro_engage.accounts.models import Role
from komoro_engage.core.numbers import DB_INT_MAX, bounded_int, page_number
from komoro_engage.extensions import db
from tests.factories import make_user


@pytest.mark.parametrize(("raw", "expected"), [
    ("1", 1), ("2147483647", DB_INT_MAX), ("0007", 7),
    ("2147483648", None), ("99999999999999999999", None), ("0", None), ("-1", None),
    ("²", None), ("１２", None), (" 7", None), ("7\n", None), ("1.5", None), ("", None),
    (None, None), ("9" * 5000, None),
])
def test_bounded_int_reads_ascii_digits_within_the_database_range(raw, expected):
    assert bounded_int(raw) == expected


def test_page_numbers_are_clamped_and_default_to_one():
    assert [page_number(raw) for raw in ("3", "0", "x", "2000000", None)] == [3, 1, 1,
                                                                                100_000, 1]


@pytest.mark.parametrize("path", [
    "/proposals/2147483648", "/proposals/99999999999999999999", "/projects/9" + "9" * 4999,
    "/api/v1/proposals/9223372036854775808", "/organisations/2147483648/members",
    "/plan/measures/%00", "/calendar/%00.ics",
])
def test_impossible_ids_and_nul_in_paths_are_not_found(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("url", [
    "/proposals?q=%00", "/api/v1/proposals?q=a%00b", "/projects?%00=1",
])
def test_nul_in_a_query_string_is_a_bad_request(client, url):
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.get_json()["error"]["status"] == 400


@pytest.mark.parametrize("url", [
    "/organisations?page=99999999999999999999&kind=not-a-kind",
    "/api/v1/evaluations?fiscal_year=99999999999999999999&page=99999999999999999999",
    "/api/v1/indicators?measure=99999999999999999999&fiscal_year=-5",
    "/dashboard?fiscal_year=99999999999999999999", "/proposals?page=²&area=²",
])
def test_out_of_range_and_malformed_query_numbers_are_ignored(client, url):
    assert client.get(url).status_code == 200


def test_staff_filter_accounts_by_status_and_the_audit_log_by_actor_and_dates(app, login):
    with app.app_context():
        staff = make_user(role=Role.ADMIN, nickname="数の職員")
        db.session.commit()
        db.session.refresh(staff)
        db.session.expunge(staff)
    client = login(staff)
    for status in ("active", "suspended", "not-a-status", "500"):
        assert client.get(f"/admin/users?status={status}").status_code == 200
    for query in ("actor=99999999999999999999", "actor=²", "until=9999-12-31",
                  "since=0001-01-01", "actor=system&since=2026-01-01"):
        assert client.get(f"/admin/audit?{query}").status_code == 200
