"""The public list: filters, sorts, search, paging, htmx fragments, and only public data."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from komoro_engage.accounts.models import Role
from komoro_engage.extensions import db
from komoro_engage.plan.models import Measure, PriorityItem
from komoro_engage.proposals.lifecycle.models import ProposalMeasureLink
from komoro_engage.proposals.models import Proposal, ProposalStatus, proposal_priority_item
from komoro_engage.proposals.services import hide_proposal, withdraw_proposal
from tests.factories import make_user
from tests.proposals.helpers import district, make_proposal

BASE = datetime(2026, 5, 1, tzinfo=UTC)


def titles(html: str, names: list[str]) -> list[str]:
    """The given titles in the order they appear on the page."""
    found = [(html.find(name), name) for name in names if name in html]
    return [name for _position, name in sorted(found)]


@pytest.fixture
def sample(app):
    """Five public proposals with distinct traits, plus ones the public must not see."""
    with app.app_context():
        author = make_user()
        kita = district()
        item = db.session.scalars(select(PriorityItem)).first()
        measure = db.session.scalars(select(Measure)).first()
        rows = {
            "公園の除雪を早めてほしい": dict(areas=(1,), support_count=5, comment_count=1,
                                          published_at=BASE, last_activity_at=BASE),
            "空家を子育て世帯の住まいに": dict(areas=(2,), support_count=9, comment_count=0,
                                          published_at=BASE + timedelta(days=1),
                                          last_activity_at=BASE + timedelta(days=9),
                                          district_id=kita.id),
            "ＡＢＣ体操を駅前広場で": dict(areas=(3,), support_count=1, comment_count=7,
                                          published_at=BASE + timedelta(days=2),
                                          last_activity_at=BASE + timedelta(days=2),
                                          kind="collaboration"),
            "懐古園の桜を守る会をつくる": dict(areas=(1, 3), status=ProposalStatus.ADOPTED,
                                          support_count=2, comment_count=2,
                                          published_at=BASE + timedelta(days=3),
                                          last_activity_at=BASE + timedelta(days=3)),
            "子育て広場を増やす７つの案": dict(areas=(4,), support_count=0, comment_count=0,
                                          published_at=BASE + timedelta(days=4),
                                          last_activity_at=BASE + timedelta(days=4)),
        }
        ids = {title: make_proposal(author, title=title, body="よろしくお願いします。", **fields).id
               for title, fields in rows.items()}
        make_proposal(author, title="下書きの秘密の公園案", status=ProposalStatus.DRAFT)
        make_proposal(author, title="審査待ちの秘密の公園案", status=ProposalStatus.PENDING)
        db.session.execute(insert(proposal_priority_item).values(
            proposal_id=ids["空家を子育て世帯の住まいに"], priority_item_id=item.id))
        db.session.execute(insert(ProposalMeasureLink).values(fiscal_year=2026,
            proposal_id=ids["ＡＢＣ体操を駅前広場で"], measure_id=measure.id))
        db.session.commit()
        return {"titles": list(rows), "ids": ids, "district": kita.id, "item": item.id,
                "measure": measure.id}


def page(client, query=""):
    response = client.get(f"/proposals{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_default_is_newest_first_and_public_only(client, sample):
    html = page(client)
    assert titles(html, sample["titles"]) == list(reversed(sample["titles"]))
    assert "秘密" not in html and "5件の提案" in html


@pytest.mark.parametrize(("sort", "first"), [
    ("supported", "空家を子育て世帯の住まいに"),
    ("discussed", "ＡＢＣ体操を駅前広場で"),
    ("active", "空家を子育て世帯の住まいに"),
    ("new", "子育て広場を増やす７つの案"),
    ("nonsense", "子育て広場を増やす７つの案"),
])
def test_sorts(client, sample, sort, first):
    assert titles(page(client, f"?sort={sort}"), sample["titles"])[0] == first


def test_filters(client, sample):
    def shown(query):
        return set(titles(page(client, query), sample["titles"]))

    assert shown("?area=1") == {"公園の除雪を早めてほしい", "懐古園の桜を守る会をつくる"}
    assert shown(f"?district={sample['district']}") == {"空家を子育て世帯の住まいに"}
    assert shown(f"?item={sample['item']}") == {"空家を子育て世帯の住まいに"}
    assert shown(f"?measure={sample['measure']}") == {"ＡＢＣ体操を駅前広場で"}
    assert shown("?status=adopted") == {"懐古園の桜を守る会をつくる"}
    assert shown("?kind=collaboration") == {"ＡＢＣ体操を駅前広場で"}
    assert shown("?area=1&status=published") == {"公園の除雪を早めてほしい"}
    # Unknown or malformed values are ignored, not errors.
    assert len(shown("?status=draft&kind=x&area=abc&district=-1&page=zz")) == 5


@pytest.mark.parametrize(("query", "expected"), [
    ("公園", {"公園の除雪を早めてほしい"}),
    ("除雪", {"公園の除雪を早めてほしい"}),
    ("空家", {"空家を子育て世帯の住まいに"}),
    ("子育", {"空家を子育て世帯の住まいに", "子育て広場を増やす７つの案"}),
    ("abc", {"ＡＢＣ体操を駅前広場で"}),
    ("7つ", {"子育て広場を増やす７つの案"}),
    ("子育 広場", {"子育て広場を増やす７つの案"}),
])
def test_search_finds_two_character_words_and_folds_width(client, sample, query, expected):
    html = page(client, f"?q={query}")
    assert set(titles(html, sample["titles"])) == expected
    assert "秘密" not in html


def test_hidden_and_withdrawn_leave_the_search_index(app, client, sample):
    with app.app_context():
        withdraw_proposal(db.session.get(Proposal, sample["ids"]["公園の除雪を早めてほしい"]))
        hide_proposal(make_user(Role.STAFF), db.session.get(
            Proposal, sample["ids"]["空家を子育て世帯の住まいに"]), "重複のため")
        db.session.commit()
    assert "公園の除雪" not in page(client, "?q=除雪")
    assert "空家を子育て" not in page(client, "?q=空家")
    assert "子育て広場を増やす７つの案" in page(client, "?q=子育")


def test_pages_and_page_size_are_clamped(client, sample):
    html = page(client, "?per_page=2")
    assert len(titles(html, sample["titles"])) == 2 and 'rel="next"' in html
    assert "1 / 3 ページ" in html
    last = page(client, "?per_page=2&page=3")
    assert titles(last, sample["titles"]) == ["公園の除雪を早めてほしい"]
    assert len(titles(page(client, "?per_page=100000"), sample["titles"])) == 5
    assert titles(page(client, "?page=999"), sample["titles"]) == []


def test_htmx_filter_returns_only_the_results_block(client, sample):
    response = client.get("/proposals?area=1", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and "<form" not in html
    assert set(titles(html, sample["titles"])) == {"公園の除雪を早めてほしい",
                                                     "懐古園の桜を守る会をつくる"}
    assert "HX-Request" in response.headers["Vary"]
    tidy = client.get("/proposals?q=&area=1&item=&sort=new&kind=", headers={"HX-Request": "true"})
    assert tidy.headers["HX-Push-Url"] == "/proposals?area=1"
    full = page(client, "?area=1")
    assert 'hx-get="/proposals"' in full and 'hx-push-url="true"' in full
    assert 'hx-target="#results"' in full and 'method="get"' in full


def test_total_is_counted_up_to_a_cap(client, sample, monkeypatch):
    """Beyond the cap the list says "N+" and still pages on; under it the count is exact."""
    from komoro_engage.proposals import cards

    monkeypatch.setattr(cards, "LIST_COUNT_CAP", 2)
    first = page(client, "?per_page=1")
    assert "2+件の提案" in first and "1 / 2+ ページ" in first and 'rel="next"' in first
    # A page past the cap counts one page further, so "next" stays honest.
    third = page(client, "?per_page=1&page=3")
    assert "3+件の提案" in third and "3 / 3+ ページ" in third and 'rel="next"' in third
    last = page(client, "?per_page=1&page=5")
    assert "5件の提案" in last and "5 / 5 ページ" in last and 'rel="next"' not in last
    monkeypatch.setattr(cards, "LIST_COUNT_CAP", 5)
    assert "5件の提案" in page(client, "?per_page=2")


def test_detail_shows_its_plan_rows_in_plan_order_and_language(app, client):
    """Areas, priority items and measures on the proposal page link to the filtered list
    and the measure, in the plan's order, in the chosen language."""
    with app.app_context():
        proposal = make_proposal(areas=(3, 1))
        items = db.session.scalars(select(PriorityItem).order_by(PriorityItem.number)).all()[:2]
        measure = db.session.scalars(select(Measure).order_by(Measure.sort_key)).first()
        for item in reversed(items):
            db.session.execute(insert(proposal_priority_item).values(
                proposal_id=proposal.id, priority_item_id=item.id))
        db.session.add(ProposalMeasureLink(proposal_id=proposal.id, measure_id=measure.id,
                                           fiscal_year=2026))
        db.session.commit()
        expected = [(f"/proposals?area={area.id}", area.name) for area in
                    sorted(proposal.policy_areas, key=lambda area: area.number)]
        expected += [(f"/proposals?item={item.id}", item.title) for item in items]
        english = [area.name_en for area in sorted(proposal.policy_areas,
                                                   key=lambda area: area.number)]
        code, title = measure.code, measure.title
        proposal_id = proposal.id
    html = page(client, f"/{proposal_id}")
    positions = [html.index(f'href="{href}">{name}</a>') for href, name in expected]
    assert positions == sorted(positions)
    assert f">{code} {title}</a>" in html
    client.set_cookie("lang", "en")
    english_html = page(client, f"/{proposal_id}")
    assert all(f">{name}</a>" in english_html for name in english if name)
