"""The task `make scale-test` (tests/scale.py) enqueues a hundred of: it counts its runs per number in
Redis (HINCRBY), so that a task run twice shows, whichever worker ran it."""

import time

import redis
from django.conf import settings

from quanmin.core.tasks import task


@task(retries=0)
def probe(n: int) -> int:
    redis.Redis.from_url(settings.REDIS_URL).hincrby("scale:runs", str(n), 1)
    time.sleep(0.1)
    return n
