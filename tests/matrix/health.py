"""Permission rows for the load balancers' health checks (public, they tell nothing about anyone) and
the metrics (operators only)."""

WEB = {
    "web:healthz": ("public", None, "get", None),
    "web:readyz": ("public", None, "get", None),
    # Prometheus text: platform administrators or a scraper with the token (tests/web/test_metrics.py).
    "web:metrics": ("platform_admin", None, "get", None),
}
