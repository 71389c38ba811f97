"""Demo consultation for ``flask komoro demo``: an open question tied to a measure, with
25 statements and 150 participants whose votes fall into three planted opinion groups
(so the opinion map shows real groups). Deterministic from the seed; bulk INSERTs."""

from __future__ import annotations

import random
import unicodedata
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select, text

from komoro_engage.accounts.models import Role, User
from komoro_engage.consultations.analysis import analyse_consultation
from komoro_engage.consultations.models import (
    AGREE,
    DISAGREE,
    PASS,
    Consultation,
    ConsultationStatus,
    Statement,
    StatementStatus,
    StatementVote,
    consultation_measure,
)
from komoro_engage.extensions import db
from komoro_engage.plan.models import Measure
from komoro_engage.proposals import demo_text as words

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
PARTICIPANTS, GROUPS = 150, 3
A, D, P = AGREE, DISAGREE, PASS
# Each statement and how the three planted groups lean on it: (car-centred, walkable
# centre, young families); the last ones are shared by everyone (consensus).
STATEMENTS = [
    ("駅前の駐車場をもっと増やしてほしい", (A, D, P)),
    ("車で来やすい郊外の店が便利なので、中心部にこだわらなくてよい", (A, D, D)),
    ("駅前通りを歩行者優先の道にしてほしい", (D, A, A)),
    ("駅前の道路は渋滞するので、車線を減らすのは反対", (A, D, P)),
    ("空き店舗をチャレンジショップとして安く貸してほしい", (P, A, A)),
    ("歩道を広げて、ベンチや木陰を増やしてほしい", (D, A, A)),
    ("本町の古い町並みを生かした散策路をつくってほしい", (P, A, P)),
    ("駐車場が無料なら中心部で買い物をする", (A, D, P)),
    ("子どもが雨の日に遊べる屋内施設が駅の近くにほしい", (P, P, A)),
    ("駅前に保育所や一時預かりの施設を置いてほしい", (D, P, A)),
    ("子育て世代向けの住宅を中心部に増やしてほしい", (D, P, A)),
    ("夜のイベントよりも、昼間の子ども向けイベントを増やしてほしい", (P, D, A)),
    ("お年寄りが休める場所を商店街に増やしてほしい", (A, A, P)),
    ("観光客向けより、住んでいる人の暮らしを優先してほしい", (A, P, A)),
    ("中心部への巡回バスを増やしてほしい", (D, A, A)),
    ("駅前の再開発には税金をあまり使わないでほしい", (A, D, D)),
    ("自転車で安心して走れる道を整備してほしい", (D, A, A)),
    ("大型商業施設を中心部に誘致してほしい", (A, D, P)),
    ("地元の農産物の朝市を定期的に開いてほしい", (P, A, A)),
    ("懐古園と駅をつなぐ道をわかりやすくしてほしい", (A, A, A)),
    ("駅前の公衆トイレをきれいにしてほしい", (A, A, A)),
    ("街灯を増やして夜も安心して歩けるようにしてほしい", (A, A, A)),
    ("計画づくりに若い世代の意見をもっと聞いてほしい", (P, A, A)),
    ("中心部の空き家の情報を公開して活用を進めてほしい", (A, A, A)),
    ("まちづくりの進み具合を定期的に知らせてほしい", (A, A, A)),
]


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def _people(rng: random.Random) -> list[dict]:
    first = _next_id(User)
    rows = []
    for n in range(PARTICIPANTS):
        nickname = f"{rng.choice(words.FAMILY)}{rng.choice(words.GIVEN)}{first + n}"
        rows.append({"id": first + n, "email": f"listen{first + n}@example.invalid",
                     "nickname": nickname,
                     "nickname_key": unicodedata.normalize("NFKC", nickname).casefold(),
                     "role": Role.RESIDENT.value, "status": "active", "session_version": 1,
                     "created_at": NOW - timedelta(days=rng.randint(30, 400))})
    return rows


def _vote(rng: random.Random, lean: int) -> int:
    """Mostly the group's lean, sometimes a pass or the other side (real people differ)."""
    roll = rng.random()
    if roll < 0.8:
        return lean
    if roll < 0.9:
        return PASS
    return rng.choice((AGREE, DISAGREE))


def load_consultation_demo(seed: int) -> dict:
    """Insert the demo consultation, its statements, people and votes; the caller commits."""
    rng = random.Random(seed * 7919 + 17)
    measure = db.session.scalar(select(Measure).order_by(Measure.sort_key))
    consultation_id = _next_id(Consultation)
    opens = NOW - timedelta(days=10)
    db.session.execute(insert(Consultation.__table__), [{
        "id": consultation_id, "title": "小諸駅周辺の中心市街地、これからどうしたい？",
        "description": ("中心市街地の活性化に向けて、駅周辺の使い方についてご意見をお寄せください。"
                        "短い意見を書いたり、ほかの人の意見に賛成・反対を示したりできます。"),
        "status": ConsultationStatus.OPEN.value, "opens_at": opens,
        # A year open: the demo stays open whenever `make run` shows it.
        "closes_at": NOW + timedelta(days=365), "created_by_id": None,
        "created_at": opens, "updated_at": opens}])
    if measure is not None:
        db.session.execute(insert(consultation_measure), [
            {"consultation_id": consultation_id, "measure_id": measure.id}])
    first_statement = _next_id(Statement)
    people = _people(rng)
    db.session.execute(insert(User.__table__), people)
    statements, votes = [], []
    for n, (words_of, _lean) in enumerate(STATEMENTS):
        moment = opens + timedelta(hours=3 * n)
        statements.append({
            "id": first_statement + n, "consultation_id": consultation_id, "text": words_of,
            "status": StatementStatus.PUBLISHED.value, "is_seed": n < 5,
            "is_proxy": n == 6, "proxy_source": "地区懇談会（中央地区）" if n == 6 else "",
            "hidden_by_reports": False, "created_at": moment, "published_at": moment})
    for index, person in enumerate(people):
        group = index % GROUPS
        for n, (_text, lean) in enumerate(STATEMENTS):
            if rng.random() < 0.75:  # nobody votes on everything
                moment = opens + timedelta(hours=rng.randint(3 * n, 240))
                votes.append({"statement_id": first_statement + n, "user_id": person["id"],
                              "consultation_id": consultation_id,
                              "value": _vote(rng, lean[group]),
                              "created_at": moment, "updated_at": moment})
    db.session.execute(insert(Statement.__table__), statements)
    db.session.execute(insert(StatementVote.__table__), votes)  # counted by vote_counts.py
    _reset_sequences()
    # The first opinion map now, so `make run` shows it before the timer ever runs.
    analyse_consultation(db.session.get(Consultation, consultation_id))
    return {"consultations": 1, "consultation statements": len(statements),
            "consultation votes": len(votes)}


def _reset_sequences() -> None:
    """Explicit ids leave PostgreSQL's sequences behind; move them past the new rows."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in ("user_account", "consultation", "statement"):
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))
