"""notify(): the in-app copy goes with the change's own transaction; what leaves the database waits
for the commit; nothing is told of a change that rolls back; a failing channel breaks nothing."""

import pytest
from django.db import transaction

from quanmin.accounts.models import Notification
from quanmin.core import notify as notify_module
from quanmin.core.notify import notify
from tests.conftest import make_user

SENT: list = []


class Recorder:
    def send(self, user, subject, text):
        SENT.append((user.pk, subject, text))


class BrokenInApp:
    in_transaction = True

    def send(self, user, subject, text):
        Notification.objects.create(user=user, subject=subject, text=None)  # NOT NULL: the insert fails


@pytest.fixture
def person(db, settings):
    SENT.clear()
    settings.NOTIFY_BACKENDS = ["quanmin.accounts.notify.InAppBackend", f"{__name__}.Recorder"]
    return make_user("13900000001", "通知测试")


def test_in_app_copy_is_part_of_the_change_and_the_rest_waits_for_commit(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            notify(person, "预约成功", "周六 9:00")
            assert Notification.objects.filter(user=person, subject="预约成功").exists()  # before the commit
    assert SENT == [] and len(callbacks) == 1
    callbacks[0]()
    assert SENT == [(person.pk, "预约成功", "周六 9:00")]


def test_a_rolled_back_change_tells_nobody(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            notify(person, "预约成功", "x")
            raise RuntimeError("the booking failed")
    assert not Notification.objects.filter(user=person).exists() and SENT == []


def test_a_failing_in_app_copy_keeps_the_change_and_the_other_channels(person, settings, caplog,
                                                                       django_capture_on_commit_callbacks):
    settings.NOTIFY_BACKENDS = [f"{__name__}.BrokenInApp", f"{__name__}.Recorder"]
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            kept = make_user("13900000002", "另一人", seq=2)
            notify(person, "s", "t")
    assert type(kept).objects.filter(pk=kept.pk).exists()
    assert SENT == [(person.pk, "s", "t")]
    assert "BrokenInApp failed" in caplog.text


def test_nobody_to_tell(person):
    notify(None, "s", "t")
    assert SENT == [] and notify_module.backends()
