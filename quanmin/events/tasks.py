"""The events' periodic work as django-tasks tasks: waiting-list offers that ran out lapse and
their places go to the next in line; newly published events are pushed to the residents whose
alerts match (services_alerts). Idempotent; offers also lapse lazily when someone enters the same
competition. Cron runs them through `manage.py events_tick`."""

import datetime

from django.utils import timezone

from quanmin.core.tasks import task

from . import services_alerts, services_entries


@task()
def expire_offers(now: str | None = None) -> int:
    when = datetime.datetime.fromisoformat(now) if now else timezone.now()
    return services_entries.expire_offers(now=timezone.make_aware(when) if timezone.is_naive(when) else when)


@task()
def push_alerts(now: str | None = None) -> int:
    when = datetime.datetime.fromisoformat(now) if now else timezone.now()
    return services_alerts.push_due(now=timezone.make_aware(when) if timezone.is_naive(when) else when)
