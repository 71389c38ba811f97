"""表示設定 and やさしい日本語 over HTTP: cookies, the catalogue, staff's easy texts."""

from komoro_engage.accounts.models import Role
from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from tests.evaluation.helpers import measure
from tests.factories import make_user


def test_display_choices_are_remembered_in_cookies_and_go_back(client):
    response = client.post("/display", data={"size": "xlarge", "next": "/proposals"})
    assert response.status_code == 302 and response.headers["Location"] == "/proposals"
    assert '<html lang="ja" class="text-xlarge">' in client.get("/").get_data(as_text=True)
    client.post("/display", data={"ruby": "on", "size": "huge", "next": "//evil.invalid"})
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="ja" class="with-ruby text-xlarge">' in html and "<ruby>" in html
    client.post("/display", data={"ruby": "off", "size": "standard"})
    assert "<html lang=\"ja\">" in client.get("/").get_data(as_text=True)


def test_the_settings_page_offers_every_choice_without_javascript(client):
    html = client.get("/settings/display?next=/proposals").get_data(as_text=True)
    for value in ('name="lang" value="ja_easy"', 'name="ruby" value="on"',
                  'name="size" value="xlarge"', 'name="next" value="/proposals"'):
        assert value in html
    assert 'href="/settings/display"' in html  # the menu's link carries no page address


def test_easy_japanese_interface_with_normal_japanese_elsewhere(app, client):
    from tests.proposals.helpers import make_proposal

    with app.app_context():
        make_proposal(title="駅前の花壇に季節の花を植えたい")
        db.session.commit()
    client.post("/lang", data={"lang": "ja_easy", "next": "/"})
    html = client.get("/proposals").get_data(as_text=True)
    assert '<html lang="ja"' in html
    assert "ていあんする" in html  # 提案する in easy Japanese
    assert "駅前の花壇に季節の花を植えたい" in html  # a resident's words: as they wrote them
    assert 'value="ja" lang="ja">日本語</button>' in html  # back to normal Japanese


def test_readers_of_easy_japanese_see_staffs_easy_description(app, client, login):
    with app.app_context():
        measure_id, staff = measure("1-2").id, make_user(Role.STAFF)
        db.session.commit()
    response = login(staff).post(f"/staff/measures/{measure_id}/edit", data={
        "title": "子育て環境を整備します", "description": "子育ての環境を整えます。",
        "description_easy": "こそだてを しやすく します。"})
    assert response.status_code == 302
    page = client.get("/plan/measures/1-2").get_data(as_text=True)
    assert "子育ての環境を整えます。" in page and "こそだてを しやすく" not in page
    client.set_cookie("lang", "ja_easy")
    page = client.get("/plan/measures/1-2").get_data(as_text=True)
    assert "こそだてを しやすく します。" in page and "子育ての環境を整えます。" not in page
    with app.app_context():
        entry = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.action == "measure.corrected"
        assert entry.after["description_easy"] == "こそだてを しやすく します。"


def test_staffs_easy_answer_through_the_form_for_readers_who_chose_it(app, client, login):
    from tests.proposals.helpers import make_proposal

    with app.app_context():
        proposal, staff = make_proposal(title="駅前の花壇"), make_user(Role.STAFF)
        db.session.commit()
        proposal_id = proposal.id
    response = login(staff).post(f"/staff/proposals/{proposal_id}/answer", data={
        "status": "adopted", "body": "来年度に花壇を整備します。",
        "body_easy": "らいねん かだんを きれいに します。", "department": "都市計画課",
        "answered_on": "2026-06-01"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    published = login(staff).post(f"/staff/proposals/{proposal_id}/answer/publish",
                                  data={"version": "1", "confirm": "y"})
    assert published.status_code == 302
    page = client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "来年度に花壇を整備します。" in page and "らいねん" not in page
    client.set_cookie("lang", "ja_easy")
    page = client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "らいねん かだんを きれいに します。" in page and "来年度に花壇を整備" not in page
    with app.app_context():
        entry = db.session.scalars(db.select(AuditEntry).filter_by(
            action="proposal.answered")).all()[-1]
        assert entry.after["body_easy"] == "らいねん かだんを きれいに します。"


def test_the_settings_page_returns_to_the_page_it_was_opened_from(client):
    html = client.get("/settings/display",
                      headers={"Referer": "http://localhost/proposals?q=%E8%8A%B1"}).text
    assert 'name="next" value="/proposals?q=%E8%8A%B1"' in html
    elsewhere = client.get("/settings/display", headers={"Referer": "https://evil.example/x"})
    assert 'name="next" value="/"' in elsewhere.text  # another site: home
