"""Static file URLs that change when the file does: ``/static/css/site.css?v=<hash>``.

nginx (deploy/nginx/komoro-engage.conf) lets browsers keep static files for a
year; after an upgrade a changed file has a new URL, so nobody keeps old CSS.
"""

from __future__ import annotations

import hashlib

from flask import Flask
from werkzeug.security import safe_join


def register(app: Flask) -> None:
    """Add ``v=<content hash>`` to every ``url_for("static", filename=…)``."""
    versions: dict[str, str | None] = {}

    @app.url_defaults
    def _version_static_urls(endpoint: str, values: dict) -> None:
        if endpoint != "static" or "v" in values or "filename" not in values:
            return
        filename = values["filename"]
        if filename not in versions or app.debug:  # debug: a file being edited changes
            versions[filename] = file_version(app.static_folder, filename)
        if versions[filename]:
            values["v"] = versions[filename]


def file_version(folder: str | None, filename: str) -> str | None:
    """The first 10 hex digits of the file's SHA-256; None when there is no such file."""
    path = safe_join(folder, filename) if folder else None
    try:
        with open(path, "rb") as file:  # noqa: PTH123 - a path string from safe_join
            return hashlib.sha256(file.read()).hexdigest()[:10]
    except (OSError, TypeError):
        return None
