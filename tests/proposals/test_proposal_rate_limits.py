"""Posting is rate limited per person (the testing config switches limits off elsewhere)."""

from komoro_engage import create_app
from komoro_engage.extensions import db
from tests.factories import make_user


def test_the_eleventh_post_in_an_hour_is_refused(app, tmp_path):
    limited = create_app("testing", DATABASE_URL=app.config["DATABASE_URL"],
                         STORAGE_DIR=str(tmp_path), RATELIMIT_ENABLED=True)
    with limited.app_context():
        user = make_user()
        db.session.commit()
        session_id = user.get_id()
    client = limited.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
    statuses = [client.post("/proposals/new", data={"title": "短い"}).status_code
                for _ in range(11)]
    assert statuses == [422] * 10 + [429]
    assert client.get("/proposals/new").status_code == 200  # reading is not limited
    with limited.app_context():
        db.engine.dispose()
