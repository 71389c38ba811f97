"""Access entries of the core routes (health check, language, static files)."""

from tests.access import Access, everyone

ENTRIES = [
    Access("core.healthz", "GET", everyone(200)),
    Access("core.set_language", "POST", everyone(302), data={"lang": "en", "next": "/"}),
    Access("static", "GET", everyone(200), args={"filename": "css/site.css"}),
]
