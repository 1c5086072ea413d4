"""Open data's own tables: the change queue the domain's triggers fill, the feed items with their
change numbers, the counter that numbers them, and the published dataset files.

Why a change number and not a modified time (RPDE's known trap): a modified time is written inside
the writer's transaction, and transactions commit out of order, so a reader that has passed
12:00:00.005 never sees a row stamped 12:00:00.003 that commits a moment later. Here the writer only
notes *that* a row changed (a trigger adds a `PendingChange` in the writer's own transaction); one
stamper at a time (`changes.stamp`, holding the counter's row lock) takes the committed notes, builds
each affected item and gives it the next number from `FeedCounter`. Stampers are serialised by that
lock, so numbers become visible in increasing order and a reader paging by `afterChangeNumber` can
never pass a number that commits later.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingChange(models.Model):
    """A domain row that changed (filled by database triggers, `triggers.py`); consumed by the stamper."""

    id = models.BigAutoField(primary_key=True)
    source = models.CharField(max_length=16)
    object_id = models.BigIntegerField()

    class Meta:
        verbose_name = _("pending change")
        verbose_name_plural = _("pending changes")

    def __str__(self) -> str:
        return f"{self.source}/{self.object_id}"


class FeedCounter(models.Model):
    """The last change number given out; its row lock serialises the stampers."""

    name = models.CharField(max_length=16, primary_key=True)
    last = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("feed counter")
        verbose_name_plural = _("feed counters")

    def __str__(self) -> str:
        return f"{self.name}={self.last}"


class FeedItem(models.Model):
    """The current state of one item of one feed, at its latest change number (deleted: data is null)."""

    kind = models.CharField(max_length=20)  # the feed: facility-uses, slots, session-series, scheduled-sessions, events
    rpde_kind = models.CharField(max_length=20)  # the item's kind in RPDE: FacilityUse, Slot, HeadlineEvent …
    object_id = models.BigIntegerField()
    change_number = models.BigIntegerField(unique=True)
    deleted = models.BooleanField(default=False)
    data = models.TextField(blank=True, default="")  # the item's JSON, exactly as served
    modified_at = models.DateTimeField()

    class Meta:
        verbose_name = _("feed item")
        verbose_name_plural = _("feed items")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_feed_item_per_object")]
        indexes = [models.Index(fields=["kind", "change_number"], name="feed_item_page")]

    def __str__(self) -> str:
        return f"{self.kind}/{self.object_id}@{self.change_number}"


class SeriesOwner(models.Model):
    """Whose regular sessions a session unit carried: a guidance station's or a group activity's. Kept
    when the owner is deleted, so that the unit's series and sessions become deleted items instead of
    reappearing as the site's own sessions, and so that a deleted owner's unit can be found."""

    unit_id = models.BigIntegerField(primary_key=True)
    owner = models.CharField(max_length=32, db_index=True)  # "station:<id>" or "activity:<id>"

    class Meta:
        verbose_name = _("session series owner")
        verbose_name_plural = _("session series owners")

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.owner}"


class DatasetFile(models.Model):
    """A published open dataset in one format, regenerated daily (`datasets.publish`)."""

    name = models.CharField(max_length=40)
    format = models.CharField(max_length=8)
    content = models.BinaryField()
    etag = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    generated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("dataset file")
        verbose_name_plural = _("dataset files")
        constraints = [models.UniqueConstraint(fields=["name", "format"], name="one_dataset_file_per_format")]

    def __str__(self) -> str:
        return f"{self.name}.{self.format}"
