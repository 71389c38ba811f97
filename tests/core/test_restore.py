"""`flask komoro backup` archives photos with the database; `flask komoro restore` checks
and brings both back, refusing to overwrite or to trust a damaged archive.

Runs on the suite's database kind (SQLite file, or a fresh PostgreSQL database).
"""

from __future__ import annotations

import io
import json
import tarfile

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from komoro_engage import create_app
from komoro_engage.core.backup import BackupError
from komoro_engage.core.backup_archive import make_backup
from komoro_engage.extensions import db
from komoro_engage.media import storage
from komoro_engage.media.models import Photo
from komoro_engage.media.services import delete_photo, photo_file, store_photo
from komoro_engage.plan.loader import read_plan_file
from komoro_engage.plan.services import seed_plan
from tests.live import ROOT, FreshDatabase
from tests.media import images

pytestmark = pytest.mark.no_db_rollback


def new_app(tmp_path, name: str, migrate: bool):
    database = FreshDatabase(tmp_path)
    app = create_app("testing", DATABASE_URL=database.url, STORAGE_DIR=str(tmp_path / name))
    app.scratch = database
    if migrate:
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            seed_plan(read_plan_file(app.config["PLAN_DATA_FILE"]))
            db.session.commit()
            db.session.remove()
    return app


@pytest.fixture
def apps(tmp_path):
    """A migrated site with two photos, and an empty place to restore into."""
    made = []

    def make(name: str, migrate: bool = False):
        made.append(new_app(tmp_path, name, migrate))
        return made[-1]

    site = make("site-uploads", migrate=True)
    with site.app_context():
        for size in ((400, 200), (300, 300)):
            store_photo(images.upload(images.phone_jpeg(size)), None)
        db.session.commit()
    yield site, make
    for app in made:
        with app.app_context():
            db.engine.dispose()
        app.scratch.drop()


def files_of(app) -> dict[str, bytes]:
    """Every photo file the app's rows name, relative path → bytes."""
    with app.app_context():
        photos = db.session.scalars(select(Photo)).all()
        paths = [photo_file(photo, thumbnail) for photo in photos for thumbnail in (False, True)]
        root = app.config["STORAGE_DIR"]
        return {str(path.relative_to(root)): path.read_bytes() for path, _type in paths}


def run(app, *args):
    return app.test_cli_runner().invoke(args=["komoro", *args])


def test_restore_brings_back_the_rows_and_the_photo_files(apps, tmp_path):
    site, make = apps
    archive = tmp_path / "site.tar.gz"
    backup = run(site, "backup", str(archive))
    assert backup.exit_code == 0, backup.output
    assert "and 4 stored files" in backup.output
    assert oct(archive.stat().st_mode & 0o777) == "0o600"  # it holds personal data
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert len(manifest["files"]) == 4 and manifest["revision"]

    target = make("restored-uploads")
    result = run(target, "restore", str(archive))

    assert result.exit_code == 0, result.output
    assert "Checked 5 members" in result.output and "Restored 4 stored files" in result.output
    assert files_of(target) == files_of(site)
    with target.app_context():
        assert db.session.scalar(select(func.count()).select_from(Photo)) == 2


def test_a_photo_deleted_just_after_the_snapshot_is_still_in_the_archive(apps, tmp_path):
    site, make = apps
    before = files_of(site)

    def delete_one():
        with site.app_context():
            delete_photo(db.session.scalars(select(Photo)).first())
            db.session.commit()  # its files go now, after the snapshot that names them
        assert len(files_of(site)) == 2

    with site.app_context():
        report = make_backup(site.config["DATABASE_URL"], site.config["STORAGE_DIR"],
                             tmp_path / "race.tar", after_snapshot=delete_one)
    assert report.file_count == 4
    target = make("restored-uploads")
    assert run(target, "restore", str(report.path)).exit_code == 0
    assert files_of(target) == before


def test_a_file_lost_from_storage_fails_the_backup_and_names_it(apps, tmp_path):
    site, _make = apps
    with site.app_context():
        lost, _type = photo_file(db.session.scalars(select(Photo)).first())
    lost.unlink()
    uploads = sorted(path.name for path in (tmp_path / "site-uploads").iterdir())

    result = run(site, "backup", str(tmp_path / "never.tar"))

    assert result.exit_code != 0
    assert "missing" in result.output and lost.name in result.output
    leftovers = [path.name for path in tmp_path.iterdir()
                 if path.name.startswith((".", "never"))]
    assert leftovers == []
    # nothing left in the uploads folder either (photos/, and the decoders' slot files)
    assert sorted(path.name for path in (tmp_path / "site-uploads").iterdir()) == uploads
    assert "photos" in uploads


def test_restore_refuses_a_target_in_use_unless_forced(apps, tmp_path):
    site, make = apps
    archive = tmp_path / "site.tar"
    assert run(site, "backup", str(archive)).exit_code == 0
    before = files_of(site)

    refused = run(site, "restore", str(archive))
    assert refused.exit_code != 0 and "already has tables" in refused.output
    target = make("restored-uploads")
    (tmp_path / "restored-uploads").mkdir()
    (tmp_path / "restored-uploads" / "notes.txt").write_text("someone's file")
    refused = run(target, "restore", str(archive))
    assert refused.exit_code != 0 and "already holds files" in refused.output
    with target.app_context():
        assert db.inspect(db.engine).get_table_names() == []

    forced = run(site, "restore", "--force", str(archive))
    assert forced.exit_code == 0, forced.output
    assert "The files that were there before are in" in forced.output
    assert files_of(site) == before
    aside = [path for path in (tmp_path / "site-uploads").iterdir()
             if path.name.startswith(".replaced-")]
    assert len(aside) == 1 and len(list(aside[0].rglob("*.jpg"))) == 2


def test_a_damaged_or_foreign_archive_touches_nothing(apps, tmp_path):
    site, make = apps
    archive = tmp_path / "site.tar"
    assert run(site, "backup", str(archive)).exit_code == 0
    damaged = tmp_path / "damaged.tar"
    unsafe = tmp_path / "unsafe.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as bad, \
            tarfile.open(unsafe, "w") as evil:
        for member in source:
            data = source.extractfile(member).read()
            manifest = json.loads(data) if member.name == "manifest.json" else None
            if member.name.endswith(".jpg"):
                data = data[:-1] + bytes([data[-1] ^ 1])  # one bit flipped
            bad.addfile(member, io.BytesIO(data))
            if manifest:
                manifest["files"]["../../escaped.jpg"] = {"size": 1, "sha256": "0"}
                data = json.dumps(manifest).encode()
                member.size = len(data)
            evil.addfile(member, io.BytesIO(data))
    not_a_backup = tmp_path / "notes.tar"
    not_a_backup.write_text("a text file")
    target = make("restored-uploads")

    for path, message in ((damaged, "does not match its checksum"),
                          (unsafe, "unsafe path"),
                          (not_a_backup, "not a readable tar archive")):
        result = run(target, "restore", str(path))
        assert result.exit_code != 0 and message in result.output
    with target.app_context():
        assert db.inspect(db.engine).get_table_names() == []
    assert not any(path.is_file() for path in (tmp_path / "restored-uploads").rglob("*"))
    assert not (tmp_path / "escaped.jpg").exists()


def test_a_folder_gets_time_stamped_archives_and_keep_prunes_the_oldest(apps, tmp_path):
    site, _make = apps
    folder = tmp_path / "backups"
    folder.mkdir()
    for old in ("komoro-backup-20240101T030000Z.tar", "komoro-backup-20240102T030000Z.tar"):
        (folder / old).write_bytes(b"old")
    (folder / "notes.txt").write_text("not a backup: left alone")

    result = run(site, "backup", str(folder), "--keep", "2")

    assert result.exit_code == 0, result.output
    assert "Removed the older backup" in result.output
    names = sorted(path.name for path in folder.iterdir())
    assert names[0] == "komoro-backup-20240102T030000Z.tar" and names[-1] == "notes.txt"
    assert names[1].startswith("komoro-backup-2") and len(names) == 3
    with pytest.raises(BackupError, match="--keep needs a folder"):
        make_backup(site.config["DATABASE_URL"], site.config["STORAGE_DIR"],
                    tmp_path / "one.tar", keep=2)


def test_the_photo_lister_names_both_files_of_each_photo(apps):
    site, _make = apps
    with site.app_context():
        named = set(storage.stored_files(db.session.connection()))
        db.session.rollback()
    assert named == set(files_of(site))
