"""``make bench``: throughput, latency, queries, memory and page weight of the public pages."""
