"""Request counters for the Prometheus endpoint (issue 24): requests by status, and their latency as a
histogram. With QUANMIN_REDIS_URL they are kept in one Redis hash, so that every process of every
node adds to the same figures (one round trip per request, a pipeline); without it, in this
process's memory (one machine, one process). Counting never fails a request: Redis gone, the
request is served and not counted."""

import logging
import threading
from collections import Counter

import redis
from django.conf import settings

KEY = "quanmin:metrics"
BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)  # seconds, Prometheus's "le"
logger = logging.getLogger("quanmin.metrics")
_local: Counter = Counter()
_lock = threading.Lock()
_clients: dict[str, redis.Redis] = {}


def _client() -> redis.Redis | None:
    url = settings.REDIS_URL
    if not url:
        return None
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    return _clients[url]


def _fields(status: int, seconds: float) -> dict[str, int]:
    fields = {f"requests:{status}": 1, "latency:count": 1, "latency:sum_us": round(seconds * 1_000_000)}
    for le in BUCKETS:
        if seconds <= le:
            fields[f"latency:le:{le}"] = 1
    return fields


def record(status: int, seconds: float) -> None:
    fields = _fields(status, seconds)
    client = _client()
    if client is None:
        with _lock:
            _local.update(fields)
        return
    try:
        with client.pipeline(transaction=False) as pipe:
            for name, n in fields.items():
                pipe.hincrby(KEY, name, n)
            pipe.execute()
    except redis.RedisError as exc:
        logger.warning("request not counted", extra={"error": str(exc)})


def snapshot() -> dict[str, int]:
    """Every counter so far: {"requests:200": n, "latency:le:0.1": n, "latency:count": n, …}."""
    client = _client()
    if client is None:
        with _lock:
            return dict(_local)
    return {k.decode(): int(v) for k, v in client.hgetall(KEY).items()}


def prometheus(counters: dict[str, int]) -> list[str]:
    """The request counters in Prometheus's text format."""
    lines = ["# HELP quanmin_http_requests_total Requests answered, by status.",
             "# TYPE quanmin_http_requests_total counter"]
    statuses = sorted(k.split(":", 1)[1] for k in counters if k.startswith("requests:"))
    lines += [f'quanmin_http_requests_total{{status="{s}"}} {counters[f"requests:{s}"]}' for s in statuses]
    lines += ["# HELP quanmin_http_request_duration_seconds Time to answer a request.",
              "# TYPE quanmin_http_request_duration_seconds histogram"]
    lines += [f'quanmin_http_request_duration_seconds_bucket{{le="{le}"}} {counters.get(f"latency:le:{le}", 0)}'
              for le in BUCKETS]
    count = counters.get("latency:count", 0)
    lines += [f'quanmin_http_request_duration_seconds_bucket{{le="+Inf"}} {count}',
              f"quanmin_http_request_duration_seconds_sum {counters.get('latency:sum_us', 0) / 1_000_000}",
              f"quanmin_http_request_duration_seconds_count {count}"]
    return lines
