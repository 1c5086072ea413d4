"""Notices pushed to the city's app's message API (F08), for residents linked to it: a real HTTP
server here receives them, checks the signature, and fails when told to, so that the task queue's
retry is what delivers."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from quanmin.accounts import crypto
from quanmin.accounts.models import CityAppLink
from quanmin.accounts.tasks import signature
from quanmin.core.models import TaskFailure
from quanmin.core.notify import notify

KEY = "message-key-of-the-test"
ISSUER = "https://id.lc.example.cn"


class Inbox:
    """The city app's message API: records each POST, answers the scripted statuses, then 200."""

    def __init__(self):
        self.received: list[dict] = []
        self.script: list[int] = []
        inbox = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                inbox.received.append({"body": body, "stamp": self.headers["X-Quanmin-Timestamp"],
                                       "signature": self.headers["X-Quanmin-Signature"], "path": self.path})
                status = inbox.script.pop(0) if inbox.script else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/messages"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def inbox(settings):
    box = Inbox()
    settings.CITYAPP_ISSUER = ISSUER
    settings.CITYAPP_MESSAGE_URL, settings.CITYAPP_MESSAGE_KEY = box.url, KEY
    settings.NOTIFY_BACKENDS = ["quanmin.accounts.notify.InAppBackend", "quanmin.accounts.notify.CityAppBackend"]
    yield box
    box.close()


def link(user, subject="lc-7777", issuer=ISSUER):
    return CityAppLink.objects.create(user=user, issuer=issuer, subject_hash=crypto.lookup_hash(subject),
                                      subject_enc=crypto.encrypt(subject))


def work_off() -> list[str]:
    """Run every task ready now as the database worker does; the statuses of the runs."""
    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="test-worker", excluded_queue_names=[])
    runs = []
    while (result := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)
        result.refresh_from_db()
        runs.append(result.status)
    return runs


def tell(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(user, "预约成功", "您已预约东关社区文体广场篮球场，12月8日 19:00。")


def test_a_linked_residents_notice_reaches_the_app_signed(world, inbox, django_capture_on_commit_callbacks):
    resident = world.users["resident"]
    link(resident)
    before = resident.notifications.count()
    tell(resident, django_capture_on_commit_callbacks)
    assert resident.notifications.count() == before + 1  # the in-app copy as before
    assert work_off() == ["SUCCESSFUL"]
    [got] = inbox.received
    message = json.loads(got["body"])
    assert message["recipient"] == "lc-7777" and message["title"] == "预约成功" and "篮球场" in message["text"]
    assert got["signature"] == signature(KEY, got["stamp"], got["body"])
    assert got["signature"] != signature("another-key", got["stamp"], got["body"])
    assert abs(int(got["stamp"]) - time.time()) < 600


def test_the_app_down_is_retried_by_the_queue_with_the_same_message_id(world, inbox, django_capture_on_commit_callbacks):
    resident = world.users["resident"]
    link(resident)
    inbox.script = [503]
    tell(resident, django_capture_on_commit_callbacks)
    assert work_off() == ["FAILED"]
    failure = TaskFailure.objects.get()
    assert failure.task.endswith("push_city_notice") and failure.retry_at and "503" in failure.error
    # The retry waits its back-off: move its time to now, as the clock would.
    assert DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now()) == 1
    assert work_off() == ["SUCCESSFUL"]
    first, second = (json.loads(r["body"]) for r in inbox.received)
    assert first["id"] == second["id"] and first["recipient"] == second["recipient"] == "lc-7777"


def test_a_refusal_is_not_retried(world, inbox, django_capture_on_commit_callbacks):
    resident = world.users["resident"]
    link(resident)
    inbox.script = [404]
    tell(resident, django_capture_on_commit_callbacks)
    assert work_off() == ["SUCCESSFUL"] and len(inbox.received) == 1
    assert not DBTaskResult.objects.filter(status="READY").exists() and not TaskFailure.objects.exists()


def test_only_linked_residents_are_pushed(world, inbox, django_capture_on_commit_callbacks):
    link(world.users["other_resident"], "lc-old", issuer="https://old-provider.example.cn")
    tell(world.users["resident"], django_capture_on_commit_callbacks)
    tell(world.users["other_resident"], django_capture_on_commit_callbacks)
    assert work_off() == [] and inbox.received == []


def test_nothing_is_pushed_when_the_api_is_not_configured(world, inbox, settings, django_capture_on_commit_callbacks):
    settings.CITYAPP_MESSAGE_URL = ""
    link(world.users["resident"])
    tell(world.users["resident"], django_capture_on_commit_callbacks)
    assert work_off() == [] and inbox.received == []


def test_unlinked_meanwhile_drops_the_message(world, inbox, django_capture_on_commit_callbacks):
    resident = world.users["resident"]
    link(resident)
    tell(resident, django_capture_on_commit_callbacks)
    CityAppLink.objects.all().delete()
    assert work_off() == ["SUCCESSFUL"] and inbox.received == []


def test_my_account_says_where_messages_go(world, inbox, client_for):
    link(world.users["resident"])
    assert "您的消息也会发送到城市APP" in client_for("resident").get("/accounts/me/").content.decode()
