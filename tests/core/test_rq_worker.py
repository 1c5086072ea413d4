"""The nodes' RQ worker (core/rq_worker.py) listens for commands in a thread that wakes every second, so
that a worker told to stop (or a burst worker with nothing left) exits at once: RQ's own thread waits up
to 60 s for a message, and with redis-py 8 the worker waits for it on the way out. Against the Redis
that always runs here; the channel is the worker's own."""

import redis
from rq import Queue

from quanmin.core.rq_worker import Worker
from tests.nodes import REDIS_URL


def test_command_thread_wakes_every_second_and_still_hears_commands():
    connection = redis.Redis.from_url(REDIS_URL)
    worker = Worker([Queue("quanmin-test-rq-worker", connection=connection)], connection=connection)
    worker.subscribe()
    try:
        assert worker.pubsub_thread.sleep_time <= 1
        assert worker.pubsub_thread.daemon and worker.pubsub_thread.is_alive()
        assert list(worker.pubsub.channels) == [worker.pubsub_channel_name.encode()]
    finally:
        worker.unsubscribe()
    assert not worker.pubsub_thread.is_alive()
