"""Runs the access table in tests/access/proposals.py against the real routes."""

import re

import pytest

from komoro_engage.accounts.models import Role, UserStatus
from komoro_engage.extensions import db
from komoro_engage.proposals.engagement import add_comment
from komoro_engage.proposals.models import ProposalStatus
from tests.access.proposals import EXPECTED, FORMS, PERSONAS, SAMPLE_ARGS
from tests.factories import make_user
from tests.proposals.helpers import make_proposal

CASES = [(method, rule, persona, status)
         for (method, rule), row in EXPECTED.items() for persona, status in row.items()]


def _samples(app) -> dict:
    with app.app_context():
        author = make_user()
        published = make_proposal(author)
        samples = {
            "published": published.id,
            "draft": make_proposal(author, status=ProposalStatus.DRAFT).id,
            "pending": make_proposal(author, status=ProposalStatus.PENDING).id,
            "comment": add_comment(author, published, "サンプルのコメント").id,
        }
        personas = {
            "author": author,
            "resident": make_user(),
            "suspended": make_user(status=UserStatus.SUSPENDED),
            "staff": make_user(Role.STAFF),
            "admin": make_user(Role.ADMIN),
        }
        db.session.commit()
    return samples, personas


def test_the_table_covers_every_persona():
    assert all(tuple(row) == PERSONAS for row in EXPECTED.values())


@pytest.mark.parametrize(("method", "rule", "persona", "expected"), CASES)
def test_access(app, client, login, method, rule, persona, expected):
    samples, personas = _samples(app)
    url = re.sub(r"<int:(\w+)>", lambda m: str(samples[SAMPLE_ARGS[m.group(1)]]), rule)
    viewer = client if persona == "anonymous" else login(personas[persona])
    response = viewer.open(url, method=method, data=FORMS.get(rule, {}))
    allowed = {302, 401} if expected == "login" else {expected}
    assert response.status_code in allowed, (method, url, persona)
