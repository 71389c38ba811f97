"""gunicorn settings for Komoro Engage behind nginx (deploy/nginx/komoro-engage.conf).

deploy/systemd/komoro-engage.service starts
``gunicorn -c /opt/komoro-engage/deploy/gunicorn.conf.py komoro_engage.wsgi:app``.
The numbers come from the environment file (/etc/komoro-engage/env) when set.
"""

import os

# Loopback only: nginx is the one way in (TLS, compression, static files, size limits).
bind = os.environ.get("KOMORO_BIND", "127.0.0.1:8000")
# Sync workers: nginx buffers slow clients, so a worker is busy only while the app works.
# Each worker keeps its own page cache (KOMORO_PAGE_CACHE_MAX_BYTES) and database pool.
workers = int(os.environ.get("KOMORO_WORKERS", 2 * (os.cpu_count() or 1) + 1))
# More than 1 switches to threaded workers (useful when the database is on another host).
threads = int(os.environ.get("KOMORO_THREADS", "1"))

# A request that runs longer is killed and its worker replaced (nginx waits 60 s).
timeout = 30
# On restart or reload, requests in flight get this long to finish.
graceful_timeout = 30
# Replace each worker after a few thousand requests, so no slow growth of memory lasts.
max_requests = 5000
max_requests_jitter = 500
# Heartbeat files in memory: a slow disk cannot make workers look stuck.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - gunicorn's documented choice, not a temp file

# Only nginx on this host may say which scheme the visitor used (X-Forwarded-Proto).
# Client addresses are taken from X-Forwarded-For by the app (KOMORO_TRUSTED_PROXIES=1).
forwarded_allow_ips = "127.0.0.1,::1"

# No access log here: nginx already writes one line per request.
accesslog = None
# Errors and worker restarts to stderr, which systemd hands to the journal
# (journalctl -u komoro-engage).
errorlog = "-"
loglevel = os.environ.get("KOMORO_GUNICORN_LOG_LEVEL", "info")
proc_name = "komoro-engage"


def child_exit(server, worker):
    """A worker that ended leaves the metrics sum (prometheus_client's multiprocess mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
