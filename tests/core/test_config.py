import re
import secrets
import subprocess
from pathlib import Path

import pytest

from config import (
    GENERATE_SECRET,
    PUBLISHED_SECRET_KEYS,
    DevelopmentConfig,
    ProductionConfig,
    settings_from_env,
)
from komoro_engage import create_app

ROOT = Path(__file__).resolve().parents[2]


def test_environment_overrides_any_setting_with_the_prefix():
    settings = settings_from_env(DevelopmentConfig, {
        "KOMORO_DATABASE_URL": "postgresql+psycopg://db/komoro",
        "KOMORO_SECRET_KEY": "s3cret",
        "KOMORO_PAGE_SIZE": "50",
        "KOMORO_HSTS": "true",
        "OTHER_THING": "ignored",
    })
    assert settings["DATABASE_URL"] == "postgresql+psycopg://db/komoro"
    assert settings["SECRET_KEY"] == "s3cret"
    assert settings["PAGE_SIZE"] == 50
    assert settings["HSTS"] is True
    assert "OTHER_THING" not in settings


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("KOMORO_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="KOMORO_SECRET_KEY is not set"):
        create_app("production")


@pytest.fixture
def production_env(monkeypatch, tmp_path):
    """What an operator sets: a random key, a database, the Redis for rate limits."""
    monkeypatch.setenv("KOMORO_SECRET_KEY", secrets.token_urlsafe(48))
    monkeypatch.setenv("KOMORO_DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    monkeypatch.setenv("KOMORO_RATELIMIT_STORAGE_URI", "redis://127.0.0.1:1/0")  # never dialled
    for name in ("KOMORO_RATELIMIT_MEMORY_OK", "KOMORO_RATELIMIT_ENABLED"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_production_starts_with_a_secret_key_and_secure_cookies(production_env):
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert ProductionConfig.HSTS is True


def test_create_app_does_no_database_work(monkeypatch, tmp_path):
    path = tmp_path / "never-created.db"
    create_app("testing", DATABASE_URL=f"sqlite:///{path}")
    assert not path.exists()


@pytest.mark.parametrize("key", ["short-but-random-Qx81", "a" * 31, "日本語の鍵" * 2])
def test_production_refuses_a_secret_key_shorter_than_32_bytes(production_env, key):
    production_env.setenv("KOMORO_SECRET_KEY", key)
    with pytest.raises(RuntimeError) as refused:
        create_app("production")
    message = str(refused.value)
    assert f"{len(key.encode())} bytes" in message and "at least 32" in message
    assert GENERATE_SECRET in message
    assert "secrets.token_urlsafe(48)" in message


def test_a_key_of_32_bytes_is_enough(production_env):
    production_env.setenv("KOMORO_SECRET_KEY", secrets.token_hex(16))
    assert create_app("production").config["ENV_NAME"] == "production"


# A literal (maybe repeated: "x" * 48) given to a secret key in code, a dict or kwargs …
QUOTED_KEY = re.compile(
    r"""SECRET_KEY["']?\s*[:=]\s*(["'])([^"'{}\n]*)\1(?:\s*\*\s*(\d+))?""")
# … and a bare value in shell, env files, systemd units and docs: KOMORO_SECRET_KEY=abc.
BARE_KEY = re.compile(r"""SECRET_KEY=([^\s"'$`{}<>|]+)""")
BINARY = {".png", ".jpg", ".jpeg", ".webp", ".ico", ".mo", ".gz", ".br", ".woff2", ".heic"}


def repository_secret_keys() -> set[str]:
    """Every literal a tracked file of the repository gives to a secret key."""
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    found = set()
    for name in tracked:
        path = ROOT / name
        if path.suffix in BINARY or not path.is_file():
            continue
        text = path.read_text(errors="ignore")
        for match in QUOTED_KEY.finditer(text):
            found.add(match.group(2) * int(match.group(3) or 1))
        if path.suffix != ".py":
            found.update(match.group(1) for match in BARE_KEY.finditer(text))
    return found


def test_every_secret_key_written_in_the_repository_is_refused(production_env):
    keys = repository_secret_keys()
    assert {"dev-only-not-secret", "testing-only"} <= keys  # the scan finds them
    assert {DevelopmentConfig.SECRET_KEY} <= PUBLISHED_SECRET_KEYS
    for key in keys:
        production_env.setenv("KOMORO_SECRET_KEY", key)
        with pytest.raises(RuntimeError, match="KOMORO_SECRET_KEY"):
            create_app("production")


def test_a_published_key_is_refused_even_when_long(production_env, monkeypatch):
    long_published = "published-in-the-readme-" + "k" * 40
    monkeypatch.setattr("config.PUBLISHED_SECRET_KEYS",
                        PUBLISHED_SECRET_KEYS | {long_published})
    production_env.setenv("KOMORO_SECRET_KEY", long_published)
    with pytest.raises(RuntimeError, match="published in the source code") as refused:
        create_app("production")
    assert GENERATE_SECRET in str(refused.value)


def test_production_refuses_per_process_rate_limits(production_env):
    production_env.setenv("KOMORO_RATELIMIT_STORAGE_URI", "memory://")
    with pytest.raises(RuntimeError) as refused:
        create_app("production")
    message = str(refused.value)
    assert "KOMORO_RATELIMIT_STORAGE_URI" in message and "redis://" in message
    assert "KOMORO_RATELIMIT_MEMORY_OK=1" in message


def test_production_runs_on_memory_limits_when_the_operator_says_so(production_env):
    production_env.setenv("KOMORO_RATELIMIT_STORAGE_URI", "memory://")
    production_env.setenv("KOMORO_RATELIMIT_MEMORY_OK", "1")
    assert create_app("production").config["RATELIMIT_MEMORY_OK"] is True


def test_every_problem_is_named_at_once(production_env):
    production_env.setenv("KOMORO_SECRET_KEY", "dev-only-not-secret")
    production_env.setenv("KOMORO_RATELIMIT_STORAGE_URI", "memory://")
    with pytest.raises(RuntimeError) as refused:
        create_app("production")
    assert str(refused.value).count("\n- ") == 2


def test_development_keeps_its_published_key_and_memory_limits(monkeypatch):
    monkeypatch.delenv("KOMORO_SECRET_KEY", raising=False)
    monkeypatch.delenv("KOMORO_RATELIMIT_STORAGE_URI", raising=False)
    app = create_app("development", DATABASE_URL="sqlite://")
    assert app.config["SECRET_KEY"] == "dev-only-not-secret"
