"""Erasure that really erases: after an account deletion, scan every column of every table.

A person writes every kind of text the app lets them write, each with its own
marker; some of it they edit or delete before they go. After the deletion every
table is reflected from the database itself (so a column added tomorrow is
scanned too) and every text or JSON value of every row is searched for the
markers, the email addresses, the nickname and the real name.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import MetaData, func, select

from komoro_engage.accounts.erasure import delete_account
from komoro_engage.accounts.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Role,
    User,
)
from komoro_engage.accounts.organisations import (
    register_organisation,
    request_to_join,
    set_member_role,
)
from komoro_engage.accounts.services import request_email_change, update_profile
from komoro_engage.accounts.stewardship import managerless_organisations
from komoro_engage.comments.services import add_comment, delete_comment, edit_comment
from komoro_engage.core import clock
from komoro_engage.core.audit import AuditEntry
from komoro_engage.core.clock import JAPAN
from komoro_engage.core.page_cache import EXTENSION, HEADER, PageCache
from komoro_engage.extensions import db
from komoro_engage.media.services import photo_file, store_photo
from komoro_engage.moderation.reports import report_item
from komoro_engage.projects.activities import (
    DayData,
    ReportData,
    file_report,
    save_activity_day,
    send_reminders,
)
from komoro_engage.projects.membership import join_project, rsvp
from komoro_engage.projects.messages import MessageData, send_message
from komoro_engage.projects.services import (
    ProjectData,
    change_status,
    create_project,
    request_partnership,
    update_project,
)
from komoro_engage.proposals.models import ProposalPhoto
from komoro_engage.proposals.services import (
    ProposalData,
    approve_proposal,
    save_proposal,
    submit_proposal,
)
from komoro_engage.search.models import SearchGram
from komoro_engage.search.services import matching_ids
from tests.factories import make_user
from tests.media.images import phone_jpeg, upload
from tests.projects.helpers import make_project
from tests.proposals.helpers import area, make_proposal


@dataclass
class Seeded:
    person_id: int
    personal: list[str]  # email, new email, nickname, real name
    texts: dict[str, str] = field(default_factory=dict)  # where → marker
    overwritten: list[str] = field(default_factory=list)  # edited away before the deletion
    photo_paths: list[Path] = field(default_factory=list)
    proposal_id: int = 0
    shared_organisation_id: int = 0
    own_organisation_id: int = 0


def _marker(where: str) -> str:
    # Letters and digits only: one search "run", so the index can be asked for it too.
    return f"zq{where}{secrets.token_hex(5)}"


def _photo(user: User, seeded: Seeded):
    photo = store_photo(upload(phone_jpeg()), user)
    seeded.photo_paths += [photo_file(photo)[0], photo_file(photo, thumbnail=True)[0]]
    return photo


def _writes_everything() -> Seeded:
    """The person writes, edits and deletes; neighbours answer, so copies of their words
    land in other people's notifications and mails. Run in a request context."""
    person = make_user(nickname=f"消える人{_marker('nick')}",
                       email=f"{_marker('mail')}@example.jp",
                       real_name=f"小諸{_marker('realname')}")
    new_email = f"{_marker('newmail')}@example.jp"
    seeded = Seeded(person.id, [person.email, new_email, person.nickname, person.real_name])

    def m(where: str) -> str:
        """A marker for a text that is still there when the person deletes the account."""
        seeded.texts[where] = _marker(where)
        return seeded.texts[where]

    def old(where: str) -> str:
        """A marker for a text the person replaces before they go."""
        seeded.overwritten.append(_marker(where))
        return seeded.overwritten[-1]

    neighbour, other, staff = make_user(), make_user(), make_user(Role.STAFF)
    update_profile(person, nickname=person.nickname, district_id=None, age_band="30s")
    request_email_change(person, new_email)

    # Organisations: one of their own; one of a neighbour's that they end up running alone.
    own = register_organisation(person, name=m("orgname"), kind="community_group",
                                district_id=None, description=m("orgdesc"))
    shared = register_organisation(neighbour, name="千曲川の会", kind="community_group",
                                   district_id=None, description="川の清掃")
    joined = request_to_join(person, shared)
    joined.status = MembershipStatus.ACTIVE
    set_member_role(joined, MembershipRole.MANAGER)
    set_member_role(db.session.scalar(select(Membership).filter_by(
        organisation_id=shared.id, user_id=neighbour.id)), MembershipRole.MEMBER)
    seeded.own_organisation_id, seeded.shared_organisation_id = own.id, shared.id

    # Proposals: one published with a photo, one left as a draft.
    proposal = save_proposal(person, ProposalData(
        title=m("proptitle"), body=m("propbody"), kind="idea", policy_area_ids=[area(1).id]))
    db.session.add(ProposalPhoto(proposal=proposal, photo=_photo(person, seeded), position=0))
    submit_proposal(proposal)
    approve_proposal(staff, proposal)
    save_proposal(person, ProposalData(
        title=m("drafttitle"), body=m("draftbody"), kind="idea", policy_area_ids=[area(1).id]))
    seeded.proposal_id = proposal.id

    # Comments: edited, deleted, a reply; a neighbour's reply under their proposal.
    theirs = make_proposal(neighbour, title="公園のベンチ")
    edit_comment(add_comment(person, theirs, old("comment")), m("commentedited"), None)
    delete_comment(add_comment(person, theirs, m("commentdeleted")))
    neighbour_comment = add_comment(neighbour, theirs, "ベンチは木製がいいです")
    add_comment(person, theirs, m("reply"), parent=neighbour_comment)
    under_theirs = add_comment(other, proposal, "賛成です")
    add_comment(neighbour, proposal, "私も", parent=under_theirs)  # quotes the title to `other`
    report_item(person, theirs, "other", detail=m("reportdetail"))

    # Projects: one they created for their organisation, with a day, a report, a reason.
    project = create_project(person, ProjectData(
        title=old("projtitle"), summary=m("projsummary"), description=m("projdesc"),
        help_wanted=m("projhelp"), lead_organisation_id=own.id, policy_area_ids=[area(1).id]))
    update_project(person, project, ProjectData(
        title=m("projtitle"), summary=project.summary, description=project.description,
        help_wanted=project.help_wanted, lead_organisation_id=own.id,
        policy_area_ids=[area(1).id]))
    change_status(person, project, "open_recruiting", reason=m("statusreason"))
    tomorrow = clock.now().astimezone(JAPAN).date() + timedelta(days=1)
    day = save_activity_day(person, project, DayData(
        day=tomorrow, start=time(9), end=time(12), title=m("daytitle"), place=m("dayplace")))
    join_project(neighbour, project)
    rsvp(neighbour, day)
    send_reminders()  # the neighbour's reminder quotes the day's title
    file_report(person, project, ReportData(body=m("reportbody"), is_completion=True,
                                            outcomes=m("outcomes")),
                photos=[_photo(person, seeded)])
    add_comment(person, project, m("projcomment"))
    send_message(person, project, MessageData(  # 主催者からのお知らせ: copied to the neighbour
        ["members"], m("msgsubject"), m("msgbody"), "erasure-scan-message"))

    # Someone else's project: they ask to partner, and join with a message.
    elsewhere = make_project(neighbour)
    request_partnership(person, elsewhere, own, "cooperation", message=m("partnermsg"))
    join_project(person, elsewhere, message=m("joinmsg"))
    db.session.flush()
    return seeded


def _as_text(value) -> str:
    """A column value as searchable text: JSON (escaped on disk) is decoded first."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    text = str(value)
    if text[:1] in "[{":
        try:
            return text + json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    return text


def scan(needles: list[str]) -> dict[str, set[str]]:
    """Where each needle occurs: ``{"table.column": {needle, …}}`` over every table the
    database has (reflected, not taken from the models)."""
    connection = db.session.connection()
    metadata = MetaData()
    metadata.reflect(bind=connection)
    folded = {needle: needle.casefold() for needle in needles}
    found: dict[str, set[str]] = {}
    # By name: the order does not matter here, and a pair of tables that refer to each
    # other (a survey's questions and options) has no dependency order.
    for _name, table in sorted(metadata.tables.items()):
        for row in connection.execute(select(table)).mappings():
            for column, value in row.items():
                if value is None or isinstance(value, (int, float, bool)):
                    continue
                text = _as_text(value).casefold()
                hits = {needle for needle, low in folded.items() if low in text}
                if hits:
                    found.setdefault(f"{table.name}.{column}", set()).update(hits)
    return found


def _search_finds(markers) -> list[str]:
    kinds = db.session.scalars(select(SearchGram.kind).distinct()).all()
    return [marker for marker in markers for kind in kinds
            if db.session.scalars(matching_ids(kind, marker)).first() is not None]


def _seed(app) -> Seeded:
    with app.test_request_context():
        seeded = _writes_everything()
        db.session.commit()
        return seeded


def _delete(app, seeded: Seeded, remove: bool) -> int:
    with app.app_context():
        audit_rows = db.session.scalar(select(func.count()).select_from(AuditEntry))
        delete_account(db.session.get(User, seeded.person_id), remove_posts=remove)
        db.session.commit()
        return audit_rows


def test_the_world_holds_every_marker_and_copies_before_the_deletion(app):
    seeded = _seed(app)
    with app.app_context():
        found = scan([*seeded.texts.values(), *seeded.personal])
        where = {needle for hits in found.values() for needle in hits}
        assert set(seeded.texts.values()) | set(seeded.personal) <= where
        assert scan(seeded.overwritten) == {}  # an edit keeps no copy of the old words
        # The copies the erasure has to find: the nickname in a neighbour's reply
        # notification and mail, the proposal's title in another's, the day's title.
        assert seeded.personal[2] in found["notification.params"]
        assert seeded.texts["proptitle"] in found["notification.params"]
        assert seeded.texts["daytitle"] in found["notification.params"]
        assert seeded.personal[2] in found["outbox_mail.body"]
        assert all(path.exists() for path in seeded.photo_paths)
        assert set(_search_finds([seeded.texts["proptitle"], seeded.texts["projdesc"]])) == {
            seeded.texts["proptitle"], seeded.texts["projdesc"]}


def test_remove_leaves_no_trace_in_any_table_index_or_file(app, login):
    seeded = _seed(app)
    audit_before = _delete(app, seeded, remove=True)
    with app.app_context():
        needles = [*seeded.texts.values(), *seeded.overwritten, *seeded.personal]
        assert scan(needles) == {}
        assert _search_finds(seeded.texts.values()) == []
        assert not any(path.exists() for path in seeded.photo_paths)
        # The audit log keeps every entry; they name the person by id only.
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) >= audit_before
        assert db.session.scalar(select(AuditEntry.id).where(
            AuditEntry.actor_id == seeded.person_id).limit(1)) is not None
        staff = make_user(Role.STAFF)
        db.session.commit()
    log = login(staff).get(f"/admin/audit?actor={seeded.person_id}").get_data(as_text=True)
    assert "退会したユーザー" in log


def test_keep_leaves_the_texts_under_the_neutral_name_and_nothing_personal(app, client):
    seeded = _seed(app)
    _delete(app, seeded, remove=False)
    with app.app_context():
        assert scan(seeded.personal) == {}
        found = scan(list(seeded.texts.values()))
        kept = {needle for hits in found.values() for needle in hits}
        for where in set(seeded.texts) - {"joinmsg"}:  # leaving the project takes the message
            assert seeded.texts[where] in kept, where
    page = client.get(f"/proposals/{seeded.proposal_id}").get_data(as_text=True)
    assert seeded.texts["proptitle"] in page and "退会したユーザー" in page


@pytest.mark.parametrize("remove", [True, False])
def test_organisations_left_without_a_manager_wait_for_the_staff(app, remove):
    seeded = _seed(app)
    _delete(app, seeded, remove=remove)
    with app.app_context():
        waiting = {org.id for org in db.session.scalars(managerless_organisations())}
        assert {seeded.shared_organisation_id, seeded.own_organisation_id} <= waiting


def test_pages_kept_for_visitors_drop_the_nickname_at_once(app, monkeypatch):
    monkeypatch.setitem(app.extensions, EXTENSION, PageCache(seconds=60,
                                                             max_bytes=4 * 1024 * 1024))
    with app.app_context():
        author = make_user(nickname="ページに載る人")
        proposal_id, author_id = make_proposal(author, title="駅前の花壇").id, author.id
        db.session.commit()
    visitor = app.test_client()
    assert "ページに載る人" in visitor.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert visitor.get(f"/proposals/{proposal_id}").headers[HEADER] == "hit"
    with app.app_context():
        delete_account(db.session.get(User, author_id), remove_posts=False)
        db.session.commit()
    response = visitor.get(f"/proposals/{proposal_id}")
    html = response.get_data(as_text=True)
    assert response.headers[HEADER] == "miss"
    assert "ページに載る人" not in html and "退会したユーザー" in html
