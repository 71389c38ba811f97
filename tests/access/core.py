"""Access entries of the core routes (health, readiness, metrics, language, static files).

/metrics answers the test client because it comes from loopback, the default
METRICS_ALLOW; tests/core/test_health_metrics.py shows other addresses get 404.
"""

from tests.access import Access, everyone

ENTRIES = [
    Access("core.healthz", "GET", everyone(200)),
    Access("core.readyz", "GET", everyone(200)),
    Access("core.metrics_page", "GET", everyone(200)),
    Access("core.set_language", "POST", everyone(302), data={"lang": "en", "next": "/"}),
    Access("core.display_settings", "GET", everyone(200)),
    Access("core.set_display", "POST", everyone(302), data={"ruby": "on", "next": "/"}),
    Access("static", "GET", everyone(200), args={"filename": "css/site.css"}),
]
