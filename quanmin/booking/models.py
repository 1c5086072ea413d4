"""Online booking: bookable units, their slots and sessions, bookings, waitlists, certificates.

One model serves both kinds of bookable time: a `Slot` with capacity 1 is a court or lane booked
by one party; a `Slot` with a larger capacity is a session (a swim session of 120, a class of 20,
a school ground's evening opening). `Slot.taken` counts the places held or booked; a database
check keeps it within capacity, so an over-booking is impossible even if code is wrong.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ACTIVE_STATUSES = ("held", "confirmed", "checked_in")


class BookableUnit(models.Model):
    """Something that can be booked: a court, pitch or lane (slots) or a session space (capacity)."""

    class Kind(models.TextChoices):
        SLOT = "slot", _("Time slots, one party each")
        SESSION = "session", _("Sessions with places")

    facility = models.ForeignKey("facilities.Facility", verbose_name=_("facility"), on_delete=models.CASCADE,
                                 related_name="bookable_units")
    site = models.ForeignKey("facilities.Site", on_delete=models.CASCADE, related_name="bookable_units", editable=False)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", editable=False)
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.SLOT)
    active = models.BooleanField(_("bookable online"), default=True)
    # Rules (the "Rules"): defaults are what real city systems use.
    window_days = models.PositiveSmallIntegerField(_("bookable days ahead"), default=15)
    hold_minutes = models.PositiveSmallIntegerField(_("hold while confirming (minutes)"), default=10)
    cancel_hours = models.PositiveSmallIntegerField(_("free cancellation until (hours before)"), default=2)
    max_open_per_user = models.PositiveSmallIntegerField(_("open bookings per person"), default=3)
    max_per_day = models.PositiveSmallIntegerField(_("bookings per person per day"), default=2)
    max_companions = models.PositiveSmallIntegerField(_("companions per booking"), default=3)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=0)
    guardian_under = models.PositiveSmallIntegerField(
        _("needs a guardian under age"), default=14,
        help_text=_("A person younger than this books only as a companion of an adult."))
    # Who gets in free or cheaper (eligibility verified once by staff).
    free_for_seniors = models.BooleanField(_("free for 60+"), default=True)
    free_for_disabled = models.BooleanField(_("free for disability certificate holders"), default=True)
    student_discount_pct = models.PositiveSmallIntegerField(_("student discount (%)"), default=50)
    minor_discount_pct = models.PositiveSmallIntegerField(_("minor discount (%)"), default=50)
    payment_provider = models.CharField(_("payment"), max_length=20, default="free")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"region": "region__code", "site": "site_id", "site_model": "facilities.Site"}

    class Meta:
        verbose_name = _("bookable unit")
        verbose_name_plural = _("bookable units")
        ordering = ["site_id", "name"]

    def __str__(self) -> str:
        return self.name


class WeeklyTemplate(models.Model):
    """A weekly pattern that generates slots ahead: e.g. Monday 18:00-19:00, 20 places, 10 yuan."""

    unit = models.ForeignKey(BookableUnit, on_delete=models.CASCADE, related_name="templates")
    weekday = models.PositiveSmallIntegerField(_("day"), help_text=_("0 Monday … 6 Sunday; 7 public holiday"))
    start = models.TimeField(_("starts"))
    end = models.TimeField(_("ends"))
    capacity = models.PositiveIntegerField(_("places"), default=1)
    price = models.DecimalField(_("price (yuan)"), max_digits=8, decimal_places=2, default=0)
    benefit = models.BooleanField(_("free or low-fee hours"), default=False)

    scope_fields = {"region": "unit__region__code", "site": "unit__site_id", "site_model": "facilities.Site"}

    class Meta:
        verbose_name = _("weekly template")
        verbose_name_plural = _("weekly templates")
        ordering = ["unit_id", "weekday", "start"]
        constraints = [models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="template_end_after_start")]

    def __str__(self) -> str:
        return f"{self.weekday} {self.start:%H:%M}-{self.end:%H:%M}"


class Slot(models.Model):
    unit = models.ForeignKey(BookableUnit, on_delete=models.CASCADE, related_name="slots")
    start = models.DateTimeField(_("starts"), db_index=True)
    end = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(_("places"), default=1)
    taken = models.PositiveIntegerField(_("places taken"), default=0)
    price = models.DecimalField(_("price (yuan)"), max_digits=8, decimal_places=2, default=0)
    benefit = models.BooleanField(_("free or low-fee hours"), default=False)
    blocked = models.BooleanField(_("blocked"), default=False)
    block_reason = models.CharField(_("reason"), max_length=120, blank=True)
    template = models.ForeignKey(WeeklyTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Made by hand or by another capability (a physique test session), not from a template:
    # regenerating from templates leaves it alone.
    manual = models.BooleanField(default=False)

    scope_fields = {"region": "unit__region__code", "site": "unit__site_id", "site_model": "facilities.Site"}

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["start", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "start"], name="one_slot_per_unit_start"),
            models.CheckConstraint(condition=models.Q(taken__lte=models.F("capacity")), name="slot_within_capacity"),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="slot_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {localtime(self.start):%Y-%m-%d %H:%M}"

    @property
    def free_places(self) -> int:
        return 0 if self.blocked else max(self.capacity - self.taken, 0)


def new_code() -> str:
    # 8 characters without look-alikes (0/O, 1/I/L), easy to read out or type at the gate.
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Booking(models.Model):
    class Status(models.TextChoices):
        HELD = "held", _("Held")
        CONFIRMED = "confirmed", _("Confirmed")
        CHECKED_IN = "checked_in", _("Arrived")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Hold expired")
        NO_SHOW = "no_show", _("No-show")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        WALK_IN = "walk_in", _("Walk-in")
        BLOCK = "block", _("Block booking")
        WAITLIST = "waitlist", _("From the waitlist")

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="bookings")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.HELD, db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    companions = models.JSONField(_("companions"), default=list, blank=True)
    price = models.DecimalField(_("price charged (yuan)"), max_digits=8, decimal_places=2, default=0)
    price_basis = models.CharField(_("price basis"), max_length=20, blank=True)
    hold_expires_at = models.DateTimeField(_("hold expires"), null=True, blank=True)
    code = models.CharField(_("check-in code"), max_length=8, unique=True, default=new_code)
    client_key = models.CharField(max_length=64, blank=True)
    block_label = models.CharField(_("booked for"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=200, blank=True)
    cancelled_by_venue = models.BooleanField(default=False)
    reminded_at = models.DateTimeField(null=True, blank=True)
    staff_override = models.CharField(_("override reason"), max_length=200, blank=True)

    scope_fields = {"region": "slot__unit__region__code", "site": "slot__unit__site_id", "site_model": "facilities.Site"}

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-created_at"]
        constraints = [
            # A retried request with the same client key never books twice.
            models.UniqueConstraint(fields=["user", "client_key"], condition=~models.Q(client_key=""),
                                    name="one_booking_per_client_key"),
        ]
        indexes = [models.Index(fields=["user", "status"], name="booking_user_status"),
                   # the newest first (the default order) and /metrics' bookings of the last minute
                   models.Index(fields=["created_at"], name="booking_created")]

    def __str__(self) -> str:
        return f"{self.code} {self.slot}"

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class WaitlistEntry(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Offered")
        TAKEN = "taken", _("Took the place")
        LAPSED = "lapsed", _("Offer lapsed")
        LEFT = "left", _("Left the list")

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="waitlist")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waitlist_entries")
    places = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField(auto_now_add=True)
    offer = models.OneToOneField(Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="waitlist_entry")

    scope_fields = {"region": "slot__unit__region__code", "site": "slot__unit__site_id", "site_model": "facilities.Site"}

    class Meta:
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist")
        ordering = ["slot_id", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["slot", "user"], condition=models.Q(status__in=["waiting", "offered"]),
                                               name="one_waitlist_entry_per_person")]

    def __str__(self) -> str:
        return f"{self.slot} #{self.pk}"


class Certificate(models.Model):
    """An eligibility certificate, checked once by staff, then applied to every booking."""

    class Kind(models.TextChoices):
        SENIOR = "senior", _("Senior (60+)")
        DISABLED = "disabled", _("Disability certificate")
        STUDENT = "student", _("Student")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a check")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    image = models.ImageField(_("photo of the certificate"), upload_to="certificates/%Y/%m/")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    checked_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               help_text=_("The holder's division: staff there check it."))
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("eligibility certificate")
        verbose_name_plural = _("eligibility certificates")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"


class Strike(models.Model):
    """A no-show; enough of them within the period suspend online booking."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="booking_strikes")
    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="strike")
    at = models.DateTimeField(auto_now_add=True)
    forgiven = models.BooleanField(default=False)
    forgiven_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("no-show strike")
        verbose_name_plural = _("no-show strikes")

    def __str__(self) -> str:
        return f"{self.user_id} {localtime(self.at):%Y-%m-%d}"


class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for payment")
        PAID = "paid", pgettext_lazy("payment", "Paid")
        ON_SITE = "on_site", _("Pay on site")
        REFUNDED = "refunded", _("Refunded")
        PARTLY_REFUNDED = "partly_refunded", _("Partly refunded")
        FAILED = "failed", _("Failed")

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="payment")
    provider = models.CharField(max_length=20)
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    refunded = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    status = models.CharField(max_length=16, choices=Status.choices)
    reference = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.provider} {self.amount} {self.status}"

    @property
    def shown_status(self) -> str:
        """What the person reads: a free booking is free, not "paid"; a pay-on-site booking cancelled
        before anything was paid owes nothing, not "refunded"; a refund only of what was paid."""
        if self.provider == "free" or self.amount == 0:
            return str(_("Free"))
        if self.provider == "on_site":
            if self.status == self.Status.REFUNDED and not self.refunded:
                return str(_("Nothing to pay"))
            return str(_("Pay on site"))
        return str(self.get_status_display())


from .models_counts import VisitCount  # noqa: E402, F401  (hourly visitor counts live in their own module)
