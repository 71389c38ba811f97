"""A backup taken while residents post proposals with photos restores them all.

gunicorn (2 workers) serves a fresh database; threads post proposals with a
photo through the real form over HTTP, and one resident keeps replacing the
photo of a draft (each replacement deletes the old files once it commits).
The backup runs in the middle and, between its database snapshot and its
collecting the files, waits for more proposals and for the draft's photo (named
by the snapshot) to be replaced twice. The archive is restored with
`flask komoro restore` into a new database and a new storage folder, where every
proposal acknowledged (302) before the backup began is found with its photo
files, byte for byte. SQLite always; PostgreSQL when KOMORO_TEST_DATABASE_URL
names a server (the restore goes into a freshly created database). About 10 s.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
import uuid
from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import select

from komoro_engage import create_app
from komoro_engage.core.backup_archive import make_backup
from komoro_engage.core.scratch_database import ScratchDatabase
from komoro_engage.extensions import db
from komoro_engage.media import storage
from komoro_engage.media.models import Photo
from komoro_engage.media.services import THUMB_CONTENT_TYPE
from komoro_engage.proposals.models import Proposal
from tests.factories import make_user
from tests.live import LiveServer, request, signed_in
from tests.proposals.helpers import area

pytestmark = pytest.mark.no_db_rollback
WRITERS = 3
BEFORE, DURING = 12, 6  # proposals acknowledged before the backup, and after it started
MAX_POSTS = 150  # per writer: a bound, never reached in a normal run
DEADLINE = 60


def scratch(kind: str, tmp_path) -> ScratchDatabase:
    """A fresh database of ``kind``; the PostgreSQL one needs a server to create it on."""
    if kind == "sqlite":
        return ScratchDatabase(tmp_path, None, prefix="komoro_backup")
    url = os.environ.get("KOMORO_TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        pytest.skip("KOMORO_TEST_DATABASE_URL is not a PostgreSQL URL: the PostgreSQL "
                    "backup is tested when the suite runs on PostgreSQL")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore not on PATH (apt-get install postgresql-client)")
    return ScratchDatabase(tmp_path, url, prefix="komoro_backup")


def photo(seed: int) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (320, 240), (seed * 37 % 256, seed * 11 % 256, 90)).save(buffer, "JPEG")
    return buffer.getvalue()


def multipart(fields: list[tuple[str, str]], photo_bytes: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
             .encode() for name, value in fields]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; '
                 f'filename="IMG_0001.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
                 + photo_bytes + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), boundary


class Resident:
    """A signed-in browser session posting the proposal form."""

    def __init__(self, server, user_id: str, area_id: int):
        self.server, self.area_id = server, area_id
        self.cookie, self.token = signed_in(server, user_id)

    def post(self, path: str, n: int, action: str, extra=()) -> int:
        fields = [("csrf_token", self.token), ("title", f"駅前の駐輪場 その{n}"),
                  ("body", "写真の場所です。"), ("kind", "idea"),
                  ("policy_areas", str(self.area_id)), ("place", ""), ("action", action),
                  *extra]
        body, boundary = multipart(fields, photo(n))
        status, headers, text = request(f"{self.server.url}{path}", self.cookie, data=body,
                                        headers={"X-CSRFToken": self.token, "Content-Type":
                                                 f"multipart/form-data; boundary={boundary}"})
        assert status == 302, (status, text[-500:])
        return int(re.search(r"/proposals/(\d+)$", headers["Location"]).group(1))

    def photo_ids(self, proposal_id: int) -> list[str]:
        status, _headers, html = request(f"{self.server.url}/proposals/{proposal_id}/edit",
                                         self.cookie)
        assert status == 200
        return re.findall(r'<input[^>]*name="remove_photos"[^>]*value="(\d+)"', html)


# The SQLite backup is the same whichever database the rest of the suite runs on.
@pytest.mark.parametrize("kind", [pytest.param("sqlite", marks=pytest.mark.one_database),
                                  "postgresql"])
def test_a_backup_under_load_restores_every_acknowledged_proposal_with_its_photos(
        kind, tmp_path):
    server = LiveServer(tmp_path, database=scratch(kind, tmp_path))
    restored_database = restored = None
    try:
        server.start()  # inside try: a server that fails to start still drops its database
        with server.app.app_context():
            area_id = area(1).id
            user_ids = [make_user().get_id() for _ in range(WRITERS + 1)]
            db.session.commit()
        residents = [Resident(server, user_id, area_id) for user_id in user_ids]
        acknowledged: list[int] = []
        replacements = []
        stop, failures = threading.Event(), []

        def write(resident: Resident, number: int) -> None:
            try:
                for n in range(MAX_POSTS):
                    if stop.is_set():
                        return
                    acknowledged.append(resident.post("/proposals/new", number * 1000 + n,
                                                      "submit"))
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                failures.append(repr(error))

        def replace_photos(resident: Resident) -> None:
            try:
                draft = resident.post("/proposals/new", 999_000, "draft")
                for n in range(MAX_POSTS):
                    if stop.is_set():
                        return
                    old = resident.photo_ids(draft)
                    resident.post(f"/proposals/{draft}/edit", 999_001 + n, "draft",
                                  [("remove_photos", photo_id) for photo_id in old])
                    replacements.append(n)
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                failures.append(repr(error))

        threads = [threading.Thread(target=write, args=(resident, number))
                   for number, resident in enumerate(residents[:WRITERS])]
        threads.append(threading.Thread(target=replace_photos, args=(residents[-1],)))
        for thread in threads:
            thread.start()
        archive = tmp_path / "komoro.tar"
        deadline = time.monotonic() + DEADLINE

        def keep_writing_after_the_snapshot() -> None:
            # The worst moment: proposals are added and the draft's photo files that
            # the snapshot names are deleted before the backup collects the files.
            acknowledged_then, replaced_then = len(acknowledged), len(replacements)
            while ((len(acknowledged) < acknowledged_then + DURING
                    or len(replacements) < replaced_then + 2)
                   and time.monotonic() < deadline and not failures):
                time.sleep(0.02)

        try:
            while len(acknowledged) < BEFORE and time.monotonic() < deadline and not failures:
                time.sleep(0.02)
            before = set(acknowledged)  # each of these got its 302: committed
            with server.app.app_context():
                report = make_backup(server.app.config["DATABASE_URL"],
                                     server.app.config["STORAGE_DIR"], archive,
                                     after_snapshot=keep_writing_after_the_snapshot)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=30)
        assert failures == []
        assert len(before) >= BEFORE, "the writers stalled"
        assert len(acknowledged) >= len(before) + DURING and len(replacements) >= 2, \
            "writes stopped during the backup"
        assert report.file_count >= 2 * len(before)

        restored_database = scratch(kind, tmp_path)
        restored_storage = tmp_path / "restored-uploads"
        restored = create_app("testing", DATABASE_URL=restored_database.url,
                              STORAGE_DIR=str(restored_storage))
        result = restored.test_cli_runner().invoke(args=["komoro", "restore", str(archive)])
        assert result.exit_code == 0, result.output
        assert "Restored the" in result.output and "SHA-256" in result.output

        live_storage = server.app.config["STORAGE_DIR"]
        with restored.app_context():
            proposals = {proposal.id: proposal for proposal in db.session.scalars(
                select(Proposal))}
            assert before <= set(proposals), "an acknowledged proposal is missing"
            for proposal_id in before:
                assert len(proposals[proposal_id].photos) == 1
            checked, deleted_since = 0, 0
            for photo_row in db.session.scalars(select(Photo)):
                for key, content_type in ((photo_row.key, photo_row.content_type),
                                          (photo_row.thumb_key, THUMB_CONTENT_TYPE)):
                    relative = storage.relative_path(key, content_type)
                    data = (restored_storage / relative).read_bytes()
                    assert Image.open(BytesIO(data)).size  # a readable image
                    original = os.path.join(live_storage, relative)
                    if os.path.exists(original):  # files never change: same bytes
                        with open(original, "rb") as handle:
                            assert handle.read() == data
                    else:
                        deleted_since += 1
                    checked += 1
                assert (restored_storage / storage.relative_path(
                    photo_row.key, photo_row.content_type)).stat().st_size == photo_row.byte_size
            assert checked >= 2 * len(before)
            # the draft's photo in the snapshot was replaced (its files deleted) meanwhile
            assert deleted_since >= 2
    finally:
        server.close()
        if restored is not None:
            with restored.app_context():
                db.engine.dispose()
        if restored_database is not None:
            restored_database.drop()
