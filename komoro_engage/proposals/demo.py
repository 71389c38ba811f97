"""``flask komoro demo``: realistic, deterministic demo content, loaded in bulk.

The same ``--seed`` gives the same people, groups, proposals, supports and
comments. Rows are generated in Python with explicit ids and written with
executemany INSERTs in chunks (no ORM objects), so 100,000 proposals load in
minutes; counters are computed from the generated rows, so they are exact.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import UTC, datetime, timedelta
from itertools import islice

import click
from flask.cli import with_appcontext
from sqlalchemy import func, insert, select, text

from komoro_engage.accounts.models import Membership, Organisation, User
from komoro_engage.budgeting.demo import load_budget_demo
from komoro_engage.comments.models import Comment
from komoro_engage.consultations.demo import load_consultation_demo
from komoro_engage.evaluation.demo import load_evaluation_demo
from komoro_engage.extensions import db
from komoro_engage.notifications.demo import load_demo_follows, load_demo_notifications
from komoro_engage.notifications.newsletter_demo import load_newsletter_demo
from komoro_engage.plan import queries as plan_queries
from komoro_engage.plan.models import Ku, PolicyArea
from komoro_engage.plan.places import district_centres, landmarks, place_values
from komoro_engage.projects.demo import load_project_demo
from komoro_engage.proposals import demo_text as words
from komoro_engage.proposals.lifecycle.demo import load_staff_demo
from komoro_engage.proposals.models import (
    PUBLIC_STATUSES,
    Proposal,
    Support,
    proposal_policy_area,
    proposal_priority_item,
)
from komoro_engage.proposals.search_sync import PRIVATE_KIND, SEARCH_KIND
from komoro_engage.search.services import bulk_index
from komoro_engage.staff.demo import load_handling_demo
from komoro_engage.surveys.demo import load_survey_demo

CHUNK = 2000
NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)  # fixed, so a seed always gives the same data
STATUS_WEIGHTS = {"published": 55, "under_review": 14, "adopted": 8, "not_adopted": 5,
                  "pending": 7, "draft": 6, "withdrawn": 3, "hidden": 2}


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def _write(table, rows: list[dict]) -> None:
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        db.session.execute(insert(table), chunk)


class DemoBuilder:
    """Generates every row from one random stream so the seed fixes the result."""

    def __init__(self, seed: int, proposals: int):
        self.rng = random.Random(seed)
        self.count = proposals
        self.user_ids: list[int] = []

    def users(self) -> list[dict]:
        first = _next_id(User)
        rows = []
        for n in range(max(20, self.count // 4)):
            rng = self.rng
            base = (rng.choice(words.HANDLE) if rng.random() < 0.4
                    else rng.choice(words.FAMILY) + rng.choice(words.GIVEN))
            nickname = f"{base}{first + n}"
            rows.append({"id": first + n, "email": f"demo{first + n}@example.invalid",
                         "nickname": nickname,
                         "nickname_key": unicodedata.normalize("NFKC", nickname).casefold(),
                         "role": "resident", "status": "active", "session_version": 1,
                         "created_at": NOW - timedelta(days=rng.randint(1, 900))})
        self.user_ids = [row["id"] for row in rows]
        return rows

    def organisations(self, districts: list[int]) -> tuple[list[dict], list[dict]]:
        first = _next_id(Organisation)
        orgs, members = [], []
        for n in range(max(3, self.count // 200)):
            name = f"{self.rng.choice(words.PLACES)}{self.rng.choice(words.GROUPS)}{first + n}"
            orgs.append({"id": first + n, "name": name,
                         "name_key": unicodedata.normalize("NFKC", name).casefold(),
                         "kind": self.rng.choice(["community_group", "npo", "ku_association",
                                                  "business"]),
                         "district_id": self.rng.choice(districts), "description": "",
                         "created_at": NOW - timedelta(days=900)})
            members.append({"organisation_id": first + n, "user_id": self.user_ids[n],
                            "role": "manager", "status": "active", "created_at": NOW})
        return orgs, members

    def proposal(self, proposal_id: int, plan: dict, org_ids: list[int]) -> dict:
        rng = self.rng
        status = rng.choices(list(STATUS_WEIGHTS), weights=STATUS_WEIGHTS.values())[0]
        author = rng.choice(self.user_ids)
        place = rng.choice(words.PLACES)
        title = f"{place}に{rng.choice(words.THINGS)}{rng.choice(words.VERBS)}"
        body = "".join(rng.sample(words.REASONS, 2)) + "\n" + rng.choice(words.OFFERS)
        created = NOW - timedelta(minutes=rng.randint(60, 730 * 24 * 60))
        district, ku = (None, None)
        if rng.random() < 0.75:
            district, ku = rng.choice(plan["kus"])
            ku = ku if rng.random() < 0.5 else None
        published = created + timedelta(hours=rng.randint(1, 72))
        is_public = status in PUBLIC_STATUSES or status in ("withdrawn", "hidden")
        return {**self.place(district, plan),
            "id": proposal_id, "author_id": author, "title": title, "body": body,
            "organisation_id": (rng.choice(org_ids)
                                if org_ids and rng.random() < 0.1 else None),
            "kind": "collaboration" if rng.random() < 0.25 else "idea", "status": status,
            "district_id": district, "ku_id": ku, "moderation_note": "",
            "hidden_cause": "moderator" if status == "hidden" else None,
            "hidden_reason": "個人が特定できる情報が含まれていたため" if status == "hidden" else "",
            "status_before_hidden": "published" if status == "hidden" else None,
            "support_count": 0, "comment_count": 0, "created_at": created,
            "updated_at": created, "submitted_at": None if status == "draft" else created,
            "published_at": published if is_public else None,
            "last_activity_at": published if is_public else created,
        }

    def place(self, district: int | None, plan: dict) -> dict:
        """Most demo proposals have a place, so ``make run`` shows a map: a landmark,
        or a point within about 1 km of the district's centre."""
        rng, landmark, point = self.rng, None, None
        roll = rng.random()
        nearby = [row for row in plan["landmarks"] if row.district_id == district]
        if roll < 0.25 and nearby:
            landmark = rng.choice(nearby)
        elif roll < 0.7 and district in plan["centres"]:
            lat, lon = plan["centres"][district]
            point = (lat + rng.uniform(-0.009, 0.009), lon + rng.uniform(-0.011, 0.011))
        return place_values(point, landmark)

    def engagement(self, proposal: dict, next_comment_id: int) -> tuple[list, list]:
        """Supports and comments of one public proposal; updates its counters."""
        rng = self.rng
        wanted = min(int(rng.paretovariate(1.2)) - 1, 80, len(self.user_ids) - 1)
        supporters = [u for u in rng.sample(self.user_ids, wanted + 1)
                      if u != proposal["author_id"]][:wanted]
        supports = [{"proposal_id": proposal["id"], "user_id": u,
                     "created_at": proposal["published_at"] + timedelta(hours=1)}
                    for u in supporters]
        comments = []
        moment = proposal["published_at"]
        for _ in range(rng.choices(range(6), weights=(40, 25, 15, 10, 6, 4))[0]):
            moment += timedelta(hours=rng.randint(1, 96))
            parent = (rng.choice(comments)["id"]
                      if comments and rng.random() < 0.3 else None)
            if parent is not None:
                parent = next(c for c in comments if c["id"] == parent)
                parent = parent["parent_id"] or parent["id"]
            threads = sum(c["parent_id"] is None for c in comments)
            comments.append({
                "id": next_comment_id + len(comments), "proposal_id": proposal["id"],
                "author_id": rng.choice(self.user_ids), "parent_id": parent,
                "thread_number": None if parent else threads + 1,
                "body": rng.choice(words.COMMENTS),
                "stance": rng.choice([None, "for", "for", "against", "question"]),
                "created_at": moment})
        proposal["support_count"] = len(supports)
        proposal["comment_count"] = len(comments)
        proposal["last_activity_at"] = max(moment, proposal["published_at"])
        return supports, comments


def _plan() -> dict:
    edition = plan_queries.current_edition()
    kus = [(ku.district_id, ku.id) for ku in db.session.scalars(select(Ku).order_by(Ku.id))]
    return {"areas": list(db.session.scalars(select(PolicyArea.id).order_by(PolicyArea.id))),
            "items": [item.id for item in plan_queries.priority_items(edition)], "kus": kus,
            "centres": {d.id: (d.latitude, d.longitude) for d in district_centres()},
            "landmarks": landmarks()}


def load_demo(proposals: int, seed: int, progress=None) -> dict:
    """Generate and insert the demo set; returns what was created. The caller commits."""
    builder = DemoBuilder(seed, proposals)
    plan = _plan()
    users = builder.users()
    _write(User.__table__, users)
    orgs, members = builder.organisations(sorted({d for d, _ in plan["kus"]}))
    _write(Organisation.__table__, orgs)
    _write(Membership.__table__, members)
    org_ids = [org["id"] for org in orgs]
    next_proposal, next_comment = _next_id(Proposal), _next_id(Comment)
    totals = {"users": len(users), "organisations": len(orgs), "proposals": 0,
              "supports": 0, "comments": 0}
    for start in range(0, proposals, CHUNK):
        rows, links, items, supports, comments, searchable = [], [], [], [], [], []
        private = []  # the rest, for the staff console's search (search_sync.py)
        for n in range(start, min(start + CHUNK, proposals)):
            row = builder.proposal(next_proposal + n, plan, org_ids)
            rows.append(row)
            for area in builder.rng.sample(plan["areas"], builder.rng.choice((1, 1, 2))):
                links.append({"proposal_id": row["id"], "policy_area_id": area})
            for item in builder.rng.sample(plan["items"], builder.rng.choice((0, 0, 1, 2))):
                items.append({"proposal_id": row["id"], "priority_item_id": item})
            if row["status"] in PUBLIC_STATUSES:
                new_supports, new_comments = builder.engagement(row, next_comment)
                next_comment += len(new_comments)
                supports += new_supports
                comments += new_comments
                searchable.append((row["id"], f"{row['title']}\n{row['body']}"))
            else:
                private.append((row["id"], f"{row['title']}\n{row['body']}"))
        _write(Proposal.__table__, rows)
        _write(proposal_policy_area, links)
        _write(proposal_priority_item, items)
        _write(Support.__table__, supports)
        _write(Comment.__table__, [c for c in comments if c["parent_id"] is None])
        _write(Comment.__table__, [c for c in comments if c["parent_id"] is not None])
        bulk_index(SEARCH_KIND, searchable)
        bulk_index(PRIVATE_KIND, private)
        totals["proposals"] += len(rows)
        totals["supports"] += len(supports)
        totals["comments"] += len(comments)
        if progress is not None:
            progress.update(len(rows))
    _reset_sequences()
    return totals


def _reset_sequences() -> None:
    """Explicit ids leave PostgreSQL's sequences behind; move them past the new rows."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in ("user_account", "organisation", "membership", "proposal", "support",
                  "comment"):
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))


def load_all_demo(count: int, seed: int, progress=None) -> dict:
    """Every feature's demo content in the session (not committed): what ``demo`` loads."""
    totals = load_demo(count, seed, progress)
    totals.update(load_project_demo(seed, count))
    totals["notifications"] = load_demo_notifications()
    totals.update(load_staff_demo(seed))  # moderation history, links, answers
    totals.update(load_handling_demo(seed))  # 担当課: routed proposals, one overdue; a note
    totals.update(load_newsletter_demo(NOW))  # お知らせメール: one sent, one draft
    totals.update(load_budget_demo(seed))  # 市民予算: a finished process and an open one
    totals.update(load_consultation_demo(seed))  # a consultation with planted opinion groups
    # Last: past fiscal years' records count the proposals and projects made above.
    totals.update(load_evaluation_demo(seed, NOW))
    # After evaluation: the survey adds an indicator, which would stop the evaluation demo
    # giving that measure its own.
    totals.update(load_survey_demo(seed, NOW))
    totals["follows"] = load_demo_follows()  # from who took part above, and a few chosen
    return totals


@click.command("demo")
@click.option("--proposals", "count", default=60, show_default=True, type=click.IntRange(1))
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--if-empty", is_flag=True, help="Do nothing when proposals already exist.")
@with_appcontext
def demo(count: int, seed: int, if_empty: bool) -> None:
    """Load realistic demo users, groups, proposals, supports and comments."""
    if if_empty and db.session.scalar(select(Proposal.id).limit(1)) is not None:
        click.echo("Proposals already exist: demo data not loaded.")
        return
    try:
        with click.progressbar(length=count, label="Loading proposals") as bar:
            totals = load_all_demo(count, seed, bar)
        db.session.commit()
        # Fresh statistics after a bulk load, so the planner knows that most proposals
        # are public and walks the list's sort index (PostgreSQL's autovacuum would get
        # there later; SQLite only ever learns from ANALYZE).
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo(", ".join(f"{value:,} {key}" for key, value in totals.items()) + " created.")


COMMANDS = [demo]
