"""Prometheus metrics: requests and their latency per endpoint, and gauges features register.

Every request is counted by endpoint, method and status and timed by endpoint.
Features add gauges read when Prometheus scrapes, without core knowing them:
``register_gauge(name, help, read)`` (notifications registers the outbox backlog).

gunicorn runs several worker processes; each keeps its own counts. With
``PROMETHEUS_MULTIPROC_DIR`` set in the environment (an empty directory, made
fresh at each start: prometheus_client's multiprocess mode), the workers write
their counts to files there and any worker answers ``/metrics`` with the sum.
Without it (development, tests) the counts are the answering process's own.

Who may read ``/metrics``: a request with ``Authorization: Bearer
<METRICS_TOKEN>``, or one from an address in ``METRICS_ALLOW`` (networks,
comma-separated; loopback by default) whose forwarded addresses
(``X-Forwarded-For``), if any, are all in it too, so that a proxy in front
does not make everyone look local. Anyone else gets the ordinary 404.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from flask import Flask, Response, current_app, request
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from komoro_engage.core.request_log import elapsed_seconds
from komoro_engage.extensions import db

# Read once, as prometheus_client itself does when it is imported.
MULTIPROCESS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
_ALLOW = "komoro_metrics_allow"
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

disable_created_metrics()  # no *_created series: they double what a scrape carries
_registry = CollectorRegistry(auto_describe=True)
REQUESTS = Counter("komoro_http_requests", "HTTP requests answered, by endpoint, method and "
                   "status", ["endpoint", "method", "status"], registry=_registry)
LATENCY = Histogram("komoro_http_request_duration_seconds", "Time to answer a request, by "
                    "endpoint", ["endpoint"], registry=_registry)


@dataclass(frozen=True)
class _Gauge:
    documentation: str
    read: Callable[[], float]


_gauges: dict[str, _Gauge] = {}


def register_gauge(name: str, documentation: str, read: Callable[[], float]) -> None:
    """Report ``read()`` as the gauge ``name`` at each scrape (inside the request, so it
    may query the database); registering ``name`` again replaces it."""
    _gauges[name] = _Gauge(documentation, read)


def unregister_gauge(name: str) -> None:
    """Remove a gauge (tests)."""
    _gauges.pop(name, None)


def init_app(app: Flask) -> None:
    """Count and time every request (call early in ``create_app``, after request_log)."""
    app.extensions[_ALLOW] = allowed_networks(app.config.get("METRICS_ALLOW", ""))
    app.after_request(_observe)


def allowed_networks(setting: str) -> tuple[IPNetwork, ...]:
    """``METRICS_ALLOW`` read as networks; a mistyped one stops the app at start."""
    try:
        return tuple(ipaddress.ip_network(part.strip(), strict=False)
                     for part in setting.split(",") if part.strip())
    except ValueError as error:
        raise RuntimeError(f"KOMORO_METRICS_ALLOW: {error} (give networks such as "
                           "127.0.0.1/32,10.0.0.0/8, separated by commas)") from error


def _observe(response: Response) -> Response:
    # Bounded labels: an unknown address is "unmatched", an odd method "other".
    endpoint = request.endpoint or "unmatched"
    method = request.method if request.method in METHODS else "other"
    REQUESTS.labels(endpoint, method, str(response.status_code)).inc()
    LATENCY.labels(endpoint).observe(elapsed_seconds())
    return response


def may_read_metrics() -> bool:
    """The operator's token, or a request from the operator's networks all along."""
    token = current_app.config.get("METRICS_TOKEN") or ""
    sent = request.headers.get("Authorization", "")
    if token and sent.startswith("Bearer ") and hmac.compare_digest(
            sent.removeprefix("Bearer ").encode(), token.encode()):
        return True
    # Behind nginx with KOMORO_TRUSTED_PROXIES left at 0 every request comes from
    # loopback; the addresses the proxies forwarded must be allowed as well.
    forwarded = request.headers.get("X-Forwarded-For", "").split(",")
    addresses = [request.remote_addr or "", *(part for part in forwarded if part.strip())]
    return all(_allowed(address.strip()) for address in addresses)


def _allowed(address: str) -> bool:
    try:
        client = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(client, ipaddress.IPv6Address) and client.ipv4_mapped:
        client = client.ipv4_mapped
    return any(client in network for network in current_app.extensions[_ALLOW])


def exposition() -> bytes:
    """The metrics in Prometheus' text format: every worker's requests and the gauges."""
    scrape = CollectorRegistry(auto_describe=False)
    if MULTIPROCESS_DIR:
        MultiProcessCollector(scrape, path=MULTIPROCESS_DIR)
    else:
        scrape.register(_Delegate(_registry))
    scrape.register(_Gauges())
    return generate_latest(scrape)


class _Delegate(Collector):
    def __init__(self, registry: CollectorRegistry):
        self.registry = registry

    def collect(self) -> Iterator[Metric]:
        return self.registry.collect()


class _Gauges(Collector):
    def collect(self) -> Iterator[Metric]:
        for name, gauge in sorted(_gauges.items()):
            try:
                value = float(gauge.read())
            except Exception:  # a gauge that cannot be read is left out, not a failed scrape
                current_app.logger.exception("metrics: gauge %s could not be read", name)
                db.session.rollback()  # the next gauge's query starts afresh
                continue
            yield GaugeMetricFamily(name, gauge.documentation, value=value)
