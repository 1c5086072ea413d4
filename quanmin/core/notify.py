"""One interface for telling people things: `notify(user, subject, text)`.

Backends are set in settings.NOTIFY_BACKENDS; each has `send(user, subject, text)`. The console
backend prints (development); the in-app backend (`quanmin.accounts.notify.InAppBackend`, beside the
model it writes) keeps a copy the person sees under My account; SMS and e-mail backends plug in by
dotted path. A rolled-back change tells nobody anything: a backend marked `in_transaction` (the
in-app copy) is written inside the change's own transaction (no second commit), everything that
leaves the database is sent once the change has committed.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.module_loading import import_string

log = logging.getLogger("quanmin.notify")


class ConsoleBackend:
    def send(self, user, subject: str, text: str) -> None:
        print(f"[notify] to {getattr(user, 'phone_masked', user)}: {subject} — {text}")


class EmailBackend:
    """E-mail through Django's mail settings, for people who gave an address (attribute `email`)."""

    def send(self, user, subject: str, text: str) -> None:
        address = getattr(user, "email", "")
        if address:
            send_mail(subject, text, None, [address], fail_silently=True)


class SmsBackend:
    """Base for an SMS gateway: subclass and implement `deliver(phone, text)` (Aliyun, Tencent …)."""

    def send(self, user, subject: str, text: str) -> None:
        phone = getattr(user, "phone", "")
        if phone:
            self.deliver(phone, f"【全民健身】{text}")

    def deliver(self, phone: str, text: str) -> None:  # pragma: no cover - provided by a gateway subclass
        raise NotImplementedError


def backends():
    return [import_string(path)() for path in getattr(settings, "NOTIFY_BACKENDS", [])]


def notify(user, subject, text) -> None:
    if user is None:
        return
    subject, text = str(subject), str(text)
    now, later = [], []
    for backend in backends():
        (now if getattr(backend, "in_transaction", False) else later).append(backend)
    for backend in now:
        try:
            with transaction.atomic():  # a savepoint: a failed copy must not break the change
                backend.send(user, subject, text)
        except Exception:  # one failing channel must not stop the others
            log.exception("notification backend %s failed", type(backend).__name__)

    def send():
        for backend in later:
            try:
                backend.send(user, subject, text)
            except Exception:  # one failing channel must not stop the others
                log.exception("notification backend %s failed", type(backend).__name__)

    if later:
        transaction.on_commit(send)
