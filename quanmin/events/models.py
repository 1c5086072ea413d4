"""Games and events at every level: a games (综合运动会) or a standalone event, its competitions per
sport and group, delegations, entries with quotas and a waiting list, results with a correction
trail, and awards.

A `Games` is either a multi-sport games (kind "games", with editions and a parent games for the
三级/四级 linkage) or a standalone event or activity (kind "event"): the same fields either way.
`Competition.taken` counts the places held by entries (pending, confirmed and offered); a CHECK
constraint keeps it within the capacity, so no code path can admit more than the quota.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from quanmin.booking.models import Payment
from quanmin.regions.models import Region

# Entry statuses that hold one of the competition's places.
HOLDING = ("pending", "confirmed", "offered", "unpaid")
# Entry statuses that count as "entered" for the one-entry-per-person rule.
OPEN = ("pending", "confirmed", "offered", "waiting", "unpaid")


class Sport(models.TextChoices):
    ATHLETICS = "athletics", _("Athletics")
    RUNNING = "running", _("Road running")
    MARATHON = "marathon", _("Marathon")
    WALKING = "walking", _("Fitness walking")
    MOUNTAINEERING = "mountaineering", _("Hill walking")
    SWIMMING = "swimming", _("Swimming")
    OPEN_WATER = "open_water", _("Open-water swimming")
    DRAGON_BOAT = "dragon_boat", _("Dragon boat")
    KAYAK = "kayak", _("Kayak")
    BASKETBALL = "basketball", _("Basketball")
    FOOTBALL = "football", _("Football")
    VOLLEYBALL = "volleyball", _("Volleyball")
    TABLE_TENNIS = "table_tennis", _("Table tennis")
    BADMINTON = "badminton", _("Badminton")
    TENNIS = "tennis", _("Tennis")
    CYCLING = "cycling", _("Cycling")
    TAIJI = "taiji", _("Taijiquan")
    QIGONG = "qigong", _("Health qigong")
    WUSHU = "wushu", _("Wushu")
    SQUARE_DANCE = "square_dance", _("Square dance")
    ROPE_SKIPPING = "rope_skipping", _("Rope skipping")
    TUG_OF_WAR = "tug_of_war", _("Tug of war")
    SHUTTLECOCK = "shuttlecock", _("Shuttlecock kicking")
    GATEBALL = "gateball", _("Gateball")
    ROULIQIU = "rouliqiu", _("Rouliqiu")
    FITNESS_BALL = "fitness_ball", _("Fitness ball exercise")
    XIANGQI = "xiangqi", _("Chinese chess")
    GO = "go", _("Go")
    CHESS = "chess", _("Chess")
    FISHING = "fishing", _("Angling")
    FITNESS = "fitness", _("Fitness exercise")
    OTHER = "other", _("Other")


class TargetGroup(models.TextChoices):
    WOMEN = "women", _("Women")
    ELDERLY = "elderly", _("Older people")
    YOUTH = "youth", _("Young people")
    CHILDREN = "children", _("Children")
    DISABLED = "disabled", _("People with disabilities")
    WORKERS = "workers", _("Employees")
    FARMERS = "farmers", _("Farmers")
    FAMILIES = "families", _("Families")


class ThemedDay(models.TextChoices):
    NONE = "", _("None")
    FITNESS_DAY = "fitness_day", _("National Fitness Day (8 August)")
    NEW_YEAR = "new_year", _("New Year")
    SPRING_FESTIVAL = "spring_festival", _("Spring Festival")
    SANYUESAN = "sanyuesan", _("Sanyuesan festival")
    HARVEST = "harvest", _("Farmers' harvest festival")
    SPORTS_FESTIVAL = "sports_festival", _("Sports festival")
    HOLIDAY = "holiday", _("Public holiday")


class Games(models.Model):
    """A games (综合运动会) or a standalone event or activity, at one level and division."""

    class Kind(models.TextChoices):
        GAMES = "games", _("Multi-sport games")
        EVENT = "event", _("Event or activity")

    class Mode(models.TextChoices):
        OFFLINE = "offline", _("On site")
        ONLINE = "online", _("Online")
        MIXED = "mixed", _("Online and on site")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    class Risk(models.TextChoices):
        LOW = "low", _("Low risk")
        MEDIUM = "medium", _("Medium risk")
        HIGH = "high", _("High risk")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices, default=Kind.GAMES)
    edition = models.PositiveSmallIntegerField(_("edition"), null=True, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Region.Level.choices)
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    parent = models.ForeignKey("self", verbose_name=_("part of"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="children")
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    organizer = models.CharField(_("organiser"), max_length=200)
    operator = models.CharField(_("operator"), max_length=200, blank=True)
    co_organizers = models.CharField(_("co-organisers"), max_length=400, blank=True)
    contract = models.CharField(_("government-purchase contract"), max_length=200, blank=True)
    funding = models.DecimalField(_("funding (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    association = models.CharField(_("association"), max_length=120, blank=True,
                                   help_text=_("The sports association holding the event, if one does."))
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("organising organisation"),
                                     null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                     help_text=_("The registered sports organisation that organises or holds it."))
    themed_day = models.CharField(_("themed day"), max_length=16, choices=ThemedDay.choices, blank=True, default="")
    # ",women,elderly,": commas around each so that one group is a plain substring match on any database.
    target_groups = models.CharField(_("target groups"), max_length=200, blank=True, default="")
    mode = models.CharField(_("held"), max_length=8, choices=Mode.choices, default=Mode.OFFLINE)
    brand = models.BooleanField(_("brand event"), default=False)
    brand_owner = models.CharField(_("brand owner"), max_length=120, blank=True)
    # The registered brand this event is one year of (A08, A09); linking sets `brand` (a brand event
    # not in the register keeps only the flag and its owner's name).
    brand_series = models.ForeignKey("events.Brand", verbose_name=_("brand series"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="events")
    description = models.TextField(_("description"), blank=True)
    first_day = models.DateField(_("first day"), null=True, blank=True, db_index=True)
    last_day = models.DateField(_("last day"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    payment_provider = models.CharField(_("entry fees paid"), max_length=20, default="on_site",
                                        choices=[("on_site", _("On site")), ("simulated", _("Online"))],
                                        help_text=_("How entrants pay a competition's fee (booking's payment providers)."))
    # Safety (A20): graded risk control, the pre-publication checklist and who answers for it.
    risk = models.CharField(_("risk grade"), max_length=6, choices=Risk.choices, default=Risk.LOW)
    venue_capacity_checked = models.BooleanField(_("venue capacity checked"), default=False)
    medical_cover = models.BooleanField(_("medical cover arranged"), default=False)
    insurance = models.BooleanField(_("insurance bought"), default=False)
    emergency_plan = models.BooleanField(_("emergency plan made"), default=False)
    organizer_responsible = models.CharField(_("responsible for the organiser"), max_length=60, blank=True)
    operator_responsible = models.CharField(_("responsible for the operator"), max_length=60, blank=True)
    authority_responsible = models.CharField(_("responsible at the sports authority"), max_length=60, blank=True)
    # Graded control (G14, 赛事活动分级管控): the people expected set the lowest grade (services.risk_floor);
    # a medium or high grade needs the safety plan and its health and epidemic measures on file to publish.
    expected_attendance = models.PositiveIntegerField(_("expected attendance"), null=True, blank=True,
                                                      help_text=_("Athletes, staff and spectators at the busiest "
                                                                  "moment."))
    safety_plan = models.TextField(_("safety work plan"), blank=True,
                                   help_text=_("Security, crowd control, evacuation and emergency response."))
    health_measures = models.TextField(_("health and epidemic measures"), blank=True,
                                       help_text=_("Medical posts, health checks and the epidemic-control "
                                                   "measures in force."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    # When everyone who asked to hear of it (Alert) was told; none yet: the tick still has to.
    alerted_at = models.DateTimeField(null=True, blank=True, editable=False)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("games or event")
        verbose_name_plural = _("games and events")
        ordering = ["-first_day", "-pk"]
        indexes = [models.Index(fields=["status", "first_day"], name="games_status_day")]

    def __str__(self) -> str:
        return self.name

    @property
    def checklist(self) -> dict:
        return {"venue_capacity_checked": self.venue_capacity_checked, "medical_cover": self.medical_cover,
                "insurance": self.insurance, "emergency_plan": self.emergency_plan,
                "organizer_responsible": bool(self.organizer_responsible.strip()),
                "operator_responsible": bool(self.operator_responsible.strip() or not self.operator.strip()),
                "authority_responsible": bool(self.authority_responsible.strip())}

    @property
    def checklist_complete(self) -> bool:
        return all(self.checklist.values())

    @property
    def group_list(self) -> list[str]:
        return [g for g in self.target_groups.split(",") if g]

    def target_group_labels(self) -> list[str]:
        labels = dict(TargetGroup.choices)
        return [str(labels[g]) for g in self.group_list if g in labels]


class Competition(models.Model):
    """One sport's contest in a games, for one age and sex group, with its quota and venue time."""

    class Format(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        TEAM = "team", _("Team")
        RELAY = "relay", _("Relay")

    class Sex(models.TextChoices):
        ANY = "any", _("Open to all")
        MALE = "male", _("Men")
        FEMALE = "female", _("Women")
        MIXED = "mixed", _("Mixed")

    class Measure(models.TextChoices):
        TIME = "time", _("Time (seconds, lower wins)")
        DISTANCE = "distance", _("Distance (metres, higher wins)")
        SCORE = "score", _("Score (points, higher wins)")
        COUNT = "count", _("Count (higher wins)")
        RANK = "rank", _("Placing only")

    class Stage(models.TextChoices):
        NONE = "", _("Not a school competition")
        PRIMARY = "primary", _("Primary school")
        JUNIOR = "junior", _("Junior secondary school")
        SENIOR = "senior", _("Senior secondary school")
        COLLEGE = "college", _("College and university")

    class Entries(models.TextChoices):
        OPEN = "open", _("Residents enter themselves")
        DELEGATION = "delegation", _("Delegations enter athletes")
        BOTH = "both", _("Both")

    games = models.ForeignKey(Games, verbose_name=_("games"), on_delete=models.CASCADE, related_name="competitions")
    sport = models.CharField(_("sport"), max_length=16, choices=Sport.choices)
    name = models.CharField(_("name"), max_length=120)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, default=Format.INDIVIDUAL)
    sex = models.CharField(_("sex group"), max_length=6, choices=Sex.choices, default=Sex.ANY)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    team_min = models.PositiveSmallIntegerField(_("team members at least"), default=1)
    team_max = models.PositiveSmallIntegerField(_("team members at most"), default=1)
    capacity = models.PositiveIntegerField(_("places"), default=100)
    taken = models.PositiveIntegerField(_("places taken"), default=0)
    delegation_quota = models.PositiveSmallIntegerField(_("places per delegation"), null=True, blank=True)
    fee = models.DecimalField(_("entry fee (yuan)"), max_digits=8, decimal_places=2, default=0)
    entries = models.CharField(_("who enters"), max_length=10, choices=Entries.choices, default=Entries.OPEN)
    residents_only = models.BooleanField(_("residents of the division only"), default=True)
    measure = models.CharField(_("result"), max_length=8, choices=Measure.choices, default=Measure.TIME)
    # A22: youth competitions by school stage (分学段).
    stage = models.CharField(_("school stage"), max_length=8, choices=Stage.choices, blank=True, default="")
    rules = models.TextField(_("rules"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    closes_at = models.DateTimeField(_("entries close"))
    site = models.ForeignKey("facilities.Site", verbose_name=_("venue"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey("booking.BookableUnit", verbose_name=_("court or space"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    venue_blocked = models.PositiveIntegerField(_("venue slots blocked"), default=0)

    scope_fields = {"region": "games__region__code"}

    class Meta:
        verbose_name = _("competition")
        verbose_name_plural = _("competitions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(taken__lte=models.F("capacity")), name="competition_within_quota"),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="competition_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def lower_wins(self) -> bool:
        return self.measure in (self.Measure.TIME, self.Measure.RANK)


class Delegation(models.Model):
    """A county, township, community, unit or association entering athletes in a games (代表团)."""

    class Kind(models.TextChoices):
        COUNTY = "county", _("County")
        TOWNSHIP = "township", _("Township")
        COMMUNITY = "community", _("Community or village")
        UNIT = "unit", _("Work unit")
        ASSOCIATION = "association", _("Association")

    games = models.ForeignKey(Games, verbose_name=_("games"), on_delete=models.CASCADE, related_name="delegations")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("organisation"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+",
                                     help_text=_("For an association's or a unit's delegation: the organisation."))

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["games_id", "name"]
        constraints = [models.UniqueConstraint(fields=["games", "name"], name="one_delegation_name_per_games")]

    def __str__(self) -> str:
        return self.name


def new_code() -> str:
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class Entry(models.Model):
    """An entry into a competition: one athlete, or a team with its members (the entrant is the
    captain). Sex, birth year and home division are copied from the account when entering, for the
    participation figures (no personal data beyond what the figures need)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the delegation leader")
        CONFIRMED = "confirmed", _("Entered")
        WAITING = "waiting", _("On the waiting list")
        OFFERED = "offered", _("A place is offered")
        UNPAID = "unpaid", _("Waiting for payment")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        LAPSED = "lapsed", _("Offer lapsed")
        REJECTED = "rejected", _("Not approved")

    competition = models.ForeignKey(Competition, on_delete=models.PROTECT, related_name="entry_set")
    games = models.ForeignKey(Games, on_delete=models.CASCADE, related_name="+", editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="event_entries")
    delegation = models.ForeignKey(Delegation, null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    team_name = models.CharField(_("team"), max_length=60, blank=True)
    athletes = models.PositiveSmallIntegerField(_("athletes"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED, db_index=True)
    sex = models.CharField(max_length=6, blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    region_code = models.CharField(max_length=12, blank=True, db_index=True)
    offer_expires_at = models.DateTimeField(_("offer open until"), null=True, blank=True)
    pay_by = models.DateTimeField(_("pay by"), null=True, blank=True)
    bib = models.CharField(_("bib"), max_length=10, unique=True, default=new_code)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    scope_fields = {"region": "games__region__code"}

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["competition_id", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "user"], condition=models.Q(status__in=OPEN),
                                    name="one_open_entry_per_person"),
        ]
        indexes = [models.Index(fields=["games", "status"], name="entry_games_status"),
                   models.Index(fields=["competition", "status"], name="entry_competition_status"),
                   models.Index(fields=["created_at"], name="entry_created")]  # /metrics: the last minute's entries

    def __str__(self) -> str:
        return self.team_name or self.bib

    @property
    def fee_or_none(self):
        try:
            return self.fee
        except EntryFee.DoesNotExist:
            return None


class EntryFee(models.Model):
    """What an entrant pays for an entry, through one of booking's payment providers (the same fields
    as booking's Payment, so that its providers open and refund it)."""

    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="fee")
    provider = models.CharField(max_length=20)
    amount = models.DecimalField(_("amount"), max_digits=8, decimal_places=2)
    refunded = models.DecimalField(_("refunded"), max_digits=8, decimal_places=2, default=0)
    status = models.CharField(_("status"), max_length=16, choices=Payment.Status.choices)
    reference = models.CharField(max_length=64, blank=True, db_index=True)
    # A discount a higher layer granted before the fee was taken (sports points): `amount` is what is
    # charged after it, `discount` what came off and `discount_basis` why (services_fees.take_discount).
    discount = models.DecimalField(_("discount"), max_digits=8, decimal_places=2, default=0)
    discount_basis = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_fields = {"region": "entry__games__region__code"}

    class Meta:
        verbose_name = _("entry fee")
        verbose_name_plural = _("entry fees")

    def __str__(self) -> str:
        return f"{self.amount} {self.status}"

    @property
    def pending_reference(self) -> str | None:
        return self.reference if self.status == Payment.Status.PENDING and self.provider == "simulated" else None


class TeamMember(models.Model):
    """A member of a team entry (the captain is the entry's user and a member too). `open` follows
    the entry's status (True while the entry is pending, confirmed, offered or waiting), so that a
    partial unique constraint keeps one person in at most one open team per competition, however
    many captains enter them at once."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="members")
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="+", editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    open = models.BooleanField(default=True, editable=False)
    sex = models.CharField(max_length=6, blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    region_code = models.CharField(max_length=12, blank=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [models.UniqueConstraint(fields=["entry", "user"], name="one_membership_per_team"),
                       models.UniqueConstraint(fields=["competition", "user"], condition=models.Q(open=True),
                                               name="one_open_team_per_person")]

    def __str__(self) -> str:
        return str(self.user_id)


class Result(models.Model):
    """A result of an entry in a round (heat or final): a value, a placing, points and a medal."""

    class Round(models.TextChoices):
        HEAT = "heat", _("Heat")
        SEMI = "semi", _("Semi-final")
        FINAL = "final", _("Final")

    class Status(models.TextChoices):
        OK = "ok", pgettext_lazy("result status", "Finished")
        DNS = "dns", _("Did not start")
        DNF = "dnf", _("Did not finish")
        DQ = "dq", _("Disqualified")

    class Review(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        SUBMITTED = "submitted", _("Waiting for review")
        REJECTED = "rejected", _("Rejected")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="results")
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="results", editable=False)
    round = models.CharField(_("round"), max_length=6, choices=Round.choices, default=Round.FINAL)
    heat = models.PositiveSmallIntegerField(_("heat"), default=1)
    value = models.DecimalField(_("result"), max_digits=12, decimal_places=3, null=True, blank=True)
    status = models.CharField(_("status"), max_length=4, choices=Status.choices, default=Status.OK)
    rank = models.PositiveIntegerField(_("placing"), null=True, blank=True)
    points = models.PositiveSmallIntegerField(_("points"), default=0)
    medal = models.CharField(_("medal"), max_length=6, blank=True)
    review = models.CharField(_("review"), max_length=10, choices=Review.choices, default=Review.ACCEPTED)
    evidence_url = models.URLField(_("video or device link"), blank=True)
    evidence = models.FileField(_("photo or device export"), upload_to="events/evidence/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    scope_fields = {"region": "competition__games__region__code"}

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["competition_id", "round", "heat", "rank", "pk"]
        constraints = [models.UniqueConstraint(fields=["entry", "round", "heat"], name="one_result_per_round")]
        indexes = [models.Index(fields=["competition", "round"], name="result_competition_round")]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.round} {self.value}"


class Correction(models.Model):
    """What a result was before someone changed it, by whom and why (the correction trail)."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="corrections")
    old_value = models.DecimalField(max_digits=12, decimal_places=3, null=True)
    new_value = models.DecimalField(max_digits=12, decimal_places=3, null=True)
    old_status = models.CharField(max_length=4)
    new_status = models.CharField(max_length=4)
    reason = models.CharField(_("reason"), max_length=200)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("result correction")
        verbose_name_plural = _("result corrections")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.old_value} → {self.new_value}"


class Award(models.Model):
    """A reward card (every athlete of a games, once) or a certificate (a placing), with a code that
    anyone can verify."""

    class Kind(models.TextChoices):
        CARD = "card", _("Reward card")
        CERTIFICATE = "certificate", _("Certificate")

    games = models.ForeignKey(Games, on_delete=models.CASCADE, related_name="awards")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_awards")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    result = models.ForeignKey(Result, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    code = models.CharField(_("verification code"), max_length=10, unique=True, default=new_code)
    issued_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"region": "games__region__code"}

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["games", "user"], condition=models.Q(kind="card"), name="one_card_per_games"),
            models.UniqueConstraint(fields=["result"], condition=models.Q(kind="certificate"),
                                    name="one_certificate_per_result"),
        ]

    def __str__(self) -> str:
        return self.title


class Alert(models.Model):
    """A resident's wish to hear of new events (A11): of one sport or any, in an area (a division:
    events held in it or in a division above that covers it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_alerts")
    sport = models.CharField(_("sport"), max_length=16, choices=Sport.choices, blank=True,
                             help_text=_("Empty: any sport."))
    region = models.ForeignKey("regions.Region", verbose_name=pgettext_lazy("event alert", "area"),
                               on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("event alert")
        verbose_name_plural = _("event alerts")
        ordering = ["user_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "sport", "region"], name="one_alert_per_sport_area")]

    def __str__(self) -> str:
        return f"{self.get_sport_display() or '*'} @ {self.region_id}"


class Notice(models.Model):
    """That a person was told of a games through their alerts: once per person and games."""

    games = models.ForeignKey(Games, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("event notice")
        verbose_name_plural = _("event notices")
        constraints = [models.UniqueConstraint(fields=["games", "user"], name="one_notice_per_games")]

    def __str__(self) -> str:
        return f"{self.games_id} → {self.user_id}"


class PromotedSport(models.Model):
    """A sport a division promotes in a year (A24: 1-2 simple, popular fitness sports a year)."""

    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    sport = models.CharField(_("sport"), max_length=16, choices=Sport.choices)
    note = models.CharField(_("how it is promoted"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("promoted sport")
        verbose_name_plural = _("promoted sports")
        ordering = ["-year", "region_id", "sport"]
        constraints = [models.UniqueConstraint(fields=["region", "year", "sport"], name="one_promotion_per_sport_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_sport_display()}"


class Brand(models.Model):
    """A named brand event series (品牌赛事活动) held by a unit (A08, A09): a division (a county may hold
    several, "一县多品"; each township "一镇一品", each village or community "一村一品") or a sports
    association ("一协会一品牌"), whose division it carries. Its events, one a year or more, link to it
    (Games.brand_series). A retired brand stays on record: it counted until the day it was retired."""

    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("association"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+",
                                     help_text=_("The sports association holding the brand; empty when the "
                                                 "division holds it."))
    sport = models.CharField(_("sport"), max_length=16, choices=Sport.choices, blank=True)
    since = models.PositiveSmallIntegerField(_("held since"))
    description = models.TextField(_("description"), blank=True)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    retire_reason = models.CharField(_("reason for retiring"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["region_id", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="one_brand_name_per_division")]
        indexes = [models.Index(fields=["retired_on", "region"], name="brand_retired_region")]

    def __str__(self) -> str:
        return self.name

    @property
    def active(self) -> bool:
        return self.retired_on is None

    @property
    def holder(self) -> str:
        """Who holds it, by name: the association, else the division."""
        return self.organization.name if self.organization_id else self.region.name

    def holder_kind_display(self) -> str:
        return str(_("Association")) if self.organization_id else str(self.region.get_level_display())
