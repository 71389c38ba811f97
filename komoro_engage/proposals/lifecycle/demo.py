"""Demo content of the lifecycle: moderation history, measure links, official answers.

Runs after the proposals demo (``flask komoro demo``) over the proposals that have
no history yet, deterministic from the seed, written with bulk INSERTs. What a
fresh ``make run`` then shows: answered and overdue proposals in the console,
timelines and 市の回答 on proposal pages, linked proposals on measure pages, open
reports to moderate, proxy entries, and an audit log to filter.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import exists, insert, select

from komoro_engage.accounts.models import Role, User
from komoro_engage.comments.models import Comment
from komoro_engage.core import clock
from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from komoro_engage.moderation.models import Report
from komoro_engage.plan import queries as plan_queries
from komoro_engage.plan.fiscal import fiscal_year_of
from komoro_engage.plan.models import Measure
from komoro_engage.proposals.lifecycle.models import (
    ProposalAnswer,
    ProposalMeasureLink,
    ProposalStatusChange,
    ProxyEntry,
)
from komoro_engage.proposals.models import Proposal, proposal_policy_area

CHUNK = 2000
DEPARTMENTS = ["企画課", "都市計画課", "建設課", "子育て支援課", "生涯学習課", "商工観光課",
               "農林課", "環境課", "高齢福祉課", "危機管理課"]
ADOPTED = ["ご提案を受け、来年度予算で整備します。地域の皆さんと場所を相談しながら進めます。",
           "試行として半年間実施し、利用状況を見て本格実施を判断します。",
           "協働事業として地域の団体と一緒に取り組みます。担当課から連絡します。"]
DECLINED = ["同様の事業を既に実施しているため、今回は見送ります。周知を強化します。",
            "用地の確保が難しく、現時点では実施できません。代わりの方法を検討します。",
            "県の事業と重なるため、県と情報を共有し、そちらで対応する予定です。"]
INTERIM = ["関係課で現地を確認し、費用と効果を検討しています。",
           "地区の皆さんの意見を地区懇談会で伺ってから判断します。"]
NOTES = ["提案の目的がこの施策の取り組みと一致するため", "施策の成果指標の向上につながるため",
         "地区の課題としてこの施策で扱うため", "次年度の事業計画で検討するため"]
STAFF_NICKNAME = "小諸市企画課（デモ）"


def _write(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(model), rows[start:start + CHUNK])


def _demo_staff() -> int:
    key = unicodedata.normalize("NFKC", STAFF_NICKNAME).casefold()
    staff_id = db.session.scalar(select(User.id).where(User.nickname_key == key))
    if staff_id is None:
        staff = User(email="demo-staff@example.invalid", nickname=STAFF_NICKNAME,
                     nickname_key=key, role=Role.STAFF, created_at=clock.now())
        db.session.add(staff)
        db.session.flush()
        staff_id = staff.id
    return staff_id


def _audit(rows: list, actor, action: str, target: str, target_id: int, at, reason="",
           before=None, after=None) -> None:
    rows.append({"actor_id": actor, "action": action, "target_type": target,
                 "target_id": target_id, "reason": reason, "before": before, "after": after,
                 "created_at": at})


class StaffDemo:
    """Collects the rows of every table, then writes each table once (in chunks)."""

    def __init__(self, seed: int, staff_id: int):
        self.rng = random.Random(seed * 7919 + 17)
        self.staff = staff_id
        self.rows: dict = {key: [] for key in ("changes", "answers", "links", "audits",
                                               "reports", "proxies")}

    def change(self, proposal_id, action, before, after, at, actor, cause="") -> None:
        self.rows["changes"].append({"proposal_id": proposal_id, "action": action,
                                     "from_status": before, "to_status": after,
                                     "actor_id": actor, "cause": cause, "created_at": at})

    def history(self, row, measures_by_area: dict, areas: list[int], user_ids: list[int]):
        """Timeline, answer, links and audit entries of one demo proposal."""
        rng, staff = self.rng, self.staff
        pid, status, published = row.id, row.status, row.published_at
        submitted = row.submitted_at or row.created_at
        audits = self.rows["audits"]
        if row.submitted_at is not None:
            self.change(pid, "submit_for_review", "draft", "pending", submitted, row.author_id)
        if published is None:
            return
        self.change(pid, "approve", "pending", "published", published, staff)
        _audit(audits, staff, "proposal.approved", "proposal", pid, published,
               before={"status": "pending"}, after={"status": "published"})
        if status == "hidden":
            at = published + timedelta(days=rng.randint(1, 20))
            self.change(pid, "hide", "published", "hidden", at, staff, "moderator")
            _audit(audits, staff, "proposal.hidden_by_moderator", "proposal", pid, at,
                   "個人が特定できる情報が含まれていたため",
                   {"status": "published"}, {"status": "hidden"})
        elif status == "withdrawn":
            self.change(pid, "withdraw", "published", "withdrawn",
                        published + timedelta(days=rng.randint(1, 30)), row.author_id)
        if status in ("under_review", "adopted", "not_adopted"):
            self.review(row)
        if status in ("published", "under_review", "adopted", "not_adopted"):
            self.link(row, measures_by_area, areas, user_ids)

    def review(self, row) -> None:
        rng, staff, pid = self.rng, self.staff, row.id
        started = row.published_at + timedelta(days=rng.randint(3, 60))
        deadline = started + timedelta(days=30)
        # Only proposals that really have the supports say the threshold moved them.
        threshold = row.support_count >= int(current_app.config["SUPPORT_THRESHOLD"])
        self.change(pid, "start_review", "published", "under_review", started,
                    None if threshold else staff, "threshold" if threshold else "")
        answer = {"proposal_id": pid, "status": "under_review", "body": "", "department": "",
                  "answered_on": None, "answered_by_id": None, "answered_at": None,
                  "review_started_at": started, "deadline_at": deadline, "updated_at": started}
        at = started + timedelta(days=rng.randint(2, 45))
        if row.status == "under_review" and rng.random() < 0.4:
            answer.update(body=rng.choice(INTERIM))
        elif row.status != "under_review":
            action = "adopt" if row.status == "adopted" else "decline"
            self.change(pid, action, "under_review", row.status, at, staff)
            answer.update(status=row.status,
                          body=rng.choice(ADOPTED if row.status == "adopted" else DECLINED))
        if answer["body"]:
            answer.update(department=rng.choice(DEPARTMENTS), answered_by_id=staff,
                          answered_on=date(at.year, at.month, at.day), answered_at=at,
                          updated_at=at)
            _audit(self.rows["audits"], staff, "proposal.answered", "proposal", pid, at,
                   before={"status": "under_review", "answer": None},
                   after={"status": row.status, "answer": answer["status"],
                          "department": answer["department"]})
        self.rows["answers"].append(answer)

    def link(self, row, measures_by_area: dict, areas: list[int], user_ids: list[int]) -> None:
        rng, staff, pid = self.rng, self.staff, row.id
        if rng.random() > (0.9 if row.status != "published" else 0.25):
            return
        candidates = [m for area in areas for m in measures_by_area.get(area, [])]
        for measure in rng.sample(candidates, min(len(candidates), rng.choice((1, 1, 2)))):
            at = row.published_at + timedelta(days=rng.randint(1, 30))
            link = {"proposal_id": pid, "measure_id": measure[0],
                    "fiscal_year": fiscal_year_of(at), "note": rng.choice(NOTES),
                    "linked_by_id": staff, "linked_at": at, "unlinked_at": None,
                    "unlinked_by_id": None, "unlink_reason": ""}
            _audit(self.rows["audits"], staff, "proposal.measure_linked", "proposal", pid, at,
                   link["note"], None, {"measure": measure[1], "fiscal_year": link["fiscal_year"]})
            if rng.random() < 0.1:
                gone = at + timedelta(days=rng.randint(1, 20))
                link.update(unlinked_at=gone, unlinked_by_id=staff,
                            unlink_reason="より関係の深い施策に付け替えたため")
                _audit(self.rows["audits"], staff, "proposal.measure_unlinked", "proposal", pid,
                       gone, link["unlink_reason"], {"measure": measure[1], "active": True},
                       {"active": False})
            self.rows["links"].append(link)
        if rng.random() < 0.03:
            self.rows["proxies"].append({
                "proposal_id": pid, "entered_by_id": staff,
                "occasion": rng.choice(("paper", "district_meeting", "counter")),
                "occasion_detail": rng.choice(("", "地区懇談会（乙女・東雲）", "市役所1階窓口")),
                "received_on": row.created_at.date(), "anonymous": False,
                "created_at": row.created_at})
        if row.status == "published" and rng.random() < 0.1:
            for reporter in rng.sample(user_ids, 2):
                if reporter != row.author_id:
                    self.rows["reports"].append({
                        "target_type": "proposal", "target_id": pid, "reporter_id": reporter,
                        "reason": rng.choice(("spam", "inappropriate", "other")),
                        "detail": "", "created_at": row.published_at + timedelta(days=2)})


def load_staff_demo(seed: int) -> dict:
    """Add staff history to every proposal that has none yet; returns what was created."""
    staff_id = _demo_staff()
    edition = plan_queries.current_edition()
    measures_by_area: dict[int, list] = {}
    for measure_id, code, area in db.session.execute(
            select(Measure.id, Measure.code, Measure.policy_area_id)
            .where(Measure.edition_id == edition.id).order_by(Measure.sort_key)):
        measures_by_area.setdefault(area, []).append((measure_id, code))
    demo = StaffDemo(seed, staff_id)
    user_ids = list(db.session.scalars(select(User.id).where(User.role == Role.RESIDENT)
                                       .order_by(User.id).limit(500)))
    fresh = (select(Proposal.id, Proposal.status, Proposal.author_id, Proposal.created_at,
                    Proposal.submitted_at, Proposal.published_at, Proposal.support_count)
             .where(~exists().where(ProposalStatusChange.proposal_id == Proposal.id))
             .order_by(Proposal.id))
    areas: dict[int, list[int]] = {}
    for proposal_id, area in db.session.execute(select(
            proposal_policy_area.c.proposal_id, proposal_policy_area.c.policy_area_id)):
        areas.setdefault(proposal_id, []).append(area)
    for row in db.session.execute(fresh).all():
        demo.history(row, measures_by_area, areas.get(row.id, []), user_ids)
    # Reported comments: a few, so the console's report queue has both kinds.
    comments = db.session.execute(select(Comment.id, Comment.created_at).order_by(Comment.id)
                                  .limit(400)).all()
    picked = demo.rng.sample(comments, min(3, len(comments))) if demo.rows["changes"] else []
    for comment_id, created in picked:
        demo.rows["reports"].append({"target_type": "comment", "target_id": comment_id,
                                     "reporter_id": demo.rng.choice(user_ids), "reason": "abuse",
                                     "detail": "言葉がきついと感じました", "created_at": created})
    for model, key in ((ProposalStatusChange, "changes"), (ProposalAnswer, "answers"),
                       (ProposalMeasureLink, "links"), (AuditEntry, "audits"),
                       (ProxyEntry, "proxies")):
        _write(model, demo.rows[key])
    seen = set()
    reports = [r for r in demo.rows["reports"]
               if (key := (r["target_type"], r["target_id"], r["reporter_id"])) not in seen
               and not seen.add(key)]
    _write(Report, reports)
    return {"status changes": len(demo.rows["changes"]), "answers": len(demo.rows["answers"]),
            "measure links": len(demo.rows["links"]), "audit entries": len(demo.rows["audits"]),
            "reports": len(reports)}
