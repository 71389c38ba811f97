"""The shipped systemd units: systemd itself reads them, and every command they run exists."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

UNITS = Path(__file__).resolve().parents[2] / "deploy" / "systemd"
VENV_BIN = "/opt/komoro-engage/venv/bin/"


def exec_lines(unit: Path) -> list[str]:
    return [line.split("=", 1)[1] for line in unit.read_text().splitlines()
            if line.startswith("ExecStart=")]


def test_every_timer_starts_a_service_of_the_same_name():
    timers = sorted(UNITS.glob("*.timer"))
    assert {timer.stem for timer in timers} == {
        "komoro-engage-send-reminders", "komoro-engage-send-digests", "komoro-engage-backup",
        "komoro-engage-map-texts", "komoro-engage-analyse-consultations"}
    for timer in timers:
        assert timer.with_suffix(".service").is_file()
        assert "Type=oneshot" in timer.with_suffix(".service").read_text()


def test_the_mail_sender_keeps_running_so_mail_leaves_within_seconds():
    """Not a timer: a loop woken by PostgreSQL's NOTIFY, restarted if it ever stops."""
    unit = (UNITS / "komoro-engage-send-mail.service").read_text()
    (line,) = exec_lines(UNITS / "komoro-engage-send-mail.service")
    assert line.endswith("komoro send-mail --loop 30")
    assert "Type=oneshot" not in unit and "Restart=always" in unit
    assert "WantedBy=multi-user.target" in unit


def test_the_commands_the_units_run_are_commands_of_the_app(app):
    group = app.cli.commands["komoro"]
    named = []
    for unit in UNITS.glob("*.service"):
        for line in exec_lines(unit):
            named += re.findall(r"--app komoro_engage komoro ([a-z-]+)", line)
    assert sorted(named) == ["analyse-consultations", "backup", "map-texts", "send-digests",
                             "send-mail", "send-reminders"]
    assert set(named) <= set(group.commands)


def test_the_web_unit_serves_the_wsgi_entry_with_the_shipped_gunicorn_config():
    (line,) = exec_lines(UNITS / "komoro-engage.service")
    assert line.endswith("-c /opt/komoro-engage/src/deploy/gunicorn.conf.py "
                         "komoro_engage.wsgi:app")


def test_systemd_accepts_the_units(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed (Debian: apt-get install systemd)")
    # The programs must exist for systemd to accept a unit: this environment's venv.
    here = str(Path(sys.executable).parent) + "/"
    for unit in UNITS.iterdir():
        (tmp_path / unit.name).write_text(unit.read_text().replace(VENV_BIN, here))
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *sorted(p.name for p in tmp_path.iterdir())],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_the_command_wrapper_is_valid_sh_and_runs_the_apps_flask():
    wrapper = UNITS.parent / "komoro-engage"
    assert os.access(wrapper, os.X_OK)
    subprocess.run(["sh", "-n", str(wrapper)], check=True, timeout=10)
    assert f"{VENV_BIN}flask --app komoro_engage" in wrapper.read_text()
