"""Sports tourism and sports heritage (G13): the registers of 体旅融合 and of 体育文物藏品.

Seed 000 (Liaocheng) asks to build 「一批有影响力的体育旅游精品线路、精品赛事和示范基地」 (walks along
东昌湖, the round-the-lake hike, orienteering in the old town, water events) and seed 001 (Jiaxing)
「推动各地体育博物馆、体育名人堂和体育档案馆建设，做好体育文物藏品征集和收藏管理保护」. Neither sets a
number: the indicators count what the registers hold.

Sports tourism, shown to residents on /tourism/:
- `Route`: a quality sports-tourism route (精品线路) of a division, with its length, season, text,
  photo and day it was launched; `RouteStop`s in order, each a registered `facilities.Site` where
  the place is one (its name and coordinates copied from it), else a named point with coordinates.
- `Base`: a sports-tourism demonstration base (示范基地) and the level that named it (national,
  provincial, city) in a year; optionally the registered Site it is.
- `QualityEvent`: a quality event (精品赛事) named by the tourism programme. A plain record by name
  and dates: the events register is a sibling app of the same layer (no import between them), and
  many such events (the 7.20 chess festival, dragon-boat races) are run by others.

Sports heritage, staff only:
- `Holder`: a sports museum, hall of fame, archive or collection room that keeps items.
- `Item`: one catalogued item (藏品) of a holder, its catalogue number unique within the holder;
  a donor's phone is personal data, kept encrypted (`donor_phone_enc`) and shown masked.
- `ItemLog`: the item's condition checks, loans and returns, in order; the item keeps its
  current condition and borrower (set only by the services, from the log).
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from quanmin.accounts import crypto


class Route(models.Model):
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    name = models.CharField(_("route"), max_length=120)
    length_km = models.DecimalField(_("length (km)"), max_digits=7, decimal_places=2)
    season = models.CharField(_("best season"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="heritage/routes/%Y/", blank=True)
    opened_on = models.DateField(_("launched on"))
    active = models.BooleanField(_("offered"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("sports-tourism route")
        verbose_name_plural = _("sports-tourism routes")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="heritage_route_unique_name"),
            models.CheckConstraint(condition=Q(length_km__gt=0), name="heritage_route_has_length"),
        ]
        indexes = [models.Index(fields=["region", "opened_on"], name="heritage_route_region")]

    def __str__(self) -> str:
        return self.name


class RouteStop(models.Model):
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="stops")
    position = models.PositiveSmallIntegerField(_("order"))
    site = models.ForeignKey("facilities.Site", verbose_name=_("registered site"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(_("place"), max_length=120)
    lon = models.FloatField(_("longitude (WGS-84)"))
    lat = models.FloatField(_("latitude (WGS-84)"))

    class Meta:
        ordering = ["route_id", "position"]
        verbose_name = _("stop")
        verbose_name_plural = _("stops")
        constraints = [models.UniqueConstraint(fields=["route", "position"], name="heritage_stop_order")]

    def __str__(self) -> str:
        return self.name


class BaseLevel(models.TextChoices):
    NATIONAL = "national", pgettext_lazy("base level", "National")
    PROVINCIAL = "provincial", pgettext_lazy("base level", "Provincial")
    CITY = "city", pgettext_lazy("base level", "City")


class Base(models.Model):
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    name = models.CharField(_("demonstration base"), max_length=120)
    unit = models.CharField(_("operating unit"), max_length=120)
    level = models.CharField(_("named by"), max_length=10, choices=BaseLevel.choices)
    year_awarded = models.PositiveSmallIntegerField(_("year named"))
    site = models.ForeignKey("facilities.Site", verbose_name=_("registered site"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("title held"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("sports-tourism demonstration base")
        verbose_name_plural = _("sports-tourism demonstration bases")
        constraints = [models.UniqueConstraint(fields=["name", "level"], name="heritage_base_once_per_level")]
        indexes = [models.Index(fields=["region", "level"], name="heritage_base_region")]

    def __str__(self) -> str:
        return self.name


class QualityEvent(models.Model):
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    name = models.CharField(_("event"), max_length=120)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=120)
    organiser = models.CharField(_("organiser"), max_length=120, blank=True)
    site = models.ForeignKey("facilities.Site", verbose_name=_("registered site"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    description = models.TextField(_("description"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        ordering = ["-first_day", "pk"]
        verbose_name = _("quality sports-tourism event")
        verbose_name_plural = _("quality sports-tourism events")
        constraints = [
            models.UniqueConstraint(fields=["region", "name", "first_day"], name="heritage_event_once"),
            models.CheckConstraint(condition=Q(last_day__gte=F("first_day")), name="heritage_event_days"),
        ]

    def __str__(self) -> str:
        return self.name


class HolderKind(models.TextChoices):
    MUSEUM = "museum", _("Sports museum")
    HALL_OF_FAME = "hall_of_fame", _("Sports hall of fame")
    ARCHIVE = "archive", _("Sports archive")
    ROOM = "room", _("Collection room")


class Holder(models.Model):
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    name = models.CharField(pgettext_lazy("heritage", "holder"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=HolderKind.choices)
    site = models.ForeignKey("facilities.Site", verbose_name=_("registered site"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    address = models.CharField(_("address"), max_length=200, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("collection holder")
        verbose_name_plural = _("collection holders")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="heritage_holder_unique_name")]

    def __str__(self) -> str:
        return self.name


class ItemKind(models.TextChoices):
    OBJECT = "object", pgettext_lazy("heritage item", "Object")
    PHOTO = "photo", _("Photograph")
    DOCUMENT = "document", _("Document")
    MEDAL = "medal", _("Medal or trophy")
    AUDIO_VIDEO = "audio_video", _("Audio or video")


class Acquisition(models.TextChoices):
    DONATION = "donation", _("Donation")
    PURCHASE = "purchase", _("Purchase")
    TRANSFER = "transfer", _("Transfer")


class Condition(models.TextChoices):
    GOOD = "good", pgettext_lazy("item condition", "Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")
    DAMAGED = "damaged", _("Damaged")


class Item(models.Model):
    holder = models.ForeignKey(Holder, verbose_name=pgettext_lazy("heritage", "holder"), on_delete=models.PROTECT, related_name="items")
    # The holder's division, kept by the services (scoping and the indicator filter on it).
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", editable=False)
    catalogue_no = models.CharField(_("catalogue number"), max_length=40)
    title = models.CharField(pgettext_lazy("heritage", "title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=ItemKind.choices)
    era = models.CharField(_("era or date"), max_length=40, blank=True)
    donor = models.CharField(_("donor or source"), max_length=80, blank=True)
    donor_phone_enc = models.TextField(blank=True, editable=False)
    acquired_on = models.DateField(_("acquired on"))
    acquisition = models.CharField(_("acquired by"), max_length=10, choices=Acquisition.choices)
    location = models.CharField(_("kept at"), max_length=120, blank=True)
    condition = models.CharField(pgettext_lazy("heritage", "condition"), max_length=8, choices=Condition.choices, default=Condition.GOOD)
    on_loan_to = models.CharField(_("on loan to"), max_length=120, blank=True, editable=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        ordering = ["holder_id", "catalogue_no"]
        verbose_name = _("collection item")
        verbose_name_plural = _("collection items")
        constraints = [models.UniqueConstraint(fields=["holder", "catalogue_no"], name="heritage_item_catalogue_no")]
        indexes = [models.Index(fields=["region", "acquired_on"], name="heritage_item_region")]

    def __str__(self) -> str:
        return f"{self.catalogue_no} {self.title}"

    @property
    def donor_phone(self) -> str:
        return crypto.decrypt(self.donor_phone_enc)

    @property
    def donor_phone_masked(self) -> str:
        return crypto.mask_phone(self.donor_phone)


class LogKind(models.TextChoices):
    CHECK = "check", _("Condition check")
    LOAN = "loan", _("Loan out")
    RETURN = "return", _("Return from loan")


class ItemLog(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="logs")
    kind = models.CharField(pgettext_lazy("heritage", "entry"), max_length=8, choices=LogKind.choices)
    day = models.DateField(pgettext_lazy("heritage", "day"))
    condition = models.CharField(pgettext_lazy("heritage", "condition"), max_length=8, choices=Condition.choices, blank=True)
    borrower = models.CharField(_("borrower"), max_length=120, blank=True)
    due_back = models.DateField(_("due back"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["item_id", "day", "pk"]
        verbose_name = _("collection log entry")
        verbose_name_plural = _("collection log entries")

    def __str__(self) -> str:
        return f"{self.item_id} {self.kind} {self.day}"
