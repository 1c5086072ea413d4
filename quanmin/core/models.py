from django.db import models
from django.utils.timezone import localtime


class Lease(models.Model):
    """A piece of work that one node at a time does (quanmin/core/leases.py)."""

    name = models.CharField(max_length=100, primary_key=True)
    holder = models.CharField(max_length=200, blank=True)
    period = models.BigIntegerField(default=-1)
    expires_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} ({self.holder} until {localtime(self.expires_at):%Y-%m-%d %H:%M:%S})"


class TaskFailure(models.Model):
    """One failed run of a background task (quanmin/core/tasks.py): what, with which arguments, which
    attempt, the error, and when it runs again (none: the retries are spent; someone must look)."""

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    attempt = models.PositiveSmallIntegerField()
    error = models.CharField(max_length=500)
    traceback = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    failed_at = models.DateTimeField(db_index=True)
    retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-failed_at"]

    def __str__(self):
        return f"{self.task} #{self.attempt} ({localtime(self.failed_at):%Y-%m-%d %H:%M:%S})"
