"""The 市民の声の地図 pages: sources, the command, the public pages, staff's names and refresh."""

import pytest
from sqlalchemy import insert, select

from bench.text_map import planted_texts
from komoro_engage.comments.services import add_comment
from komoro_engage.core import clock
from komoro_engage.core.audit import AuditEntry
from komoro_engage.core.text_sources import links_for, texts_for
from komoro_engage.extensions import db
from komoro_engage.plan.fiscal import fiscal_year_of
from komoro_engage.plan.models import Measure
from komoro_engage.proposals.lifecycle.models import ProposalMeasureLink
from komoro_engage.proposals.models import ProposalStatus
from komoro_engage.search import text_map_store
from komoro_engage.search.models import TextMapLabel, TextMapSnapshot
from tests.factories import make_user
from tests.proposals.helpers import make_proposal

TOPICS = {"除雪": ["除雪", "積雪", "凍結", "除雪車", "雪道", "融雪剤", "吹雪"],
          "子育て": ["子育て", "保育園", "児童館", "授乳室", "乳幼児", "保育士", "託児"],
          "公共交通": ["バス", "路線", "時刻表", "乗り換え", "運転手", "停留所", "運賃"]}


def grow(app, count=36, seed=1, hidden=0):
    """Public proposals about planted topics, linked to the first measure; some hidden."""
    with app.app_context():
        author = make_user()
        measure = db.session.scalars(select(Measure).order_by(Measure.id)).first()
        ids = []
        for n, (_, _, body) in enumerate(planted_texts(count + hidden, seed, TOPICS)):
            status = ProposalStatus.HIDDEN if n < hidden else ProposalStatus.PUBLISHED
            proposal = make_proposal(author, status=status, title=body[:20], body=body)
            db.session.execute(insert(ProposalMeasureLink).values(
                fiscal_year=2026, proposal_id=proposal.id, measure_id=measure.id))
            ids.append(proposal.id)
        db.session.commit()
        return measure.id, ids


def test_sources_give_only_public_texts_and_links_only_public_ones(app, ctx):
    measure_id, ids = grow(app, count=8, hidden=2)
    proposal = db.session.get(type(make_proposal()), ids[-1])
    shown = add_comment(make_user(), proposal, "除雪の回数を増やしてください", None)
    gone = add_comment(make_user(), proposal, "消されたコメント", None)
    gone.deleted_at = clock.now()
    db.session.flush()
    keys = {t.key for t in texts_for(f"measure:{measure_id}")}
    assert keys == {f"proposal:{i}" for i in ids[2:]} | {f"comment:{shown.id}"}
    year = {t.key for t in texts_for(f"year:{fiscal_year_of(clock.now())}")}
    assert keys <= year and f"proposal:{ids[0]}" not in year
    with app.test_request_context():
        links = links_for([f"proposal:{ids[0]}", f"proposal:{ids[2]}", f"comment:{gone.id}",
                           f"comment:{shown.id}", "nonsense", "proposal:x"])
    assert set(links) == {f"proposal:{ids[2]}", f"comment:{shown.id}"}
    assert links[f"comment:{shown.id}"].url.endswith(f"#comment-{shown.id}")
    assert texts_for("measure:abc") == [] and texts_for("year:99999999") == []


def test_command_stores_snapshots_and_the_page_shows_clusters(app, client, runner):
    measure_id, ids = grow(app)
    assert client.get(f"/voices/measures/{measure_id}").status_code == 200
    assert "まだ集計されていません" in client.get(f"/voices/measures/{measure_id}").text
    result = runner.invoke(args=["komoro", "map-texts"])
    assert result.exit_code == 0, result.output
    assert f"measure:{measure_id}: 36 text(s), 3 cluster(s)" in result.output
    page = client.get(f"/voices/measures/{measure_id}").text
    assert "集計日時" in page and "36件の声を3個のテーマに分けました" in page
    assert "除雪" in page and page.count('href="/proposals/') >= 9  # three texts a theme
    assert "名前を変える" not in page and "再集計を依頼する" not in page
    year = client.get(f"/voices/years/{fiscal_year_of(clock.now())}")
    assert year.status_code == 200 and "テーマに分けました" in year.text
    result = runner.invoke(args=["komoro", "map-texts", "--scope", "bogus:1"])
    assert result.exit_code != 0


def test_staff_rename_survives_recomputation_and_refresh_is_requested(app, client, login,
                                                                      runner):
    measure_id, _ = grow(app)
    runner.invoke(args=["komoro", "map-texts", "--scope", f"measure:{measure_id}"])
    with app.app_context():
        staff = make_user(role="staff")
        db.session.commit()
        snapshot = text_map_store.snapshot_of(f"measure:{measure_id}")
        key = snapshot.payload["clusters"][0]["key"]
    desk = login(staff)
    url = f"/voices/measure/{measure_id}/clusters/{key}/label"
    assert desk.get(url).status_code == 200
    empty = desk.post(url, data={"label": "  "})
    assert empty.status_code == 422 and "テーマの名前を入力してください" in empty.text
    long = desk.post(url, data={"label": "長" * 41})
    assert long.status_code == 422 and "40文字以内" in long.text and "長" * 41 in long.text
    assert desk.post(url, data={"label": "冬の道"}).status_code == 302
    assert "冬の道" in client.get(f"/voices/measures/{measure_id}").text
    grow(app, count=3, seed=5)
    runner.invoke(args=["komoro", "map-texts", "--scope", f"measure:{measure_id}"])
    assert "冬の道" in client.get(f"/voices/measures/{measure_id}").text
    assert desk.post(f"/voices/measure/{measure_id}/refresh").status_code == 302
    with app.app_context():
        assert text_map_store.requested_scopes() == [f"measure:{measure_id}"]
        actions = set(db.session.scalars(select(AuditEntry.action)))
        assert {"text_map.cluster_renamed", "text_map.refresh_requested"} <= actions
    assert desk.get(f"/voices/measure/{measure_id}/clusters/c999/label").status_code == 404
    assert desk.get(f"/voices/measure/{measure_id}/clusters/x'/label").status_code == 404


def test_vanished_cluster_loses_its_stored_label(app, ctx):
    measure_id, ids = grow(app)
    scope = f"measure:{measure_id}"
    first = text_map_store.compute_map(scope)
    staff = make_user(role="staff")
    for cluster in first.top():
        text_map_store.rename_cluster(staff, scope, cluster.key, cluster.words[0])
    db.session.execute(TextMapLabel.__table__.insert().values(
        scope=scope, cluster_key="c77", label="古い名前", set_at=clock.now()))
    second = text_map_store.compute_map(scope)
    assert {c.key for c in second.top()} == {c.key for c in first.top()}
    assert "c77" not in text_map_store.labels_of(scope)
    assert db.session.scalar(select(TextMapSnapshot.requested_at)) is None


@pytest.mark.parametrize("signed_in", [False, True])
def test_map_page_queries_do_not_grow(app, client, login, runner, count_queries, signed_in):
    measure_id, _ = grow(app, count=12)
    runner.invoke(args=["komoro", "map-texts", "--scope", f"measure:{measure_id}"])
    with app.app_context():
        reader = make_user()
        db.session.commit()
    viewer = login(reader) if signed_in else client
    url = f"/voices/measures/{measure_id}"
    before = count_queries.of_get(viewer, url)
    grow(app, count=60, seed=2)
    with app.app_context():
        comment_on = db.session.scalars(select(ProposalMeasureLink.proposal_id)).first()
    runner.invoke(args=["komoro", "map-texts", "--scope", f"measure:{measure_id}"])
    after = count_queries.of_get(viewer, url)
    assert before == after, count_queries.statements
    assert after <= (9 if signed_in else 7), count_queries.statements
    assert comment_on


def test_account_deletion_scrubs_maps_and_asks_for_a_recomputation(app, ctx):
    from komoro_engage.accounts.erasure import delete_account

    measure_id, ids = grow(app)
    author = db.session.get(type(make_user()), db.session.get(
        type(make_proposal()), ids[0]).author_id)
    text_map_store.compute_map(f"measure:{measure_id}")
    snapshot = text_map_store.snapshot_of(f"measure:{measure_id}")
    words = dict(snapshot.payload)
    nickname = author.nickname
    words["clusters"][0]["words"] = [nickname, "除雪"]
    snapshot.payload = words
    db.session.flush()
    delete_account(author, remove_posts=True)
    snapshot = text_map_store.snapshot_of(f"measure:{measure_id}")
    assert nickname not in str(snapshot.payload) and snapshot.requested_at is not None


def test_comments_on_public_projects_of_the_measure_are_texts(app, ctx):
    from komoro_engage.projects.models import ProjectReview, project_measure
    from tests.projects.helpers import make_project

    measure = db.session.scalars(select(Measure).order_by(Measure.id)).first()
    public, waiting = make_project(), make_project()
    waiting.review = ProjectReview.PENDING
    for project in (public, waiting):
        db.session.execute(insert(project_measure).values(project_id=project.id,
                                                          measure_id=measure.id))
    said = add_comment(make_user(), public, "バスの本数を増やしてほしい", None)
    unseen = add_comment(make_user(), waiting, "審査待ちへのコメント", None)
    db.session.flush()
    keys = {t.key for t in texts_for(f"measure:{measure.id}")}
    assert f"project_comment:{said.id}" in keys and f"project_comment:{unseen.id}" not in keys
    with app.test_request_context():
        links = links_for([f"project_comment:{said.id}", f"project_comment:{unseen.id}"])
    assert list(links) == [f"project_comment:{said.id}"]
    assert links[f"project_comment:{said.id}"].url == f"/projects/{public.id}#comment-{said.id}"
