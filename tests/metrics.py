"""Reading /metrics in tests: scrape it, and pick one sample out of Prometheus' text."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families


def scrape(client) -> str:
    """/metrics as the test client (loopback, so allowed by default) reads it."""
    response = client.get("/metrics")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus' text format (0 when absent)."""
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and all(found.labels.get(k) == v for k, v in labels.items()):
                return found.value
    return 0.0
