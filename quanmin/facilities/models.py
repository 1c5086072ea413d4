from django.db import models
from django.utils.translation import gettext_lazy as _

from . import equipment_types, types


class Site(models.Model):
    """A place with an address and coordinates (WGS-84) holding one or more facilities."""

    class OwnerKind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        SCHOOL = "school", _("School")
        ENTERPRISE = "enterprise", _("Enterprise")
        COMMUNITY = "community", _("Community")
        PRIVATE = "private", _("Private")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        BUILDING = "building", _("Under construction")
        OPEN = "open", _("Open")
        REPAIR = "repair", _("Closed for repair")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=200, blank=True)
    lon = models.FloatField(_("longitude (WGS-84)"))
    lat = models.FloatField(_("latitude (WGS-84)"))
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="sites")
    owner_kind = models.CharField(_("owner"), max_length=12, choices=OwnerKind.choices, default=OwnerKind.GOVERNMENT)
    manager = models.CharField(_("managing unit"), max_length=120, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    # Accessibility features (无障碍设施): step-free access, accessible toilet, parking, lift, tactile paving.
    accessible_entrance = models.BooleanField(_("step-free entrance"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    accessible_parking = models.BooleanField(_("accessible parking"), default=False)
    school_rules = models.TextField(
        _("rules for the public"), blank=True,
        help_text=_("For school grounds opened to the public: who may enter, registration, what to bring."),
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_fields = {"region": "region__code", "site": "id", "site_model": "facilities.Site"}

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]
        indexes = [models.Index(fields=["lat", "lon"], name="site_lat_lon")]

    def __str__(self) -> str:
        return self.name

    @property
    def accessible(self) -> bool:
        return self.accessible_entrance or self.accessible_toilet or self.accessible_parking

    @property
    def is_school(self) -> bool:
        return self.owner_kind == self.OwnerKind.SCHOOL


class SitePhoto(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="sites/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=120, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"region": "site__region__code", "site": "site_id", "site_model": "facilities.Site"}

    class Meta:
        verbose_name = _("site photo")
        verbose_name_plural = _("site photos")

    def __str__(self) -> str:
        return self.caption or self.image.name


class Facility(models.Model):
    """One sports ground as the national census counts it (体育场地)."""

    class Access(models.TextChoices):
        FREE = "free", _("Free")
        LOW_FEE = "low_fee", _("Low fee")
        PAID = "paid", _("Paid")
        MEMBERS = "members", _("Members only")
        CLOSED = "not_open", _("Not open to the public")

    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="facilities")
    type = models.CharField(_("type"), max_length=24)  # indexed in Meta: no text-pattern twin (see there)
    name = models.CharField(_("name"), max_length=120, blank=True)
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=12, decimal_places=2, null=True, blank=True)
    length_km = models.DecimalField(_("length (km)"), max_digits=8, decimal_places=3, null=True, blank=True)
    indoor = models.BooleanField(_("indoor"), default=False)
    lit = models.BooleanField(_("lit"), default=False)
    smart = models.BooleanField(_("smart equipment"), default=False)
    year_built = models.PositiveSmallIntegerField(_("year built"), null=True, blank=True)
    year_refurbished = models.PositiveSmallIntegerField(_("year refurbished"), null=True, blank=True)
    access = models.CharField(_("access"), max_length=10, choices=Access.choices, default=Access.FREE)
    # Copied from the site so that roll-ups and nearby searches over a million rows need no join;
    # services keep them in step when a site moves.
    # No index of its own: facility_figures begins with it (every write of a facility updates each index).
    # No key check in the database either: the site's own is the check (the copy is set from the site,
    # never from input), and it cost PostgreSQL 60 of the 130 ms of key checks of bench/facilities.py's
    # 20,000 new facilities. Django still protects a division that facilities name from deletion.
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", editable=False,
                               db_index=False, db_constraint=False)
    lon = models.FloatField(editable=False)
    lat = models.FloatField(editable=False)
    open = models.BooleanField(editable=False, default=True)  # site open and facility open to someone
    external_id = models.CharField(_("register number"), max_length=40, blank=True,
                                   help_text=_("The number in the sports-ground register; imports match on it."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)  # no index: nothing asks by it
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_fields = {"region": "region__code", "site": "site_id", "site_model": "facilities.Site"}

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["site_id", "id"]
        # Each index is written with every new facility: on PostgreSQL, 20,000 new ones took 25-40 ms
        # more per index (bench/facilities.py's import, the indexes dropped one by one). The type's is a
        # plain one: the field's own db_index added a text-pattern (LIKE) twin that no query uses.
        indexes = [
            models.Index(fields=["type"], name="facility_type"),
            models.Index(fields=["lat", "lon"], name="facility_lat_lon"),
            # Covers the roll-up queries (facilities/figures.py): they read the index alone, in order.
            models.Index(fields=["region", "type", "site", "area_m2", "length_km", "smart", "year_built", "access"],
                         name="facility_figures"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["external_id"], condition=~models.Q(external_id=""),
                                    name="unique_facility_register_number"),
        ]

    def __str__(self) -> str:
        return self.name or self.type_label

    @property
    def type_info(self) -> types.FacilityType | None:
        return types.TYPES.get(self.type)

    @property
    def type_label(self) -> str:
        info = self.type_info
        return info.label if info else self.type


class OpeningRule(models.Model):
    """Weekly hours. Weekday 0-6 is Monday-Sunday; 7 is a statutory public holiday."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Opening hours")
        BENEFIT = "benefit", _("Free or low-fee hours")
        SCHOOL = "school", _("Open to the public (school ground)")

    HOLIDAY = 7
    WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
                (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday")), (7, _("Public holiday"))]

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="opening_rules")
    facility = models.ForeignKey(Facility, null=True, blank=True, on_delete=models.CASCADE, related_name="opening_rules",
                                 help_text=_("Empty: the rule is for the whole site."))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.REGULAR)
    weekday = models.PositiveSmallIntegerField(_("day"), choices=WEEKDAYS)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    price_note = models.CharField(_("price"), max_length=60, blank=True)

    scope_fields = {"region": "site__region__code", "site": "site_id", "site_model": "facilities.Site"}

    class Meta:
        verbose_name = _("opening rule")
        verbose_name_plural = _("opening rules")
        ordering = ["site_id", "kind", "weekday", "opens"]
        constraints = [models.CheckConstraint(condition=models.Q(closes__gt=models.F("opens")), name="opening_closes_after_opens")]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class OpeningException(models.Model):
    """A date that differs from the weekly rules: closed, or other hours."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="opening_exceptions")
    date = models.DateField(_("date"))
    closed = models.BooleanField(_("closed all day"), default=True)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    note = models.CharField(_("reason"), max_length=120, blank=True)

    scope_fields = {"region": "site__region__code", "site": "site_id", "site_model": "facilities.Site"}

    class Meta:
        verbose_name = _("opening exception")
        verbose_name_plural = _("opening exceptions")
        ordering = ["site_id", "date"]
        constraints = [models.UniqueConstraint(fields=["site", "date"], name="one_exception_per_site_day")]

    def __str__(self) -> str:
        return f"{self.date} {self.note}"


class Equipment(models.Model):
    """One installed piece of fitness equipment (健身器材), with its QR tag."""

    class Status(models.TextChoices):
        IN_SERVICE = "in_service", _("In service")
        DEFECTIVE = "defective", _("Defective")
        OUT_OF_SERVICE = "out_of_service", _("Out of service")
        REMOVED = "removed", _("Removed")

    facility = models.ForeignKey(Facility, verbose_name=_("facility"), on_delete=models.CASCADE,
                                 related_name="equipment")
    kind = models.CharField(_("equipment type"), max_length=32, db_index=True)
    maker = models.CharField(_("maker"), max_length=120, blank=True)
    model = models.CharField(_("model"), max_length=80, blank=True)
    serial = models.CharField(_("serial number"), max_length=60, blank=True)
    install_date = models.DateField(_("install date"), null=True, blank=True)
    design_life_years = models.PositiveSmallIntegerField(_("design life (years)"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.IN_SERVICE,
                              db_index=True)
    smart = models.BooleanField(_("smart equipment"), default=False)
    # The code printed on the QR tag: short, unguessable, unique; a resident scans it to report.
    tag = models.CharField(_("tag code"), max_length=16, unique=True)
    external_id = models.CharField(_("register number"), max_length=40, blank=True,
                                   help_text=_("The number in the equipment register; imports match on it."))
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Copied from the facility (as Facility copies from its site) so roll-ups need no join.
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", editable=False)
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+", editable=False)
    lon = models.FloatField(editable=False)
    lat = models.FloatField(editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_fields = {"region": "region__code", "site": "site_id", "site_model": "facilities.Site"}

    class Meta:
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        ordering = ["facility_id", "id"]
        indexes = [models.Index(fields=["region", "status", "install_date"], name="equipment_figures")]
        constraints = [
            models.UniqueConstraint(fields=["external_id"], condition=~models.Q(external_id=""),
                                    name="unique_equipment_register_number"),
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} · {self.tag}"

    @property
    def kind_label(self) -> str:

        info = equipment_types.TYPES.get(self.kind)
        return info.label if info else self.kind

    @property
    def design_life_unverified(self) -> bool:
        """The piece carries its type's figure and that figure was not read in the standard itself."""
        info = equipment_types.TYPES.get(self.kind)
        return bool(info and not info.life_verified and self.design_life_years == info.design_life_years)

    @property
    def replace_due(self):
        """The date the piece reaches its design life; None without an install date."""
        if not self.install_date:
            return None
        try:
            return self.install_date.replace(year=self.install_date.year + self.design_life_years)
        except ValueError:  # 29 February
            return self.install_date.replace(year=self.install_date.year + self.design_life_years, day=28)
