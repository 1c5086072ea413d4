"""Notification backends of accounts: the in-app copy, and the push to the city's app.

They live in accounts, beside the models they read and write; core's `notify()` finds them through
settings.NOTIFY_BACKENDS ("quanmin.accounts.notify.InAppBackend", "….CityAppBackend").
"""

import uuid

from django.conf import settings

from . import tasks
from .models import Notification


class InAppBackend:
    in_transaction = True  # a row of ours: it commits or rolls back with the change

    def send(self, user, subject: str, text: str) -> None:
        Notification.objects.create(user=user, subject=subject[:120], text=text)


class CityAppBackend:
    """A resident linked to the city's app (我的聊城) gets each notice there too, through its message
    API (settings.CITYAPP_MESSAGE_URL and _KEY). Chosen by the link: nobody else is pushed. core's
    notify() calls this once the change has committed; the POST itself is a task, so a slow or
    failing app never holds up a page, and the task queue retries it (accounts/tasks.py)."""

    def send(self, user, subject: str, text: str) -> None:
        if not (settings.CITYAPP_MESSAGE_URL and settings.CITYAPP_MESSAGE_KEY and settings.CITYAPP_ISSUER):
            return
        for link_id in user.city_links.filter(issuer=settings.CITYAPP_ISSUER).values_list("pk", flat=True):
            # The message id is the app's key for not showing a retried message twice.
            tasks.push_city_notice.enqueue(link_id, subject[:120], text, uuid.uuid4().hex)
