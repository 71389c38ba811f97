"""Configuration classes. Every setting can be overridden from the environment
with the ``KOMORO_`` prefix (``KOMORO_DATABASE_URL``, ``KOMORO_SECRET_KEY`` …);
see the table in README.md."""

from __future__ import annotations

import json
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
ENV_PREFIX = "KOMORO_"


def instance_dir(environ: dict[str, str] | None = None) -> Path:
    """Where the SQLite database and uploads live unless their settings say otherwise.

    ``$KOMORO_INSTANCE_DIR`` when set; in a source checkout (pyproject.toml beside
    this file) its ``instance/``; installed as a package, ``./instance`` under the
    directory the command runs in (the systemd units set ``WorkingDirectory``), never
    a folder inside site-packages.
    """
    environ = os.environ if environ is None else environ
    if environ.get(f"{ENV_PREFIX}INSTANCE_DIR"):
        return Path(environ[f"{ENV_PREFIX}INSTANCE_DIR"]).resolve()
    if (BASE_DIR / "pyproject.toml").is_file():
        return BASE_DIR / "instance"
    return Path.cwd() / "instance"


INSTANCE_DIR = instance_dir()


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    SECRET_KEY: str | None = None
    DATABASE_URL = f"sqlite:///{INSTANCE_DIR / 'komoro.db'}"
    # hide_parameters: a failed statement is logged without its values (emails, hashes).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "hide_parameters": True}
    BABEL_DEFAULT_LOCALE = "ja"
    BABEL_DEFAULT_TIMEZONE = "Asia/Tokyo"
    LANGUAGES = ("ja", "en")
    # The plan data file loaded by `flask komoro seed`.
    PLAN_DATA_FILE = str(BASE_DIR / "komoro_engage" / "plan" / "data" / "komoro.toml")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    WTF_CSRF_TIME_LIMIT = None  # a token lives as long as the session
    HSTS = False
    # Where rate-limit counters live. "memory://" counts in each process: with several
    # workers every one counts apart, so production wants Redis (redis://host:6379/0).
    RATELIMIT_STORAGE_URI = "memory://"
    # Production refuses "memory://" unless this says per-process counting is intended.
    RATELIMIT_MEMORY_OK = False
    # When the store cannot be reached, count in this process's memory (logged once)
    # rather than failing requests; it switches back when the store answers again.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    # An unreachable store must not hold a request: give up connecting after half a second.
    RATELIMIT_STORAGE_OPTIONS: dict = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    # Limits on account actions (Flask-Limiter syntax); POSTs only.
    # Failed sign-ins per account from untrusted clients, and per known device: a browser
    # that signed in to the account before (accounts/devices.py) has a limit of its own.
    RATELIMIT_SIGN_IN_PER_ACCOUNT = "5 per 15 minutes"
    RATELIMIT_SIGN_IN_PER_DEVICE = "5 per 15 minutes"
    RATELIMIT_SIGN_IN_PER_IP = "30 per 15 minutes"
    RATELIMIT_SIGN_UP = "10 per hour"
    RATELIMIT_PASSWORD_RESET = "5 per hour"  # noqa: S105 - a rate, not a password
    # Invitations to join an organisation (accounts/organisations.py): each is a mail from
    # the city's address naming an organisation its members chose the name of, so they are
    # counted per organisation and per sender; an organisation staff have not verified
    # may have only a few out at once (an invitation link lives 14 days, the window here).
    RATELIMIT_INVITE_PER_ORGANISATION = "20 per day"
    RATELIMIT_INVITE_PER_SENDER = "30 per day"
    RATELIMIT_INVITE_UNVERIFIED_ORGANISATION = "5 per 14 days"
    PAGE_SIZE = 20
    # Reverse proxies in front of the app (nginx: 1). Their X-Forwarded-For and
    # X-Forwarded-Proto are believed for that many hops, so per-address limits see the
    # visitor's address; 0 believes no such header (a client could forge it).
    TRUSTED_PROXIES = 0
    STORAGE_DIR = str(INSTANCE_DIR / "uploads")
    # One photo file as sent by the phone (a 48 MP JPEG is about 12 MB).
    MAX_PHOTO_BYTES = 15 * 1024 * 1024
    # A whole request, all photos of a form included; larger requests get the 413 page.
    MAX_CONTENT_LENGTH = 25 * 1024 * 1024
    # Photos are decoded in child processes (media/decoder.py), this many at once on the
    # whole server (all workers together); each child's address space is capped at
    # PHOTO_DECODER_MEMORY_BYTES, so photos never take more than the product.
    PHOTO_DECODERS = 2
    PHOTO_DECODER_MEMORY_BYTES = 384 * 1024 * 1024
    # How long an upload waits for a free decoder before asking to try again.
    PHOTO_DECODER_WAIT_SECONDS = 15
    # A photo takes about 2 s of CPU; a child still at work after this is stopped (the
    # photo is refused as unreadable), within gunicorn's 30 s for the request.
    PHOTO_DECODER_TIMEOUT_SECONDS = 20
    # Mail: empty host means "print to the console" (development only).
    MAIL_HOST = ""
    MAIL_PORT = 25
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_USE_TLS = False
    MAIL_SENDER = "こもろ協働ひろば <noreply@komoro-engage.invalid>"
    # Where residents report a problem with the site (the accessibility page names it);
    # empty: the page names the office only.
    CONTACT_EMAIL = ""
    # Public base address used in mail links and Open Graph tags.
    BASE_URL = "http://127.0.0.1:5000"
    # Proposals go to 審査待ち until staff approve them; false publishes on submit.
    PROPOSALS_PREMODERATION = True
    # Distinct reporters that hide a proposal or comment until staff review it.
    REPORT_HIDE_THRESHOLD = 3
    # Supports that move a published proposal to 検討中 and start the city's answer deadline.
    SUPPORT_THRESHOLD = 50
    # Days the city has to publish its answer once the threshold is reached.
    ANSWER_DEADLINE_DAYS = 30
    # 決裁: the city's answers to proposals are approved by a second staff member (or an
    # admin) before they publish; false lets their author publish them.
    ANSWERS_NEED_APPROVAL = False
    # The same for evaluation records (施策評価): approving one finalises it.
    EVALUATIONS_NEED_APPROVAL = False
    # Seconds a page rendered for signed-out visitors may be served again while the
    # data is unchanged (any change to public data renders afresh); 0 switches it off.
    PAGE_CACHE_SECONDS = 60
    # Memory each worker may spend on kept pages.
    PAGE_CACHE_MAX_BYTES = 32 * 1024 * 1024
    # Where the app's logs go (core/request_log.py): "stderr" writes every record, one
    # request line per request among them, as JSON lines to stderr; "none" adds no
    # handler, for an operator who routes the loggers komoro_engage and
    # komoro_engage.requests with their own logging configuration.
    LOG_HANDLER = "stderr"
    LOG_LEVEL = "INFO"
    # /metrics (Prometheus) answers a request bearing "Authorization: Bearer <token>"
    # (empty: no token works) or one from these networks, comma-separated; others get 404.
    # Behind a proxy the address is the client's as ProxyFix reports it.
    METRICS_TOKEN = ""  # noqa: S105 - empty: no token is accepted
    METRICS_ALLOW = "127.0.0.1/32,::1/128"


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - development default, refused in production
    PAGE_CACHE_SECONDS = 0  # a template being edited shows its change at once


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-only"  # noqa: S105
    DATABASE_URL = "sqlite://"
    RATELIMIT_ENABLED = False
    # Still argon2id, with a cheaper cost so the suite stays quick on a shared machine.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    # Tests that check CSRF switch it on; the rest post forms without tokens.
    WTF_CSRF_ENABLED = False
    PAGE_SIZE = 5
    # Query-count tests measure rendering; tests/core/test_page_cache.py switches it on.
    PAGE_CACHE_SECONDS = 0
    # Quiet: tests read request logs through caplog when they ask for them.
    LOG_HANDLER = "none"
    # A shared test machine can be many times slower than a server: only a test of the
    # time limit itself should meet it.
    PHOTO_DECODER_TIMEOUT_SECONDS = 240


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS = True


# Keys printed in this repository (config classes, README, tests): anyone can sign a
# session with them, so production refuses them whatever their length.
PUBLISHED_SECRET_KEYS = frozenset({
    DevelopmentConfig.SECRET_KEY,
    TestingConfig.SECRET_KEY,
})
MIN_SECRET_KEY_BYTES = 32
GENERATE_SECRET = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"  # noqa: S105


def production_problems(settings) -> list[str]:
    """What keeps ``settings`` from running in production, each saying what to set."""
    problems = []
    key = settings.get("SECRET_KEY") or ""
    if key in PUBLISHED_SECRET_KEYS:
        problems.append(
            "KOMORO_SECRET_KEY is a key published in the source code: anyone could sign "
            f"sessions with it. Generate your own: {GENERATE_SECRET}")
    elif len(key.encode()) < MIN_SECRET_KEY_BYTES:
        problems.append(
            f"KOMORO_SECRET_KEY is {len(key.encode())} bytes; production needs at least "
            f"{MIN_SECRET_KEY_BYTES} random bytes. Generate one: {GENERATE_SECRET}")
    if (settings.get("RATELIMIT_ENABLED", True)
            and settings.get("RATELIMIT_STORAGE_URI", "memory://").startswith("memory://")
            and not settings.get("RATELIMIT_MEMORY_OK")):
        problems.append(
            "Rate limits are counted in each worker's memory, so every worker allows the "
            "full number of attempts. Set KOMORO_RATELIMIT_STORAGE_URI to your Redis "
            "(e.g. redis://127.0.0.1:6379/0), or KOMORO_RATELIMIT_MEMORY_OK=1 if the site "
            "runs as a single process.")
    return problems


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def _coerce(raw: str, current: object) -> object:
    """Read an environment string as the type of the default it replaces."""
    if isinstance(current, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(current, int):
        return int(raw)
    if isinstance(current, dict | list | tuple):
        return json.loads(raw)
    return raw


def settings_from_env(config_class: type[Config], environ: dict[str, str] | None = None) -> dict:
    """Return the settings of ``config_class`` with ``KOMORO_*`` overrides applied."""
    environ = dict(os.environ if environ is None else environ)
    settings = {key: getattr(config_class, key) for key in dir(config_class) if key.isupper()}
    for name, raw in environ.items():
        if name.startswith(ENV_PREFIX):
            key = name[len(ENV_PREFIX):]
            settings[key] = _coerce(raw, settings.get(key))
    return settings
