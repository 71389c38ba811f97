"""``flask komoro prune-photos`` removes only old files that no photo refers to."""

from __future__ import annotations

import os
import time

from komoro_engage.extensions import db
from komoro_engage.media.services import photo_file, store_photo
from komoro_engage.media.storage import photo_path
from tests.media import images

DAY = 24 * 3600


def age(path, seconds: float) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_prune_removes_old_orphans_and_keeps_the_rest(app, runner):
    with app.app_context():
        photo = store_photo(images.upload(images.phone_jpeg()), None)
        db.session.commit()
        kept = [photo_file(photo)[0], photo_file(photo, thumbnail=True)[0]]
        orphan = photo_path("OrphanOrphanOrphanOrphan0000", "image/jpeg")
        fresh_orphan = photo_path("FreshFreshFreshFreshFresh000", "image/webp")
        interrupted = orphan.with_name(".half-written.jpg.1234.tmp")
        for path in (orphan, fresh_orphan, interrupted):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"x")
        for path in (*kept, orphan, interrupted):
            age(path, 2 * DAY)

    dry = runner.invoke(args=["komoro", "prune-photos", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "2 unreferenced file(s) found" in dry.output and orphan.exists()

    result = runner.invoke(args=["komoro", "prune-photos"])
    assert result.exit_code == 0, result.output
    assert "2 unreferenced file(s) removed" in result.output
    assert not orphan.exists() and not interrupted.exists()
    assert fresh_orphan.exists()  # may belong to an upload in flight
    assert all(path.exists() for path in kept)
    fresh_orphan.unlink()
