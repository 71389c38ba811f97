"""The package as an operator installs it: a wheel in a fresh venv, used from another directory.

The wheel is built offline from a copy of the source tree (``--no-build-isolation``,
so the running environment's setuptools and wheel build it); the fresh venv
borrows the already installed dependencies through a ``.pth`` line instead of
downloading them. Nothing of the source tree is importable from where the
commands run: what works here works from ``pip install .`` on a server.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP_IN_COPY = shutil.ignore_patterns(".git", ".venv", "instance", "build", "*.egg-info",
                                      "__pycache__", "test-artifacts", "results", "tests")

# The installed package runs on its default SQLite database: CI runs this once.
pytestmark = [pytest.mark.no_db_rollback, pytest.mark.one_database]

CHECK = """
import json, config, komoro_engage
from komoro_engage import create_app
app = create_app()
client = app.test_client()
districts = client.get("/plan/districts")
english = client.get("/plan/districts", headers={"Accept-Language": "en"})
print(json.dumps({
    "package": komoro_engage.__file__, "config": config.__file__,
    "database": app.config["DATABASE_URL"], "districts": districts.status_code,
    "hibarigaoka": "ひばりヶ丘" in districts.get_data(as_text=True),
    "english": "District" in english.get_data(as_text=True),
    "css": client.get("/static/css/site.css").status_code,
}))
"""


def can_build_wheels() -> bool:
    """setuptools builds wheels itself from 70.1; before that it needs the wheel package."""
    import setuptools

    major, minor = (int(part) for part in setuptools.__version__.split(".")[:2])
    return (major, minor) >= (70, 1) or importlib.util.find_spec("wheel") is not None


def run(args: list, cwd: Path, env: dict | None = None) -> str:
    result = subprocess.run([str(arg) for arg in args], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A venv holding only the komoro-engage wheel (dependencies borrowed); its python."""
    if not can_build_wheels():
        pytest.skip("building a wheel offline needs setuptools>=70.1 or the wheel package "
                    "(pip install '.[test]')")
    tmp = tmp_path_factory.mktemp("install")
    source = tmp / "source"
    shutil.copytree(ROOT, source, ignore=SKIP_IN_COPY)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-index", "--quiet", "-w", tmp / "dist", source], cwd=tmp)
    wheel = next((tmp / "dist").glob("komoro_engage-*.whl"))
    venv = tmp / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp)
    python = venv / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
         "--quiet", wheel], cwd=tmp)
    site = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                    cwd=tmp).strip())
    # The dependencies of this environment, added after the venv's own site-packages.
    (site / "zz_borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python, site


def test_the_installed_package_migrates_seeds_and_serves_from_another_directory(
        installed, tmp_path):
    python, site = installed
    elsewhere = tmp_path / "var-lib-komoro"
    elsewhere.mkdir()
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "LANG": "C.UTF-8",
           "KOMORO_CONFIG": "development"}
    flask = [python, "-m", "flask", "--app", "komoro_engage"]
    run([*flask, "db", "upgrade"], cwd=elsewhere, env=env)
    assert "Loaded" in run([*flask, "komoro", "seed"], cwd=elsewhere, env=env)
    checked = json.loads(run([python, "-c", CHECK], cwd=elsewhere, env=env).splitlines()[-1])
    # Code, settings and the database all come from the installed places, not the source.
    assert Path(checked["package"]).is_relative_to(site)
    assert Path(checked["config"]).is_relative_to(site)
    assert checked["database"] == f"sqlite:///{elsewhere / 'instance' / 'komoro.db'}"
    assert (elsewhere / "instance" / "komoro.db").is_file()
    assert checked["districts"] == 200 and checked["hibarigaoka"]
    assert checked["english"], "the compiled English catalogue is in the wheel"
    assert checked["css"] == 200


def test_gunicorn_entry_point_is_importable_from_the_installed_package(installed, tmp_path):
    python, site = installed
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "LANG": "C.UTF-8",
           "KOMORO_CONFIG": "development", "KOMORO_INSTANCE_DIR": str(tmp_path / "state")}
    out = run([python, "-c", "from komoro_engage.wsgi import app; import config; "
               "print(app.name, config.INSTANCE_DIR)"], cwd=tmp_path, env=env)
    assert out.split() == ["komoro_engage", str(tmp_path / "state")]
