"""Deciding from the queue (issue 23, point 2): what a card shows, messages naming the
items, 元に戻す, counts that agree, failed bulk actions that keep their ticks, linking
several proposals to one measure, overdue marked in 回答待ち."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from komoro_engage.accounts.models import Role
from komoro_engage.comments.services import add_comment
from komoro_engage.core import clock
from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from komoro_engage.media.models import Photo
from komoro_engage.moderation.models import Report
from komoro_engage.moderation.reports import report_item
from komoro_engage.plan.fiscal import fiscal_year_of
from komoro_engage.plan.models import District, Measure
from komoro_engage.plan.place_models import Landmark
from komoro_engage.proposals.lifecycle.links import link_measure
from komoro_engage.proposals.lifecycle.models import ProposalAnswer, ProposalMeasureLink
from komoro_engage.proposals.models import Proposal, ProposalPhoto, ProposalStatus
from komoro_engage.staff.cards import card_rows, excerpt, queue_proposals
from tests.factories import make_user
from tests.proposals.helpers import area, make_proposal

HTMX = {"HX-Request": "true"}


def staff_user(app, nickname="審査する職員"):
    with app.app_context():
        user = make_user(role=Role.STAFF, nickname=nickname)
        db.session.commit()
        return user


def add_photos(proposal: Proposal, n: int) -> None:
    for position in range(n):
        photo = Photo(key=secrets.token_urlsafe(16), thumb_key=secrets.token_urlsafe(16),
                      content_type="image/jpeg", width=10, height=10, byte_size=1,
                      thumb_width=10, thumb_height=10)
        db.session.add(photo)
        db.session.flush()
        db.session.add(ProposalPhoto(proposal_id=proposal.id, photo_id=photo.id,
                                     position=position))


def ticked(body: str, key: str) -> bool:
    tag = re.search(rf'<input type="checkbox"[^>]*value="{key}"[^>]*>', body)
    return bool(tag) and " checked" in tag.group(0)


def test_excerpt_keeps_the_first_lines_and_cuts_long_text():
    assert excerpt("一行目\n\n二行目\n三行目\n四行目") == "一行目\n二行目\n三行目…"
    assert excerpt("短い") == "短い"
    assert excerpt("あ" * 500).endswith("…") and len(excerpt("あ" * 500)) == 161
    assert excerpt(None) == ""


def test_pending_card_shows_text_area_place_photos_supports_and_history(app, login):
    with app.app_context():
        author = make_user(nickname="よく書く人")
        district = db.session.scalars(select(District).order_by(District.id)).first()
        card = make_proposal(author=author, status=ProposalStatus.PENDING,
                             title="審査される提案", district_id=district.id,
                             body="駅前の歩道が狭いです。\n朝は通学の子どもで混みます。\n"
                                  "拡幅してほしい。\n四行目は出ない。")
        add_photos(card, 2)
        earlier = make_proposal(author=author, title="前に出した提案")
        make_proposal(author=author, status=ProposalStatus.DRAFT)  # a draft is not counted
        report_item(make_user(), earlier, "spam")
        report_item(make_user(), add_comment(author, earlier, "宣伝です"), "abuse")
        db.session.commit()
        district_name, card_id = district.name, card.id
    body = login(staff_user(app)).get("/staff").get_data(as_text=True)
    item = body[body.index(f'id="item-proposal-{card_id}"'):]
    item = item[:item.index("</li>")]
    assert "駅前の歩道が狭いです。\n朝は通学の子どもで混みます。\n拡幅してほしい。…" in item
    assert "四行目" not in item
    assert 'class="tag"' in item and f"場所: {district_name}" in item
    assert "写真 2枚" in item and "賛同 0" in item
    assert "投稿者のこれまで: 提案 1件・投稿への通報 2件" in item


def test_each_page_of_cards_reads_its_own_facts(app):
    """The cards' statement is built once: each page's rows carry their own proposals' and
    authors' figures, never those of the page read first."""
    with app.app_context():
        quiet, busy = make_user(), make_user()
        first = make_proposal(author=quiet, status=ProposalStatus.PENDING)
        add_photos(first, 1)
        second = make_proposal(author=busy, status=ProposalStatus.PENDING)
        add_photos(second, 3)
        report_item(make_user(), make_proposal(author=busy), "spam")
        report_item(make_user(), add_comment(busy, second, "コメント"), "abuse")
        make_proposal(author=busy, status=ProposalStatus.DRAFT)  # drafts are not counted
        db.session.flush()

        def cards(*proposals):
            rows = db.session.execute(card_rows(Proposal.id.in_([p.id for p in proposals])))
            return {card.id: card.facts for card in queue_proposals(rows)}

        def figures(facts, proposal):
            fact = facts[proposal.id]
            return fact.photos, fact.other_proposals, fact.reports_against

        assert figures(cards(first), first) == (1, 0, 0)
        assert figures(cards(second), second) == (3, 1, 2)
        both = cards(second, first)
        assert (figures(both, first), figures(both, second)) == ((1, 0, 0), (3, 1, 2))
        db.session.rollback()


def grow(app, n: int) -> None:
    """``n`` pending proposals by different authors with photos and history, and ``n``
    reported proposals."""
    with app.app_context():
        district = db.session.scalars(select(District).order_by(District.id)).first()
        for i in range(n):
            author = make_user()
            make_proposal(author=author, title=f"前の提案{i}")
            pending = make_proposal(author=author, status=ProposalStatus.PENDING,
                                    district_id=district.id, areas=(1, 2))
            add_photos(pending, 1 + i % 3)
            report_item(make_user(), add_comment(author, pending, "コメント"), "abuse")
            reported = make_proposal(author=author)
            add_photos(reported, 1)
            report_item(make_user(), reported, "spam", "宣伝")
        db.session.commit()


def test_cards_cost_the_same_statements_at_any_page_size(app, login, count_queries,
                                                          monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 20)
    client = login(staff_user(app))
    grow(app, 2)
    counts = {}
    for url in ("/staff", "/staff?queue=reports"):
        count_queries.reset()
        assert client.get(url).status_code == 200
        counts[url] = count_queries.count
    grow(app, 15)
    for url in ("/staff", "/staff?queue=reports"):
        count_queries.reset()
        body = client.get(url).get_data(as_text=True)
        assert body.count("投稿者のこれまで") >= 10  # pending 17 cards, reports 10 of 20
        assert count_queries.count == counts[url], count_queries.statements
    # The person, the tabs' counts, the page of cards with their figures (issue 16: the
    # figures were three statements of their own); the reports queue reads its reports,
    # and the reported comments and statements (moderation's statements) beside the cards.
    assert counts["/staff"] <= 3, counts
    assert counts["/staff?queue=reports"] <= 7, counts


def test_heading_count_and_tab_count_are_one_number(app, login):
    with app.app_context():
        ids = [make_proposal(status=ProposalStatus.PENDING).id for _ in range(3)]
        db.session.commit()
    client = login(staff_user(app))
    page = client.get("/staff").get_data(as_text=True)
    assert '<span id="queue-count">3</span>' in page
    assert re.search(r'aria-current="page">審査待ち <span class="counts">3</span>', page)
    # An inline action re-sends the heading's count with the tabs (it stayed at 3 before).
    done = client.post("/staff/actions", headers=HTMX, data={
        "targets": f"proposal:{ids[0]}", "inline": "1", "action": "approve",
        "queue": "pending"}).get_data(as_text=True)
    assert '<span id="queue-count" hx-swap-oob="true">2</span>' in done
    assert '審査待ち <span class="counts">2</span>' in done


def test_messages_name_the_items_and_cap_the_list(app, login):
    with app.app_context():
        ids = [make_proposal(status=ProposalStatus.PENDING, title=f"まとめて送る提案{i}").id
               for i in range(7)]
        db.session.commit()
    client = login(staff_user(app))
    response = client.post("/staff/actions", data={
        "targets": [f"proposal:{i}" for i in ids], "action": "send_back",
        "reason": "写真を差し替えてください", "queue": "pending"}, follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "「まとめて送る提案0」、「まとめて送る提案1」" in body
    assert "「まとめて送る提案4」 ほか2件を差し戻しました。" in body
    assert "まとめて送る提案5" not in body


def test_a_bulk_action_that_left_items_keeps_ticks_action_and_reason(app, login):
    with app.app_context():
        shown = make_proposal(title="公開中の通報された提案")
        hidden = make_proposal(title="非表示の通報された提案")
        for proposal in (shown, hidden):
            report_item(make_user(), proposal, "spam")
        hidden.status, hidden.status_before_hidden = ProposalStatus.HIDDEN, "published"
        db.session.commit()
        shown_key, hidden_key = f"proposal:{shown.id}", f"proposal:{hidden.id}"
        shown_id, hidden_id = shown.id, hidden.id
    client = login(staff_user(app))
    # A validation error keeps every tick.
    refused = client.post("/staff/actions", data={
        "targets": [shown_key, hidden_key], "action": "restore", "reason": "",
        "queue": "reports"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "理由が必要" in body
    assert ticked(body, shown_key) and ticked(body, hidden_key)
    # Restoring one that is not hidden is left: said next to it and in the summary.
    response = client.post("/staff/actions", data={
        "targets": [shown_key, hidden_key], "action": "restore", "reason": "誤った通報",
        "queue": "reports"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    summary = body[body.index('role="alert" id="bulk-summary"'):]
    summary = summary[:summary.index("</div>")]
    assert "1件は処理できませんでした" in summary and "「公開中の通報された提案」" in summary
    assert "状態が変わっていた" in summary
    assert ticked(body, shown_key) and f'id="pick-error-proposal-{shown_id}"' in body
    assert '<option value="restore" selected>' in body and ">誤った通報</textarea>" in body
    assert "「非表示の通報された提案」を再表示しました。" in body  # what was done is said
    with app.app_context():  # and kept
        assert db.session.get(Proposal, hidden_id).status == ProposalStatus.PUBLISHED


def test_a_hide_can_be_taken_back_for_five_minutes(app, login):
    with app.app_context():
        proposal = make_proposal(title="隠してから戻す提案")
        report_item(make_user(), proposal, "spam")
        db.session.commit()
        key, proposal_id = f"proposal:{proposal.id}", proposal.id
    client = login(staff_user(app))
    hidden = client.post("/staff/actions", data={
        "targets": key, "action": "hide", "reason": "確認のため", "queue": "reports"},
        follow_redirects=True).get_data(as_text=True)
    assert "「隠してから戻す提案」を非表示にしました。" in hidden and "元に戻す" in hidden
    token = re.search(r'name="token" value="([^"]+)"', hidden).group(1)
    # Someone else cannot use it.
    other = login(staff_user(app, "別の職員"))
    assert "元に戻せませんでした" in other.post("/staff/actions/undo", data={
        "token": token, "queue": "reports"}, follow_redirects=True).get_data(as_text=True)
    back = client.post("/staff/actions/undo", data={"token": token, "queue": "reports"},
                       follow_redirects=True).get_data(as_text=True)
    assert "「隠してから戻す提案」を元に戻しました。" in back
    assert 'name="token"' not in back  # used
    with app.app_context():
        assert db.session.get(Proposal, proposal_id).status == ProposalStatus.PUBLISHED
        assert db.session.scalar(select(func.count()).select_from(Report).where(
            Report.target_id == proposal_id, Report.resolved_at.is_(None))) == 1
        undone = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "console.undone", AuditEntry.target_id == proposal_id)).all()
        assert len(undone) == 1 and undone[0].after == {"reopened_reports": 1}
    # A second time: the item changed since (the undo itself is newer).
    again = client.post("/staff/actions/undo", data={"token": token, "queue": "reports"},
                        follow_redirects=True).get_data(as_text=True)
    assert "元に戻せません" in again


def test_undo_expires_and_approving_offers_none(app, login):
    with app.app_context():
        first = make_proposal(status=ProposalStatus.PENDING, title="期限のある取り消し")
        second = make_proposal(status=ProposalStatus.PENDING, title="承認は戻せない")
        db.session.commit()
        first_id, second_id = first.id, second.id
    client = login(staff_user(app))
    page = client.post("/staff/actions", data={
        "targets": f"proposal:{first_id}", "action": "hide", "reason": "重複",
        "queue": "pending"}, follow_redirects=True).get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    with clock.freeze(datetime.now(UTC) + timedelta(minutes=6)):
        late = client.post("/staff/actions/undo", data={"token": token, "queue": "pending"},
                           follow_redirects=True).get_data(as_text=True)
    assert "5分）が過ぎました" in late
    approved = client.post("/staff/actions", headers=HTMX, data={
        "targets": f"proposal:{second_id}", "inline": "1", "action": "approve",
        "queue": "pending"}).get_data(as_text=True)
    assert "「承認は戻せない」を承認して公開しました。" in approved and "元に戻す" not in approved
    with app.app_context():
        assert db.session.get(Proposal, first_id).status == ProposalStatus.HIDDEN


def waiting(title: str, late: bool = False) -> Proposal:
    now = datetime.now(UTC)
    proposal = make_proposal(status=ProposalStatus.UNDER_REVIEW, title=title)
    db.session.add(ProposalAnswer(proposal_id=proposal.id, review_started_at=now,
                                  deadline_at=now + timedelta(days=-3 if late else 20)))
    return proposal


def test_answer_queue_marks_overdue_in_words(app, login):
    with app.app_context():
        on_time, late = waiting("期限内の提案").id, waiting("期限を過ぎた提案", late=True).id
        db.session.commit()
    body = login(staff_user(app)).get("/staff?queue=threshold").get_data(as_text=True)
    late_item = body[body.index(f'id="item-proposal-{late}"'):]
    on_time_item = body[body.index(f'id="item-proposal-{on_time}"'):]
    assert "期限切れ（3日超過）" in late_item[:late_item.index("</li>")]
    assert "期限切れ" not in on_time_item[:on_time_item.index("</li>")]


def test_answer_queue_cards_speak_the_readers_language(app, login):
    """The cards' words are translated once per page (staff/blueprint.py item_words) and
    filled in per card: each card keeps its own figures, in either language."""
    with app.app_context():
        late = waiting("言葉を確かめる提案", late=True).id
        db.session.commit()
    client = login(staff_user(app))

    def card(body):
        item = body[body.index(f'id="item-proposal-{late}"'):]
        return item[:item.index("</li>")]

    japanese = card(client.get("/staff?queue=threshold").get_data(as_text=True))
    assert "期限切れ（3日超過）" in japanese and "賛同 0" in japanese
    assert "検討開始 " in japanese and "回答期限 " in japanese
    assert ">回答する<" in japanese and ">施策に紐付ける<" in japanese
    client.set_cookie("lang", "en")
    english = card(client.get("/staff?queue=threshold").get_data(as_text=True))
    assert "Review started " in english and ">Answer<" in english
    assert ">Link to a measure<" in english and "回答する" not in english


def test_ticked_proposals_link_to_one_measure_with_one_reason(app, login):
    with app.app_context():
        staff = make_user(role=Role.STAFF)
        measure = db.session.scalars(select(Measure).order_by(Measure.sort_key)).first()
        first, second = waiting("まとめて紐付ける一"), waiting("まとめて紐付ける二")
        linked = waiting("もう紐付いている")
        year = fiscal_year_of(clock.now())
        link_measure(staff, linked, measure, year, "前に紐付け")
        db.session.commit()
        code, measure_id = measure.code, measure.id
        first, second, linked = first.id, second.id, linked.id
    client = login(staff_user(app))
    page = client.get("/staff?queue=threshold").get_data(as_text=True)
    assert 'id="bulk-link"' in page and f'form="bulk-link" name="targets" ' \
        f'value="proposal:{first}"' in page
    keys = [f"proposal:{ident}" for ident in (first, second, linked)]
    missing = client.post("/staff/links/bulk", data={
        "targets": keys, "measure": str(measure_id), "fiscal_year": str(year), "note": "",
        "queue": "threshold"})
    body = missing.get_data(as_text=True)
    assert missing.status_code == 422 and "紐付けの理由を入力してください。" in body
    assert all(ticked(body, key) for key in keys)
    done = client.post("/staff/links/bulk", data={
        "targets": keys, "measure": str(measure_id), "fiscal_year": str(year),
        "note": "通学路の安全に関わるため", "queue": "threshold"})
    body = done.get_data(as_text=True)
    assert done.status_code == 200  # one was left: said, and what was done is kept
    assert f"「まとめて紐付ける一」、「まとめて紐付ける二」を施策 {code} に紐付けました。" in body
    assert "「もう紐付いている」" in body and "すでに紐付いています" in body
    with app.app_context():
        links = db.session.scalars(select(ProposalMeasureLink).where(
            ProposalMeasureLink.measure_id == measure_id,
            ProposalMeasureLink.unlinked_at.is_(None))).all()
        assert {link.proposal_id for link in links} == {first, second, linked}
        assert {link.note for link in links if link.proposal_id != linked} == {
            "通学路の安全に関わるため"}
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "proposal.measure_linked",
            AuditEntry.target_id.in_([first, second]))) == 2
    # All new: a redirect back to the queue.
    with app.app_context():
        third = waiting("三つ目").id
        db.session.commit()
    again = client.post("/staff/links/bulk", data={
        "targets": [f"proposal:{third}"], "measure": str(measure_id),
        "fiscal_year": str(year), "note": "同じ理由", "queue": "threshold"})
    assert again.status_code == 302 and again.headers["Location"].endswith(
        "/staff?queue=threshold")


def test_a_reported_proposals_card_names_its_areas_place_and_author(app, login):
    """The queue's proposals are read as plain rows (staff/cards.py card_rows): the card
    still names each thing a Proposal object gave it."""
    with app.app_context():
        author = make_user(nickname="通報された投稿者")
        station = db.session.scalars(
            select(Landmark).where(Landmark.key == "hirahara-station")).one()
        proposal = make_proposal(author=author, title="通報された場所の提案", areas=(3, 1),
                                 landmark=station)
        report_item(make_user(), proposal, "spam")
        admin = make_user(role=Role.ADMIN)
        db.session.commit()
        place = " ".join(filter(None, (proposal.district.name,
                                       proposal.ku.name if proposal.ku else None)))
        names = area(1).name, area(3).name
        english = (area(1).name_en, area(3).name_en, proposal.district.name_en, station.name_en)
        card_id, author_id, landmark_name = proposal.id, author.id, station.name
    client = login(admin)
    body = client.get("/staff?queue=reports").get_data(as_text=True)
    item = body[body.index(f'id="item-proposal-{card_id}"'):]
    item = item[:item.index("</li>")]
    assert "通報された場所の提案" in item
    assert item.index(names[0]) < item.index(names[1])  # in plan order
    assert f"場所: {place}（{landmark_name}）" in item
    assert "通報された投稿者" in item and f"/staff/users/{author_id}/suspend" in item
    # In English the same card names them as the plan does in English.
    assert all(english)
    client.set_cookie("lang", "en")
    body = client.get("/staff?queue=reports").get_data(as_text=True)
    item = body[body.index(f'id="item-proposal-{card_id}"'):]
    item = item[:item.index("</li>")]
    assert item.index(f'<span class="tag">{english[0]}</span>') < item.index(
        f'<span class="tag">{english[1]}</span>')
    assert f"{english[2]}" in item and f"（{english[3]}）" in item and landmark_name not in item
