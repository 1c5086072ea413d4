"""Sports points (运动积分) and sports consumption vouchers (体育消费券).

Points: a city's `PointsRule`s say how many points a fact earns (a checked-in booking, a confirmed
instructor service or volunteer hour, an event entry or finish, a physique test, attendance at a
group activity) within daily and yearly caps. Crediting reads those facts from the domain apps since
a `Watermark`; every fact is written once into the append-only `PointsEntry` ledger under a unique
source key, so re-reading credits nothing. `PointsAccount.balance` is the sum of a person's entries.

Vouchers: a `VoucherCampaign` issues at most `total` vouchers of a face value above a threshold
(满100减30) to real-name persons, at most `per_person` each; `issued` never exceeds `total` (a CHECK
constraint), and one person's n-th voucher of a campaign exists once (a unique constraint), so an
over-issue is impossible even if code is wrong. A `Voucher` is redeemed once (a conditional UPDATE
from "claimed"), at a venue that joined the campaign (`CampaignSite`), and lands on the venue's
`Settlement` for its period.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Fact(models.TextChoices):
    CHECK_IN = "check_in", _("A booking checked in")
    GROUP_ACTIVITY = "group_activity", _("Attendance at a group activity")
    INSTRUCTOR_SERVICE = "instructor_service", _("A confirmed instructor service")
    VOLUNTEER_HOUR = "volunteer_hour", _("A confirmed volunteer hour")
    EVENT_ENTRY = "event_entry", _("An event entry")
    EVENT_FINISH = "event_finish", _("An event finished")
    PHYSIQUE_TEST = "physique_test", _("A physique test")
    EXERCISE_STANDARD = "exercise_standard", _("An exercise standard test")


class PointsRule(models.Model):
    """How many points one fact earns in a city, within caps (per person, per day and per year)."""

    city = models.ForeignKey("regions.Region", verbose_name=_("city"), on_delete=models.PROTECT, related_name="+")
    fact = models.CharField(_("what is rewarded"), max_length=20, choices=Fact.choices)
    points = models.PositiveIntegerField(_("points"), help_text=_("For a volunteer hour: points per hour."))
    daily_cap = models.PositiveIntegerField(_("at most per day"), null=True, blank=True)
    yearly_cap = models.PositiveIntegerField(_("at most per year"), null=True, blank=True)
    # Facts from this day on earn points; what happened before the rule was set earns nothing.
    starts_on = models.DateField(_("rewards from"), default=timezone.localdate)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_fields = {"region": "city__code"}

    class Meta:
        verbose_name = _("points rule")
        verbose_name_plural = _("points rules")
        ordering = ["city_id", "fact"]
        constraints = [
            models.UniqueConstraint(fields=["city", "fact"], name="one_points_rule_per_fact"),
            models.CheckConstraint(condition=models.Q(points__gt=0), name="points_rule_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_fact_display()} {self.points}"


class PointsSettings(models.Model):
    """What a city's points buy when spent: how many points make a yuan and the largest share of one
    price (a booking's, an entry fee) that points may pay. Set by the city's staff (audited); a city
    without a row uses the defaults (settings.INCENTIVES_POINTS_PER_YUAN and _MAX_SHARE)."""

    city = models.OneToOneField("regions.Region", verbose_name=_("city"), on_delete=models.CASCADE, related_name="+")
    points_per_yuan = models.PositiveIntegerField(_("points a yuan"))
    max_share = models.PositiveSmallIntegerField(_("most a price points pay (per cent)"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    scope_fields = {"region": "city__code"}

    class Meta:
        verbose_name = _("points spending settings")
        verbose_name_plural = _("points spending settings")
        ordering = ["city_id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(points_per_yuan__gte=1, points_per_yuan__lte=100000),
                                   name="points_per_yuan_range"),
            models.CheckConstraint(condition=models.Q(max_share__gte=1, max_share__lte=100), name="points_max_share_range"),
        ]

    def __str__(self) -> str:
        return f"{self.city_id}: {self.points_per_yuan} / {self.max_share}%"


class Watermark(models.Model):
    """How far crediting has read one kind of fact: the change time of the last fact read."""

    key = models.CharField(max_length=40, unique=True)
    at = models.DateTimeField(null=True, blank=True)
    runs = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("crediting watermark")
        verbose_name_plural = _("crediting watermarks")

    def __str__(self) -> str:
        return f"{self.key} {self.at}"


class PointsAccount(models.Model):
    """A person's points: the balance is the sum of their ledger entries (kept in step, checked by tests and the bench)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="points_account")
    balance = models.IntegerField(_("balance"), default=0)
    earned = models.IntegerField(_("earned"), default=0)
    spent = models.IntegerField(_("spent"), default=0)
    expired = models.IntegerField(_("expired"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    scope_fields = {"region": "user__home_region__code"}

    class Meta:
        verbose_name = _("points account")
        verbose_name_plural = _("points accounts")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.balance}"


class PointsEntry(models.Model):
    """One line of the append-only ledger. Nothing updates or deletes a line: a fact undone gets a
    reversal line, spent points a redemption line, points past their date an expiry line."""

    class Kind(models.TextChoices):
        CREDIT = "credit", _("Earned")
        REVERSAL = "reversal", _("Taken back (the activity was undone)")
        REDEEM = "redeem", _("Spent")
        REFUND = "refund", _("Returned (the booking was cancelled)")
        EXPIRY = "expiry", _("Expired")

    # Few indexes: the ledger takes a million lines in a run (the (user, fact, day) index serves the user).
    # No database constraints on its references: checking a million new lines against the users and
    # the rules at commit took a third of a crediting run (bench/incentives.py). Every line's person
    # comes from a domain row that holds its own constraint, people are made anonymous rather than
    # deleted, and a rule is deleted only through Django (which sets the reference to NULL).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="points_entries",
                             db_index=False, db_constraint=False)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    points = models.IntegerField(_("points"))
    fact = models.CharField(_("for"), max_length=20, choices=Fact.choices, blank=True)
    # Unique: a fact is credited once ("check_in:42"), reversed once ("undo:check_in:42"), a booking's
    # points spent once ("spend:booking:7") — whoever runs the same step again writes nothing.
    # (A UniqueConstraint, not unique=True: on PostgreSQL that adds a second, pattern-ops index that no
    # query uses and every credited line pays for.)
    source_key = models.CharField(max_length=64)
    rule = models.ForeignKey(PointsRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             db_index=False, db_constraint=False)
    region_code = models.CharField(_("division"), max_length=12, blank=True)
    day = models.DateField(_("date"))
    expires_on = models.DateField(_("expires"), null=True, blank=True)
    capped = models.BooleanField(_("over a cap"), default=False)
    note = models.CharField(_("note"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"region": "region_code"}

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points ledger")
        ordering = ["-day", "-id"]
        indexes = [models.Index(fields=["user", "fact", "day"], name="points_user_fact_day"),
                   models.Index(fields=["region_code", "day"], name="points_region_day")]
        constraints = [models.UniqueConstraint(fields=["source_key"], name="points_entry_source_once")]

    def __str__(self) -> str:
        return f"{self.source_key} {self.points:+d}"


# --- vouchers ------------------------------------------------------------------------------------

class VoucherCampaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Published")
        CLOSED = "closed", pgettext_lazy("campaign", "Closed")

    region = models.ForeignKey("regions.Region", verbose_name=_("issuing division"), on_delete=models.PROTECT,
                               related_name="+")
    name = models.CharField(_("name"), max_length=80)
    budget = models.DecimalField(_("budget (yuan)"), max_digits=12, decimal_places=2)
    face_value = models.DecimalField(_("face value (yuan)"), max_digits=8, decimal_places=2)
    threshold = models.DecimalField(_("minimum spend (yuan)"), max_digits=8, decimal_places=2, default=0)
    total = models.PositiveIntegerField(_("vouchers"))
    issued = models.PositiveIntegerField(_("vouchers claimed"), default=0)
    per_person = models.PositiveSmallIntegerField(_("per person"), default=1)
    per_device = models.PositiveSmallIntegerField(_("per phone"), default=1)
    per_address = models.PositiveIntegerField(_("per network address"), default=50)
    claim_starts_at = models.DateTimeField(_("claiming opens"))
    claim_ends_at = models.DateTimeField(_("claiming closes"))
    use_until = models.DateTimeField(_("usable until"))
    valid_days = models.PositiveSmallIntegerField(_("usable for days after claiming"), null=True, blank=True)
    return_unused = models.BooleanField(_("unused vouchers return to the pool"), default=True)
    benefit_hours_only = models.BooleanField(_("public-benefit hours only"), default=False)
    # [{"days": [0..6] (Monday 0), "start": "HH:MM", "end": "HH:MM"}]; none: any time the venue is open.
    bands = models.JSONField(_("time bands"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("voucher campaign")
        verbose_name_plural = _("voucher campaigns")
        ordering = ["-claim_starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(issued__lte=models.F("total")), name="campaign_never_over_issued"),
            models.CheckConstraint(condition=models.Q(face_value__gt=0), name="campaign_face_value_positive"),
            models.CheckConstraint(condition=models.Q(claim_ends_at__gt=models.F("claim_starts_at")),
                                   name="campaign_claim_window"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def left(self) -> int:
        return max(self.total - self.issued, 0)


class CampaignSite(models.Model):
    """A venue that joined a campaign: vouchers are redeemed there and it is settled with."""

    campaign = models.ForeignKey(VoucherCampaign, on_delete=models.CASCADE, related_name="venues")
    site = models.ForeignKey("facilities.Site", verbose_name=_("venue"), on_delete=models.PROTECT, related_name="+")
    commercial = models.BooleanField(_("commercial venue"), default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"region": "campaign__region__code", "site": "site_id", "site_model": "facilities.Site"}

    class Meta:
        verbose_name = _("participating venue")
        verbose_name_plural = _("participating venues")
        constraints = [models.UniqueConstraint(fields=["campaign", "site"], name="one_join_per_venue")]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.site_id}"


def new_voucher_code() -> str:
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(12))


class Settlement(models.Model):
    """What the bureau owes one venue for one campaign and period: drafted by staff from the
    redemptions, confirmed by the venue, approved by the bureau."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Waiting for the venue")
        CONFIRMED = "confirmed", _("Confirmed by the venue")
        APPROVED = "approved", _("Approved for payment")

    campaign = models.ForeignKey(VoucherCampaign, on_delete=models.PROTECT, related_name="settlements")
    site = models.ForeignKey("facilities.Site", verbose_name=_("venue"), on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    vouchers = models.PositiveIntegerField(_("vouchers redeemed"), default=0)
    consumption = models.DecimalField(_("consumption (yuan)"), max_digits=12, decimal_places=2, default=0)
    subsidy = models.DecimalField(_("subsidy owed (yuan)"), max_digits=12, decimal_places=2, default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    scope_fields = {"region": "campaign__region__code", "site": "site_id", "site_model": "facilities.Site"}

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        ordering = ["-period_end", "site_id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "site", "period_start", "period_end"], name="one_settlement_per_period"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")), name="settlement_period"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.site_id} {self.period_start}–{self.period_end}"


class Voucher(models.Model):
    """One claimed voucher: who claimed it (the real-name person, from which phone and address),
    where and when it was redeemed and by whom, and the settlement it was paid in."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("Ready to use")
        REDEEMED = "redeemed", _("Used")
        EXPIRED = "expired", _("Expired")
        RETURNED = "returned", _("Expired, back in the pool")

    campaign = models.ForeignKey(VoucherCampaign, on_delete=models.PROTECT, related_name="vouchers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vouchers")
    # The real-name person (the keyed hash of the ID number): the per-person limit counts persons, not accounts.
    person_key = models.CharField(max_length=64, editable=False)
    nth = models.PositiveSmallIntegerField(editable=False)
    code = models.CharField(_("voucher code"), max_length=12, unique=True, default=new_voucher_code)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.CLAIMED, db_index=True)
    claimed_at = models.DateTimeField(_("claimed"))
    expires_at = models.DateTimeField(_("usable until"))
    device_key = models.CharField(max_length=64, blank=True, editable=False)
    address_key = models.CharField(max_length=64, blank=True, editable=False)
    redeemed_at = models.DateTimeField(_("used"), null=True, blank=True)
    site = models.ForeignKey("facilities.Site", verbose_name=_("venue"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    booking = models.ForeignKey("booking.Booking", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    spend = models.DecimalField(_("consumption (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True)
    discount = models.DecimalField(_("discount (yuan)"), max_digits=8, decimal_places=2, null=True, blank=True)
    settlement = models.ForeignKey(Settlement, null=True, blank=True, on_delete=models.PROTECT, related_name="lines")

    scope_fields = {"region": "campaign__region__code", "site": "site_id", "site_model": "facilities.Site"}

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person_key", "nth"], name="one_voucher_per_person_turn"),
        ]
        indexes = [models.Index(fields=["campaign", "device_key"], name="voucher_campaign_device"),
                   models.Index(fields=["campaign", "address_key"], name="voucher_campaign_address"),
                   models.Index(fields=["site", "redeemed_at"], name="voucher_site_redeemed")]

    def __str__(self) -> str:
        return self.code


# --- honours and selections (F04) ----------------------------------------------------------------

class Selection(models.Model):
    """An honour a division awards after nomination and a public vote (健身达人, 健身最美家庭, 运动达人,
    outstanding instructors, model counties…): nominations are taken, accepted by staff, voted on by
    the public (one vote per real-name person per selection) and the winners published."""

    class Kind(models.TextChoices):
        FITNESS_STAR = "fitness_star", _("Fitness star (健身达人)")
        FAMILY = "family", _("Most beautiful fitness family (健身最美家庭)")
        SPORTS_STAR = "sports_star", _("Sports star (运动达人)")
        SPORTSPERSON = "sportsperson", _("I am a sportsperson (我是运动家)")
        INSTRUCTOR = "instructor", _("Outstanding social sports instructor")
        MODEL_DIVISION = "model_division", _("Model county or community for national fitness")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        NOMINATING = "nominating", _("Taking nominations")
        VOTING = "voting", _("Public voting")
        PUBLISHED = "published", _("Results published")

    region = models.ForeignKey("regions.Region", verbose_name=_("awarding division"), on_delete=models.PROTECT,
                               related_name="+")
    kind = models.CharField(_("honour"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=80)
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(_("criteria"), blank=True)
    places = models.PositiveSmallIntegerField(_("places"), default=10)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("honour selection")
        verbose_name_plural = _("honour selections")
        ordering = ["-year", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(places__gte=1), name="selection_places_positive")]

    def __str__(self) -> str:
        return self.name


class Nomination(models.Model):
    """A nominee of a selection: a person, a family or a division, put forward by a resident (waits for
    staff) or by staff (accepted at once). `votes` counts the public's votes (kept with the Vote rows
    in one transaction)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", pgettext_lazy("review", "Not accepted")

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="nominations")
    nominee = models.CharField(_("nominee"), max_length=60)
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT, related_name="+")
    citation = models.TextField(_("why"), max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    votes = models.PositiveIntegerField(_("votes"), default=0)
    winner = models.BooleanField(pgettext_lazy("honour", "awarded"), default=False)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"region": "selection__region__code"}

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-votes", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["selection", "nominee", "region"], name="one_nomination_per_nominee")]

    def __str__(self) -> str:
        return self.nominee


class Vote(models.Model):
    """One real-name person's vote in a selection: unique per (selection, person), so a second vote,
    from any account of the same person and however many requests at once, is refused."""

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="+")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    person_key = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"region": "selection__region__code"}

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["selection", "person_key"], name="one_vote_per_person")]

    def __str__(self) -> str:
        return f"{self.selection_id} {self.nomination_id}"
