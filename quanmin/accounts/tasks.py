"""Background work of accounts: pushing a notice to the city's app's message API.

The POST carries JSON {"id", "recipient", "title", "text", "sent_at"}: `recipient` is the app's own
subject for the resident (the one its sign-in gave us), `id` a message id that stays the same over
retries (the app shows a message once). It is signed: X-Quanmin-Timestamp (Unix seconds) and
X-Quanmin-Signature "sha256=" + hex HMAC-SHA256 under settings.CITYAPP_MESSAGE_KEY of
"<timestamp>.<body>", so the app can refuse forgeries and replays. A 2xx answer is done; a network
error, a 5xx, 408 or 429 raises, and the task queue tries again with back-off (core/tasks.py); any
other 4xx means the app will never take this message (unknown recipient, say): logged, not retried.
"""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.utils import timezone

from quanmin.core.tasks import task

from .models import CityAppLink

log = logging.getLogger("quanmin.notify")
TIMEOUT_SECONDS = 10
RETRY_STATUSES = {408, 429}


class PushFailed(Exception):
    """The city's app did not take the message this time; the task queue tries again."""


def signature(key: str, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(key.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


@task(retries=5, backoff=60)
def push_city_notice(link_id: int, subject: str, text: str, message_id: str) -> str:
    link = CityAppLink.objects.filter(pk=link_id).first()
    url, key = settings.CITYAPP_MESSAGE_URL, settings.CITYAPP_MESSAGE_KEY
    if link is None or not url or not key:
        return "dropped"  # unlinked (or erased) meanwhile, or the push turned off: nothing to send
    body = json.dumps({"id": message_id, "recipient": link.subject, "title": subject, "text": text,
                       "sent_at": timezone.now().isoformat()}, ensure_ascii=False).encode()
    stamp = str(int(time.time()))
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "X-Quanmin-Timestamp": stamp,
        "X-Quanmin-Signature": signature(key, stamp, body),
    })
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # the URL is our setting
            response.read(1000)
    except urllib.error.HTTPError as exc:
        if exc.code >= 500 or exc.code in RETRY_STATUSES:
            raise PushFailed(f"the city app answered {exc.code}") from None
        log.warning("city app refused a message", extra={"status": exc.code, "message_id": message_id})
        return "refused"
    except (OSError, ValueError) as exc:
        raise PushFailed(f"the city app cannot be reached: {type(exc).__name__}") from None
    return "sent"
