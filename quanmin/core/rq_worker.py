"""The RQ worker the nodes run (settings.RQ["WORKER_CLASS"], so `manage.py rqworker` picks it without an
option): RQ's own, except that it stops within a second.

RQ listens for commands (stop a job, shut down) on a pub/sub channel in a thread that waits up to 60 s
for a message; on its way out the worker stops that thread and, with redis-py 8, waits for it to end.
A worker that was told to stop, or a burst worker that has emptied its queue, then sat for up to a
minute before exiting: a deploy's restart, `rqworker --burst`, and each test that starts workers
waited it out. Here the thread wakes every second, which costs nothing and bounds that wait."""

from rq.worker import Worker as RQWorker

COMMAND_POLL_SECONDS = 1


class Worker(RQWorker):
    def subscribe(self):
        self.log.info("Worker %s: subscribing to channel %s", self.name, self.pubsub_channel_name)
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(
            sleep_time=COMMAND_POLL_SECONDS, daemon=True, exception_handler=self._pubsub_exception_handler)
