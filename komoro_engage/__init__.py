"""こもろ協働ひろば — the application factory.

``create_app`` binds extensions, registers feature blueprints, error pages and
CLI commands. It never touches the database: migrations and seeding are
explicit commands (``flask db upgrade``, ``flask komoro seed``).
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import CONFIGS, INSTANCE_DIR, production_problems, settings_from_env

ROOT = Path(__file__).resolve().parent.parent


def site_folder(name: str) -> Path:
    """``templates``, ``static`` or ``migrations``: top-level folders of the source tree,
    copied into the package when it is built (setup.py), so an installed app has them."""
    packaged = Path(__file__).resolve().parent / name
    return packaged if packaged.is_dir() else ROOT / name


def create_app(config_name: str | None = None, **overrides) -> Flask:
    """Build the app for ``config_name`` (default ``$KOMORO_CONFIG`` or development)."""
    config_name = config_name or os.environ.get("KOMORO_CONFIG", "development")
    app = Flask(
        __name__,
        template_folder=str(site_folder("templates")),
        static_folder=str(site_folder("static")),
        instance_path=str(INSTANCE_DIR),
    )
    from komoro_engage.core.templating import KomoroEnvironment

    app.jinja_environment = KomoroEnvironment  # before anything builds app.jinja_env
    app.config.from_mapping(settings_from_env(CONFIGS[config_name]))
    app.config.update(overrides)
    _check_config(app)
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]

    from komoro_engage.core import metrics, request_log, urls

    # First: their before_request runs before any other and their after_request after
    # every other, so they time the whole request and see the response that goes out.
    request_log.init_app(app)
    metrics.init_app(app)
    urls.init_app(app)  # before blueprints and the extensions' hooks (see core/urls.py)
    _init_extensions(app)
    _register_blueprints(app)

    from komoro_engage.core import (
        display,
        errors,
        security,
        sessions,
        static_files,
        templating,
        transaction,
    )

    errors.register(app)
    display.register(app)
    security.register(app)
    sessions.init_app(app)
    templating.register(app)
    static_files.register(app)
    _register_commands(app)
    transaction.init_app(app)  # last: its after_request hook must run first
    _trust_proxies(app)
    return app


def _check_config(app: Flask) -> None:
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError(
            "KOMORO_SECRET_KEY is not set. Production needs a long random secret "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(48))') "
            "to sign sessions and CSRF tokens; refusing to start without one."
        )
    if app.config["ENV_NAME"] == "production" and (problems := production_problems(app.config)):
        raise RuntimeError("Refusing to start in production:\n- " + "\n- ".join(problems))
    if app.config["DATABASE_URL"].startswith("sqlite:///"):
        Path(app.config["DATABASE_URL"].removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True
        )


def _trust_proxies(app: Flask) -> None:
    """Behind ``TRUSTED_PROXIES`` reverse proxies, take the client's address and scheme
    from the headers they add (the last N entries), so per-address limits count each
    visitor. The host is not taken from headers: the proxy passes the Host it received."""
    hops = int(app.config.get("TRUSTED_PROXIES", 0))
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def _init_extensions(app: Flask) -> None:
    from komoro_engage import models  # noqa: F401  (registers every table)
    from komoro_engage.core import fragments, page_cache
    from komoro_engage.core.i18n import install_template_gettext, select_locale
    from komoro_engage.extensions import babel, csrf, db, htmx, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(site_folder("migrations")))
    csrf.init_app(app)
    page_cache.init_app(app)  # after csrf: its csrf_token template global replaces Flask-WTF's
    fragments.init_app(app)
    htmx.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    install_template_gettext(app)
    limiter.init_app(app)
    login_manager.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from komoro_engage.accounts import bp as accounts_bp
    from komoro_engage.api import bp as api_bp
    from komoro_engage.budgeting import bp as budgeting_bp
    from komoro_engage.comments import bp as comments_bp
    from komoro_engage.consultations import bp as consultations_bp
    from komoro_engage.core import bp as core_bp
    from komoro_engage.evaluation import bp as evaluation_bp
    from komoro_engage.media import bp as media_bp
    from komoro_engage.notifications import bp as notifications_bp
    from komoro_engage.plan import bp as plan_bp
    from komoro_engage.projects import bp as projects_bp
    from komoro_engage.proposals import bp as proposals_bp
    from komoro_engage.search import bp as search_bp
    from komoro_engage.staff import bp as staff_bp
    from komoro_engage.surveys import bp as surveys_bp

    for blueprint in (core_bp, plan_bp, accounts_bp, media_bp, comments_bp, proposals_bp,
                      projects_bp, consultations_bp, api_bp, notifications_bp, evaluation_bp,
                      budgeting_bp, staff_bp, search_bp, surveys_bp):
        app.register_blueprint(blueprint)


def _register_commands(app: Flask) -> None:
    from komoro_engage.accounts import cli as accounts_cli
    from komoro_engage.consultations import cli as consultations_cli
    from komoro_engage.core import cli
    from komoro_engage.media import cli as media_cli
    from komoro_engage.notifications import cli as notifications_cli
    from komoro_engage.plan import cli as plan_cli
    from komoro_engage.projects import cli as projects_cli
    from komoro_engage.proposals import demo as proposals_demo
    from komoro_engage.search import cli as search_cli

    cli.register(app, (plan_cli, accounts_cli, media_cli, proposals_demo, notifications_cli,
                       projects_cli, consultations_cli, search_cli))
