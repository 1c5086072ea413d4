"""Twenty sends of one report under one client key at once, as threads, on whichever database runs the
suite: one report, every send answered with it, no error reaches anybody.

A race test: it runs in both passes of .ci/run. On SQLite writers are serialised, so it is the
PostgreSQL pass that shows the unique client key, not luck, keeps the report single."""

import threading

import pytest
from django.db import connections
from django.test import RequestFactory

from quanmin.feedback import services
from quanmin.feedback.models import Report

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.race]
SENDS = 20


def test_one_key_at_once_makes_one_report(feedback_world):
    piece_id = feedback_world.pieces[0].pk
    results = [None] * SENDS
    barrier = threading.Barrier(SENDS)

    def send(i):
        from quanmin.facilities.models import Equipment

        request = RequestFactory().post("/r/e/x/", REMOTE_ADDR="192.0.2.7")
        try:
            barrier.wait()
            report = services.submit_report(category="equipment", description="踏板松动", phone="13912345678",
                                            equipment=Equipment.objects.get(pk=piece_id), request=request,
                                            client_key="double-tap")
            results[i] = report.token
        except Exception as exc:  # a lock or integrity error would land here: the test fails on it
            results[i] = f"{type(exc).__name__}: {exc}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(SENDS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Report.objects.count() == 1
    assert set(results) == {Report.objects.get().token}, results
