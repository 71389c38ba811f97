import pytest

from config import DevelopmentConfig, ProductionConfig, settings_from_env
from komoro_engage import create_app


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


def test_production_starts_with_a_secret_key_and_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("KOMORO_SECRET_KEY", "x" * 48)
    monkeypatch.setenv("KOMORO_DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert ProductionConfig.HSTS is True


def test_create_app_does_no_database_work(monkeypatch, tmp_path):
    path = tmp_path / "never-created.db"
    create_app("testing", DATABASE_URL=f"sqlite:///{path}")
    assert not path.exists()
