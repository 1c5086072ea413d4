"""Import of the facilities register from Excel (.xlsx) or CSV: one row per facility with its site.

Every row is validated with services.clean_site / clean_facility. Sites are matched by (name,
division), facilities by system ID, then register number (场地编号), then (site, type, name).
The file is applied whole, in one transaction, or not at all (DESIGN rule 8).
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from quanmin.accounts import scoping
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import permissions, services, types
from .errors import FacilityError
from .io_read import BY_KEY, CHOICES, COLUMNS, MAX_BYTES, Rows, choice_map, read_workbook, too_big
from .models import Facility, Site

__all__ = ["COLUMNS", "MAX_BYTES", "ImportReport", "Rows", "import_rows", "read_workbook", "too_big"]

CHUNK = 500  # IN-list size, well under every database's parameter limit
SITE_KEYS = ("address", "lon", "lat", "owner_kind", "manager", "contact_phone", "status")
SITE_TEXT = ("address", "manager", "contact_phone")
FACILITY_KEYS = ("external_id", "name", "type", "area_m2", "length_km", "indoor", "lit", "smart",
                 "year_built", "year_refurbished", "access")
BOOL_KEYS = ("indoor", "lit", "smart")
YEAR_KEYS = ("year_built", "year_refurbished")
TRUE = {"是", "有", "y", "yes", "true", "1", "√", "✓", "on", "室内", "indoor"}
FALSE = {"否", "无", "n", "no", "false", "0", "×", "off", "室外", "outdoor"}


# ---------------------------------------------------------------- the report


@dataclass
class RowReport:
    line: int
    action: str  # new, updated, unchanged, rejected
    site: str = ""
    facility: str = ""
    changes: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)


@dataclass
class ImportReport:
    dry_run: bool
    rows: list[RowReport] = field(default_factory=list)
    sites_new: int = 0
    sites_updated: int = 0
    applied: bool = False
    ignored_columns: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def counts(self) -> dict:
        return {"rows": len(self.rows), "sites_new": self.sites_new, "sites_updated": self.sites_updated,
                "facilities_new": self.count("new"), "facilities_updated": self.count("updated"),
                "unchanged": self.count("unchanged"), "rejected": self.count("rejected")}

    @property
    def ok(self) -> bool:
        return self.count("rejected") == 0

    @property
    def rejected(self) -> list[RowReport]:
        return [r for r in self.rows if r.action == "rejected"]

    @property
    def changed(self) -> list[RowReport]:
        return [r for r in self.rows if r.action in ("new", "updated")]

    def as_dict(self, include_unchanged: bool = False) -> dict:
        rows = [r.__dict__ for r in self.rows if include_unchanged or r.action != "unchanged"]
        return {"dry_run": self.dry_run, "applied": self.applied, "counts": self.counts,
                "ignored_columns": self.ignored_columns, "rows": rows}


# ---------------------------------------------------------------- validating and applying


@dataclass
class _Row:
    line: int
    report: RowReport
    site: dict = field(default_factory=dict)  # cleaned by services.clean_site
    facility: dict = field(default_factory=dict)  # cleaned by services.clean_facility
    ident: int | None = None
    key: tuple = ()  # (site name, region code)
    present: set = field(default_factory=set)  # the columns the file has
    fields: list = field(default_factory=list)  # what an update changes
    facility_obj: Facility | None = None  # the facility a row updates
    site_obj: Site | None = None  # the site of a new facility


@dataclass
class _SitePlan:
    site: Site
    line: int
    new: bool
    values: dict = field(default_factory=dict)  # field → (value, line)
    changes: list[str] = field(default_factory=list)


def _error(row: _Row, key: str, exc: FacilityError) -> None:
    column = BY_KEY.get(key)
    message = str(exc.message)
    if column and "_" in (exc.field or "") and exc.field in message:
        message = message.replace(exc.field, column.label)  # "area_m2 must be a number" → the header
    row.report.errors.append({"column": column.label if column else "", "code": exc.code, "message": message})


def _clean_all(clean, data: dict, row: _Row, keys: dict) -> dict:
    """Run a services clean function, collecting every field's error instead of the first only."""
    while True:
        try:
            return clean(data)
        except FacilityError as exc:
            _error(row, keys.get(exc.field, exc.field or ""), exc)
            dropped = {"lon", "lat"} if exc.field in ("lon", "lat") else {exc.field}
            if not dropped & set(data):
                return {}
            data = {k: v for k, v in data.items() if k not in dropped}  # a copy: the caller's stays whole


SITE_ERROR_KEYS = {"name": "site_name", "lon": "lon", "lat": "lat", "region": "region"}


def _region(raw_code, regions: dict, unknown: dict, row: _Row):
    """The prefetched division; services.check_region judges (once per code) what was not found."""
    code = _code(raw_code)
    if code in regions:
        return regions[code]
    if code not in unknown:
        try:
            regions[code] = services.check_region(str(raw_code))
            return regions[code]
        except FacilityError as exc:
            unknown[code] = exc
    _error(row, "region", unknown[code])
    return None


SITE_CELLS = ("site_name", "region", *SITE_KEYS)


def _site_part(raw: dict, regions: dict, unknown: dict, memo: dict) -> tuple[list, dict, list, list]:
    """The site half of a row: (the division's errors, the site cleaned by services.clean_site, its
    errors, the errors of text too long). Worked out once per distinct set of site cells, as a site's
    rows repeat them (four rows a site in bench/facilities.py's register)."""
    values = tuple(map(raw.get, SITE_CELLS))  # None for a column the file lacks
    cells = (*values, *map(type, values))  # 1, 1.0 and True are equal keys, yet not the same cell
    if cells in memo:
        return memo[cells]
    probe = _Row(line=0, report=RowReport(line=0, action=""))  # collects the errors
    site = {"name": str(raw.get("site_name", ""))}
    region = _region(raw.get("region", ""), regions, unknown, probe)
    if region is not None:
        site["region"] = region
    region_errors, probe.report.errors = probe.report.errors, []
    for key in SITE_KEYS:
        if key in raw and raw[key] != "":
            value = raw[key]
            if key in CHOICES:
                value = choice_map(key).get(str(value).lower(), value)
            site[key] = str(value) if key in SITE_TEXT else value
    cleaned = _clean_all(services.clean_site, site, probe, SITE_ERROR_KEYS)
    clean_errors, probe.report.errors = probe.report.errors, []
    _fit_text(probe, cleaned, SITE_TEXT_FIELDS)
    memo[cells] = (region_errors, cleaned, clean_errors, probe.report.errors)
    return memo[cells]


def _parse(raw: dict, regions: dict, unknown: dict, row: _Row, memo: dict) -> None:
    """Cell values → the dicts services.clean_site / clean_facility take (codes for labels)."""
    row.present = set(raw)
    region_errors, site, site_errors, site_text_errors = _site_part(raw, regions, unknown, memo)
    row.report.errors.extend(region_errors)
    facility = {}
    for key in FACILITY_KEYS:
        if key not in raw:
            continue  # column absent: leave the field as it is
        value = raw[key]
        if key in BOOL_KEYS:
            text = str(value).strip().lower()
            if value in ("", None):
                value = False
            elif isinstance(value, bool) or text in TRUE or text in FALSE:
                value = value if isinstance(value, bool) else text in TRUE
            else:
                _error(row, key, FacilityError("boolean_invalid", _("Write 是 or 否 (yes or no)."), key))
                continue
        elif key in YEAR_KEYS and isinstance(value, datetime.date):
            value = value.year
        elif key in CHOICES:
            if value == "":
                continue
            value = choice_map(key).get(str(value).lower(), value)
        elif key == "external_id":
            value = str(value).strip()
            if not value:
                continue  # a register number is never cleared by an import
        elif key in ("name", "type"):  # a number typed into a text column is still text
            value = str(value)
        facility[key] = value
    row.report.errors.extend(site_errors)
    row.site = dict(site)
    row.facility = _clean_all(services.clean_facility, facility, row, {})
    for key in ("area_m2", "length_km"):
        _fit_decimal(row, key)
    row.report.errors.extend(site_text_errors)
    _fit_text(row, row.facility, FACILITY_TEXT_FIELDS)
    ident = raw.get("id", "")
    if ident != "":
        try:
            row.ident = int(ident)
        except (TypeError, ValueError):
            _error(row, "id", FacilityError("id_invalid", _("Unknown system ID: leave it blank for a new facility."), "id"))


def _decimal_limits(name: str) -> tuple[Decimal, Decimal]:
    f = Facility._meta.get_field(name)
    return Decimal(1).scaleb(-f.decimal_places), Decimal(10) ** (f.max_digits - f.decimal_places)


DECIMALS = {name: _decimal_limits(name) for name in ("area_m2", "length_km")}


def _fit_decimal(row: _Row, key: str) -> None:
    """Round to the column's places (so a re-import compares equal) and refuse what does not fit."""
    value = row.facility.get(key)
    if value is None:
        return
    places, limit = DECIMALS[key]
    value = value.quantize(places, rounding=ROUND_HALF_UP)
    if value >= limit:
        _error(row, key, FacilityError("number_too_large", _("The number is too large."), key))
        row.facility.pop(key)
    else:
        row.facility[key] = value


# Text columns with their length limits (checked here: SQLite would not, PostgreSQL would fail).
SITE_TEXT_FIELDS = {name: (key, Site._meta.get_field(name).max_length) for name, key in
                    {"name": "site_name", "address": "address", "manager": "manager", "contact_phone": "contact_phone"}.items()}
FACILITY_TEXT_FIELDS = {name: (name, Facility._meta.get_field(name).max_length) for name in ("name", "external_id")}


def _fit_text(row: _Row, data: dict, fields: dict) -> None:
    for name, (key, limit) in fields.items():
        value = data.get(name)
        if isinstance(value, str) and len(value) > limit:
            _error(row, key, FacilityError("text_too_long", _("At most %(count)s characters.") % {"count": limit}, name))
            data.pop(name)


@lru_cache(maxsize=8192)
def _code(value) -> str:
    try:
        return codes.normalise(str(value))
    except ValueError:
        return str(value)


def _chunks(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def import_rows(rows, user, dry_run: bool = True, *, request=None, ignored=()) -> ImportReport:
    """Validate every row, show what would change, and apply it all (dry_run=False) or nothing."""
    if not permissions.can_write(user):
        raise PermissionDenied
    report = ImportReport(dry_run=dry_run, ignored_columns=list(ignored or getattr(rows, "ignored", [])))
    if not rows:
        raise FacilityError("import_empty", _("The file has no rows below the headers."), "file")
    if dry_run:
        _plan(rows, user, report, lock=False)
        return report
    try:
        with transaction.atomic():
            plan = _plan(rows, user, report, lock=True)
            if report.ok:
                services.import_register(**plan, actor=user, request=request, detail=report.counts)
                report.applied = True
    except IntegrityError:
        raise FacilityError("import_conflict", _("The register changed while the file was being applied: try again."),
                            "file", status=409) from None
    return report


def _plan(rows, user, report: ImportReport, lock: bool) -> dict:
    parsed = []
    wanted_codes = {_code(r.get("region", "")) for r in rows}
    regions, unknown, memo = {}, {}, {}
    for chunk in _chunks(wanted_codes):
        regions.update({r.code: r for r in Region.objects.filter(code__in=chunk)})
    for n, raw in enumerate(rows, start=2):
        row = _Row(line=raw.get("_line", n), report=RowReport(line=raw.get("_line", n), action="rejected"))
        _parse(raw, regions, unknown, row, memo)
        row.report.site = str(raw.get("site_name", ""))
        info = types.lookup(str(raw.get("type", "")))
        row.report.facility = str(raw.get("name", "")) or (info.label if info else str(raw.get("type", "")))
        region = row.site.get("region")
        if isinstance(region, Region):
            row.key = (row.site.get("name", ""), region.code)
            if not scoping.can_write_region(user, region.code):
                _error(row, "region", FacilityError("region_outside_scope", _("%(region)s is outside the divisions you may change.")
                                                    % {"region": region.name}, "region"))
        parsed.append(row)
        report.rows.append(row.report)
    good = [r for r in parsed if not r.report.errors]
    existing_sites, existing = _prefetch(good, user, lock)
    plans = _resolve(good, existing_sites, existing, user)
    new_sites = [p.site for p in plans.values() if p.new]
    changed_sites = [(p.site, p.changes) for p in plans.values() if not p.new and p.changes]
    report.sites_new, report.sites_updated = len(new_sites), len(changed_sites)
    new_facilities = [(r.site_obj, r.facility) for r in good if not r.report.errors and r.report.action == "new"]
    changed = [(r.facility_obj, r.fields) for r in good if not r.report.errors and r.report.action == "updated" and r.fields]
    region_codes = [r.key[1] for r in good if r.key]
    return {"new_sites": new_sites, "changed_sites": changed_sites, "new_facilities": new_facilities,
            "changed_facilities": changed, "region_code": codes.common_prefix(region_codes)}


# Only what matching, comparing and keeping facilities in step read: fewer columns to convert.
SITE_ONLY = ["name", "region", *SITE_KEYS]
FACILITY_ONLY = [*FACILITY_KEYS, "site", "region", "lon", "lat", "open"]


def _prefetch(rows: list[_Row], user, lock: bool):
    """Existing sites of the file's divisions and the facilities the rows may name: a few queries."""
    facilities = {}
    site_qs = Site.objects.only(*SITE_ONLY)
    fac_qs = Facility.objects.only(*FACILITY_ONLY)
    if lock:
        site_qs, fac_qs = site_qs.select_for_update(), fac_qs.select_for_update()
    # The divisions' sites are locked and matched by (name, division); only the matches are loaded.
    keys, matched, loaded = {r.key for r in rows}, {}, {}
    names = Site.objects.select_for_update() if lock else Site.objects.all()
    for chunk in _chunks({r.key[1] for r in rows}):
        for pk, name, region in names.filter(region_id__in=chunk).order_by("pk").values_list("pk", "name", "region_id"):
            if (name, region) in keys:
                matched.setdefault((name, region), pk)
    for chunk in _chunks(matched.values()):
        loaded.update({site.pk: site for site in site_qs.filter(pk__in=chunk)})
    sites = {key: loaded[pk] for key, pk in matched.items() if pk in loaded}
    wanted_sites = set(loaded)
    for chunk in _chunks(wanted_sites):
        facilities.update({f.pk: f for f in fac_qs.filter(site_id__in=chunk)})
    known = {f.external_id for f in facilities.values()}
    numbers = {r.facility["external_id"] for r in rows if r.facility.get("external_id")} - known
    for chunk in _chunks(numbers):
        facilities.update({f.pk: f for f in fac_qs.filter(external_id__in=chunk)})
    idents = {r.ident for r in rows if r.ident is not None} - set(facilities)
    for chunk in _chunks(idents):
        facilities.update({f.pk: f for f in fac_qs.filter(pk__in=chunk)})
    return sites, facilities


def _resolve(rows: list[_Row], sites: dict, facilities: dict, user) -> dict:
    by_number = {f.external_id: f for f in facilities.values() if f.external_id}
    by_key: dict[tuple, list[Facility]] = {}
    for f in facilities.values():
        by_key.setdefault((f.site_id, f.type, f.name), []).append(f)
    plans: dict[tuple, _SitePlan] = {}
    claimed: dict[int, int] = {}  # facility pk → line
    numbers_seen: dict[str, int] = {}
    new_keys: dict[tuple, tuple[int, bool]] = {}
    for row in rows:
        data, number = row.facility, row.facility.get("external_id", "")
        # Duplicates inside the file.
        if number and number in numbers_seen:
            _error(row, "external_id", FacilityError("duplicate_number", _("The same register number as line %(line)s.")
                                                     % {"line": numbers_seen[number]}, "external_id"))
            continue
        plan = plans.get(row.key)
        site = plan.site if plan else sites.get(row.key)
        facility = _match(row, site, facilities, by_number, by_key, user)
        if row.report.errors:
            continue
        if facility is not None and facility.pk in claimed:
            _error(row, "", FacilityError("duplicate_facility", _("This row names the same facility as line %(line)s.")
                                          % {"line": claimed[facility.pk]}, ""))
            continue
        if facility is None:
            key = (row.key, data.get("type"), data.get("name", ""))
            if key in new_keys and not (number and new_keys[key][1]):
                _error(row, "name", FacilityError("duplicate_facility", _("The same site, type and name as line %(line)s.")
                                                  % {"line": new_keys[key][0]}, "name"))
                continue
        if not _merge_site(row, plans, sites):
            continue
        # The row is good: record what it does.
        if number:
            numbers_seen[number] = row.line
        plan = plans[row.key]
        if facility is None:
            new_keys[(row.key, data.get("type"), data.get("name", ""))] = (row.line, bool(number))
            row.site_obj = plan.site
            row.report.action = "new"
        else:
            claimed[facility.pk] = row.line
            row.fields = [k for k, v in data.items() if getattr(facility, k) != v]
            for k in row.fields:
                setattr(facility, k, data[k])
            if plan.new or facility.site_id != plan.site.pk:
                row.fields.append("site")
            facility.site = plan.site
            row.facility_obj = facility
            row.report.action = "updated" if row.fields else "unchanged"
        if row.fields:
            row.report.changes = [BY_KEY["site_name" if k == "site" else k].label for k in row.fields]
    _finish_sites(plans, rows)
    return plans


def _match(row: _Row, site: Site | None, facilities: dict, by_number: dict, by_key: dict, user) -> Facility | None:
    number = row.facility.get("external_id", "")
    if row.ident is not None:
        found = facilities.get(row.ident)
        if found is None or not scoping.can_write_region(user, found.region_id):
            _error(row, "id", FacilityError("id_unknown", _("Unknown system ID: leave it blank for a new facility."), "id"))
        return found
    if number and number in by_number:
        found = by_number[number]
        if not scoping.can_write_region(user, found.region_id):
            _error(row, "external_id", FacilityError(
                "number_taken", _("This register number belongs to a facility outside the divisions you may change."),
                "external_id"))
        return found
    if site is None or site.pk is None:
        return None
    candidates = by_key.get((site.pk, row.facility.get("type"), row.facility.get("name", "")), [])
    if number:
        candidates = [f for f in candidates if not f.external_id]
    if len(candidates) > 1:
        _error(row, "name", FacilityError("facility_ambiguous", _(
            "Several facilities at this site have this type and name: give the register number or the system ID."), "name"))
        return None
    return candidates[0] if candidates else None


def _merge_site(row: _Row, plans: dict, sites: dict) -> bool:
    """One site from all its rows: blank cells inherit (merged cells), different values are refused."""
    plan = plans.get(row.key)
    values = {k: v for k, v in row.site.items() if k not in ("name", "region")}
    if plan is not None:
        for k, v in values.items():
            if k in plan.values and plan.values[k][0] != v:
                _error(row, k, FacilityError("site_conflict", _("Differs from line %(line)s for the same site.")
                                             % {"line": plan.values[k][1]}, k))
        if row.report.errors:
            return False
    else:
        existing = sites.get(row.key)
        site = existing or Site(name=row.site["name"], region=row.site["region"])
        plan = plans[row.key] = _SitePlan(site=site, line=row.line, new=existing is None)
    for k, v in values.items():
        plan.values.setdefault(k, (v, row.line))
    return True


def _finish_sites(plans: dict, rows: list[_Row]) -> None:
    first = {}
    for row in rows:
        if row.report.action != "rejected":
            first.setdefault(row.key, row)
    for key, plan in plans.items():
        row = first.get(key)
        if row is None:
            continue
        values = {k: v for k, (v, _line) in plan.values.items()}
        for k in SITE_TEXT:  # a column given but blank in every row of the site clears the field
            if k not in values and k in row.present:
                values[k] = ""
        if plan.new and ("lon" not in values or "lat" not in values):
            _error(row, "lon", FacilityError("lon_required", _("A new site needs its coordinates."), "lon"))
            row.report.action = "rejected"
            continue
        plan.changes = [k for k, v in values.items() if plan.new or getattr(plan.site, k) != v]
        for k, v in values.items():
            setattr(plan.site, k, v)
        if not plan.new and plan.changes:
            row.report.changes = [BY_KEY[k].label for k in plan.changes] + row.report.changes
            if row.report.action == "unchanged":
                row.report.action = "updated"
