"""やさしい日本語: the pages a resident meets first read in easy Japanese, not in the
normal Japanese of the msgid (which an empty msgstr falls back to)."""

import html

import pytest

from komoro_engage.extensions import db
from tests.factories import make_user

# (path, easy strings the page shows, their normal Japanese that it must no longer show)
RESIDENT_PAGES = [
    ("/", ["いけんを きく", "みんなの よさん", "これからの まちの すがた"],
     [">広聴<", "将来都市像"]),
    ("/proposals", ["ていあんする", "ちずで みる", "いけんを きく"], ["地図で見る", "提案する"]),
    ("/login", ["パスワードを わすれた ひと", "みんなの よさん"],
     ["パスワードを忘れた方", ">市民予算<"]),
    ("/signup", ["みんなに みえるのは ニックネーム だけです。"],
     ["公開されるのはニックネームだけです"]),
    ("/budgets", ["しの おかねの いちぶの つかいみちを、しみんの とうひょうで きめます。"],
     ["市民の投票で決めます"]),
    ("/consultations", ["いけんを きく テーマ"], ["広聴テーマ"]),
    ("/surveys", ["いま こたえられる アンケートは ありません。"],
     ["いま公開しているアンケートはありません。"]),
    ("/accessibility", ["もんだいを しらせる"], ["問題を知らせる"]),
]


@pytest.mark.parametrize(("path", "easy", "normal"), RESIDENT_PAGES,
                         ids=[path for path, *_ in RESIDENT_PAGES])
def test_resident_pages_speak_easy_japanese(client, path, easy, normal):
    client.set_cookie("lang", "ja_easy")
    response = client.get(path)
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert [text for text in easy if text not in page] == []
    assert [text for text in normal if text in page] == []


def test_a_residents_account_page_speaks_easy_japanese(app, login):
    with app.app_context():
        resident = make_user()
        db.session.commit()
    client = login(resident)
    client.set_cookie("lang", "ja_easy")
    page = html.unescape(client.get("/account").get_data(as_text=True))
    assert "メールアドレスを かえる" in page and "パスワードを かえる" in page
    assert "メールアドレスを変更" not in page
    client.set_cookie("lang", "ja")
    assert "メールアドレスを変更" in client.get("/account").get_data(as_text=True)
