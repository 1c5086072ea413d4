"""/metrics in Prometheus's text format (issue 24), for the platform's monitoring, not for the public:
it answers a scraper that sends `Authorization: Bearer <QUANMIN_METRICS_TOKEN>`, or a signed-in
platform administrator (is_staff); anyone else gets 404, as for a page that does not exist.

Requests by status and latency (every node's, when the counters are in Redis: core/metrics.py), the
task queues' depth, bookings and entries made in the last minute and task failures in the last hour."""

import datetime
import hmac

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from quanmin.booking.models import Booking
from quanmin.core import metrics
from quanmin.core.models import TaskFailure
from quanmin.events.models import Entry

from .health import queue_depths


def _allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    offered = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return True
    return request.user.is_authenticated and request.user.is_staff


def _last_minute(model, now) -> int:
    """Rows made in the last minute: a range scan of the model's index on created_at."""
    return model.objects.filter(created_at__gte=now - datetime.timedelta(minutes=1)).count()


def _gauge(name: str, help_text: str, samples: list[tuple[str, int]]) -> list[str]:
    return [f"# HELP {name} {help_text}", f"# TYPE {name} gauge", *(f"{name}{labels} {value}" for labels, value in samples)]


@never_cache
@require_safe
def metrics_view(request):
    if not _allowed(request):
        raise Http404
    now = timezone.now()
    lines = metrics.prometheus(metrics.snapshot())
    lines += _gauge("quanmin_task_queue_depth", "Tasks waiting to run, by queue.",
                    [(f'{{queue="{queue}"}}', depth) for queue, depth in queue_depths().items()])
    lines += _gauge("quanmin_bookings_last_minute", "Bookings made in the last minute.", [("", _last_minute(Booking, now))])
    lines += _gauge("quanmin_entries_last_minute", "Competition entries made in the last minute.",
                    [("", _last_minute(Entry, now))])
    lines += _gauge("quanmin_task_failures_last_hour", "Failed task runs recorded in the last hour.",
                    [("", TaskFailure.objects.filter(failed_at__gte=now - datetime.timedelta(hours=1)).count())])
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; version=0.0.4; charset=utf-8")
