"""Import of the facilities register from Excel (.xlsx) or CSV: one row per facility with its site.

Every row is validated by the services' own checks: services.clean_site for its site,
clean_facility_field for each facility cell and check_facility across them. Sites are matched by
(name, division), facilities by system ID, then register number (场地编号), then (site, type, name).
The file is applied whole, in one transaction, or not at all (DESIGN rule 8).

Speed (bench/facilities.py: 20,000 rows, 5,000 sites, new to a city of 15,000 facilities): a
column's cells are checked once per distinct value (_facility_cell) and a site's once per distinct
set of its cells (_site_cells); the existing register is asked in a few queries (core.bulk.any_of);
the cycle collector is paused (core.imports.run). Checking and matching took 1.20 s of CPU before
these, 0.47 s after, in the same run on a loaded machine (load 8); with the collector running
0.75 s. The free-text columns (name, register number), different in every row, skip the per-value
cache when the cell is plain text already: 0.51 s of CPU for the file's dry run before, 0.455 s
after (best of four, load 12).

Applying, the database works beside the checking (core.bulk.alongside): what the file names is
asked while the site cells are checked, and each site is written with its new facilities once its
last row is checked, the statements made here and run on the other thread. On an idle machine the
import was read 0.47 s, check 0.36 s, then write 0.29 s (SQLite) / 0.43 s (PostgreSQL, the
server's inserts and its deferred key checks) that nothing overlapped. On PostgreSQL the server's
work is now the longest part: its keys are checked by each statement (core.bulk.keys_checked_as_written)
and the facility has fewer indexes to write (migration facilities 0005); on an idle machine the
writes of bench/facilities.py's register end 0.1-0.13 s after the last row is checked.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from quanmin.accounts import scoping
from quanmin.core import bulk, imports
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import permissions, services, types
from .errors import FacilityError
from .io_read import BY_KEY, CHOICES, COLUMNS, MAX_BYTES, Rows, choice_map, read_workbook, too_big
from .models import Facility, Site

__all__ = ["COLUMNS", "MAX_BYTES", "ImportReport", "Rows", "import_rows", "read_workbook", "too_big"]

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
class ImportReport(imports.ImportReport):
    """core.imports' report with the sites the file adds and changes beside its facilities."""

    sites_new: int = 0
    sites_updated: int = 0

    @property
    def counts(self) -> dict:
        return {"rows": len(self.rows), "sites_new": self.sites_new, "sites_updated": self.sites_updated,
                "facilities_new": self.count("new"), "facilities_updated": self.count("updated"),
                "unchanged": self.count("unchanged"), "rejected": self.count("rejected")}

    def as_dict(self, include_unchanged: bool = False) -> dict:
        rows = [r.__dict__ for r in self.rows if include_unchanged or r.action != "unchanged"]
        return {"dry_run": self.dry_run, "applied": self.applied, "counts": self.counts,
                "ignored_columns": self.ignored_columns, "rows": rows}


# ---------------------------------------------------------------- validating and applying


class _Row:
    """A row on its way through the import: its report, its cells, and what checking and matching
    found. Slots and no defaults to build: one per row, 20,000 for a county's register."""

    __slots__ = ("facility", "facility_obj", "fields", "ident", "key", "line", "raw", "report", "site", "site_obj")

    def __init__(self, raw: dict, report: RowReport):
        self.line, self.report, self.raw = report.line, report, raw  # raw: the cells as read
        self.site = self.facility = {}  # cleaned by services.clean_site / clean_facility
        self.ident = self.facility_obj = self.site_obj = None  # system ID; facility updated; new one's site
        self.key, self.fields = (), ()  # (site name, region code); what an update changes


@dataclass
class _SitePlan:
    site: Site
    line: int
    new: bool
    values: dict = field(default_factory=dict)  # field → (value, line)
    changes: list[str] = field(default_factory=list)
    merged: set = field(default_factory=set)  # ids of the site cells merged so far


def _problem(key: str, exc: FacilityError) -> dict:
    """An error as the report shows it, under its column's header."""
    column = BY_KEY.get(key)
    message = str(exc.message)
    if column and "_" in (exc.field or "") and exc.field in message:
        message = message.replace(exc.field, column.label)  # "area_m2 must be a number" → the header
    return {"column": column.label if column else "", "code": exc.code, "message": message}


def _error(row: _Row, key: str, exc: FacilityError) -> None:
    row.report.errors.append(_problem(key, exc))


def _clean_all(clean, data: dict, errors: list, keys: dict) -> dict:
    """Run a services clean function, collecting every field's error instead of the first only."""
    while True:
        try:
            return clean(data)
        except FacilityError as exc:
            errors.append(_problem(keys.get(exc.field, exc.field or ""), exc))
            dropped = {"lon", "lat"} if exc.field in ("lon", "lat") else {exc.field}
            if not dropped & set(data):
                return {}
            data = {k: v for k, v in data.items() if k not in dropped}  # a copy: the caller's stays whole


SITE_ERROR_KEYS = {"name": "site_name", "lon": "lon", "lat": "lat", "region": "region"}


def _regions(rows) -> tuple[dict, dict]:
    """The divisions the file's cells name, by code (_code), and the error of each code that names
    none, judged once by services.check_region: asked before any row is checked."""
    cells = {}
    for raw in rows:
        cells.setdefault(_code(raw.get("region", "")), raw.get("region", ""))
    regions = {r.code: r for r in Region.objects.only("code", "name").filter(bulk.any_of("code", cells))}
    unknown = {}
    for code, cell in cells.items():
        if code not in regions:
            try:
                regions[code] = services.check_region(str(cell))
            except FacilityError as exc:
                unknown[code] = exc
    return regions, unknown


def _region(raw_code, regions: dict, unknown: dict, errors: list):
    code = _code(raw_code)
    if code in regions:
        return regions[code]
    errors.append(_problem("region", unknown[code]))
    return None


SITE_CELLS = ("site_name", "region", *SITE_KEYS)


def _site_cells(rows, user, regions: dict, unknown: dict) -> list[tuple]:
    """Each row's site: (the site cleaned by services.clean_site, its errors, its key (name, division
    code) or None, the division when it is outside the user's scope or None). Worked out once per
    distinct set of site cells, as a site's rows repeat them (four rows a site in
    bench/facilities.py's register): rows share the tuple and the dict in it, which nothing changes."""
    memo, allowed, found = {}, {}, []
    for raw in rows:
        values = tuple(map(raw.get, SITE_CELLS))  # None for a column the file lacks
        cells = (*values, *map(type, values))  # 1, 1.0 and True are equal keys, yet not the same cell
        entry = memo.get(cells)
        if entry is None:
            site, errors = _site_part(raw, regions, unknown)
            region, key, outside = site.get("region"), None, None
            if isinstance(region, Region):
                key = (site.get("name", ""), region.code)
                if region.code not in allowed:
                    allowed[region.code] = scoping.can_write_region(user, region.code)
                outside = None if allowed[region.code] else region
            entry = memo[cells] = (site, errors, key, outside)
        found.append(entry)
    return found


def _site_part(raw: dict, regions: dict, unknown: dict) -> tuple[dict, list]:
    """The site half of a row: the site cleaned by services.clean_site, and its errors (of the
    division, of the fields, of text too long)."""
    errors = []
    site = {"name": str(raw.get("site_name", ""))}
    region = _region(raw.get("region", ""), regions, unknown, errors)
    if region is not None:
        site["region"] = region
    for key in SITE_KEYS:
        if key in raw and raw[key] != "":
            value = raw[key]
            if key in CHOICES:
                value = choice_map(key).get(str(value).lower(), value)
            site[key] = str(value) if key in SITE_TEXT else value
    cleaned = _clean_all(services.clean_site, site, errors, SITE_ERROR_KEYS)
    _fit_text(cleaned, SITE_TEXT_FIELDS, errors)
    return cleaned, errors


_SKIP = object()  # a cell that leaves its field as it is


def _facility_cell(key: str, value) -> tuple:
    """A facility cell as its cleaned field, by services.clean_facility_field: (value, errors), the
    value _SKIP when the field is left as it is. The import works this out once per distinct cell of
    a column (a register repeats its types, areas, years, yes and no)."""
    try:
        if key in BOOL_KEYS:
            return _boolean(key, value), ()
        if key in YEAR_KEYS and isinstance(value, datetime.date):
            value = value.year
        elif key in CHOICES:
            if value == "":
                return _SKIP, ()
            value = choice_map(key).get(str(value).lower(), value)
        elif key == "external_id":
            value = str(value).strip()
            if not value:
                return _SKIP, ()  # a register number is never cleared by an import
        elif key in ("name", "type"):  # a number typed into a text column is still text
            value = str(value)
        value = services.clean_facility_field(key, value)
        if key in DECIMALS:
            value = _fit_decimal(key, value)
        if key in FACILITY_TEXT_FIELDS and isinstance(value, str) and len(value) > FACILITY_TEXT_FIELDS[key][1]:
            raise _too_long(key, FACILITY_TEXT_FIELDS[key][1])
        return value, ()
    except FacilityError as exc:
        return _SKIP, (_problem(key, exc),)


def _boolean(key: str, value) -> bool:
    if value in ("", None):
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE or text in FALSE:
        return text in TRUE
    raise FacilityError("boolean_invalid", _("Write 是 or 否 (yes or no)."), key)


def _parse_facility(row: _Row, columns: list) -> None:
    """A row's facility cells → the dict services.clean_facility gives, and its system ID; `columns`
    holds each column's cells converted so far (_facility_cell)."""
    raw, errors = row.raw, row.report.errors
    facility = row.facility = {}
    for key, done in columns:
        value = raw.get(key, _SKIP)
        if value is _SKIP:
            continue  # column absent: leave the field as it is
        if done is None:  # free text (name, register number): each row's own, nothing to share
            if value.__class__ is str and value and value == value.strip() and len(value) <= FACILITY_TEXT_FIELDS[key][1]:
                facility[key] = value  # as _facility_cell would give it
                continue
            found = _facility_cell(key, value)
        else:  # text keyed by itself (no other cell equals it); 1, 1.0 and True by value and type
            memo_key = value if value.__class__ is str else (value, value.__class__)
            found = done.get(memo_key)
            if found is None:
                found = done[memo_key] = _facility_cell(key, value)
        if found[1]:
            errors += found[1]
        elif found[0] is not _SKIP:
            facility[key] = found[0]
    try:
        services.check_facility(facility)
    except FacilityError as exc:
        errors.append(_problem(exc.field, exc))
        facility.pop(exc.field)
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


def _fit_decimal(key: str, value):
    """Round to the column's places (so a re-import compares equal) and refuse what does not fit."""
    if value is None:
        return None
    places, limit = DECIMALS[key]
    value = value.quantize(places, rounding=ROUND_HALF_UP)
    if value >= limit:
        raise FacilityError("number_too_large", _("The number is too large."), key)
    return value


# Text columns with their length limits (checked here: SQLite would not, PostgreSQL would fail).
SITE_TEXT_FIELDS = {name: (key, Site._meta.get_field(name).max_length) for name, key in
                    {"name": "site_name", "address": "address", "manager": "manager", "contact_phone": "contact_phone"}.items()}
FACILITY_TEXT_FIELDS = {name: (name, Facility._meta.get_field(name).max_length) for name in ("name", "external_id")}


def _too_long(name: str, limit: int) -> FacilityError:
    return FacilityError("text_too_long", _("At most %(count)s characters.") % {"count": limit}, name)


def _fit_text(data: dict, fields: dict, errors: list) -> None:
    for name, (key, limit) in fields.items():
        value = data.get(name)
        if isinstance(value, str) and len(value) > limit:
            errors.append(_problem(key, _too_long(name, limit)))
            data.pop(name)


@lru_cache(maxsize=8192)
def _code(value) -> str:
    try:
        return codes.normalise(str(value))
    except ValueError:
        return str(value)


def import_rows(rows, user, dry_run: bool = True, *, request=None, ignored=()) -> ImportReport:
    """Validate every row, show what would change, and apply it all (dry_run=False) or nothing."""
    if not permissions.can_write(user):
        raise PermissionDenied
    report = ImportReport(dry_run=dry_run, ignored_columns=list(ignored or getattr(rows, "ignored", [])))
    if not rows:
        raise FacilityError("import_empty", _("The file has no rows below the headers."), "file")
    return imports.run(report, lambda lock: _plan(rows, user, report, lock),
                       lambda plan: services.import_finish(**plan, actor=user, request=request, detail=report.counts),
                       conflict=lambda: FacilityError("import_conflict", _(
                           "The register changed while the file was being applied: try again."), "file", status=409))


def _plan(rows, user, report: ImportReport, lock: bool) -> dict:
    """Check every row; when applying (lock), write the new and changed sites and the new facilities
    as their sites are complete, beside the checking (_Writes), and return what is written last.
    First the divisions the cells name (_regions); then each distinct site's cells, division and
    scope (_site_cells) while what the file may name is asked beside them (_named, then
    _matched); then each row is checked and matched in the file's order (_Check), written as it goes."""
    regions, unknown = _regions(rows)
    if not lock:  # a dry run: nothing is written
        named = _named(rows, set(regions), lock)
        sites = _site_cells(rows, user, regions, unknown)
        check = _Check(user, *_matched(rows, sites, *named, lock))
        check.run(rows, sites, report, None)
        return _planned(check, report)
    with bulk.keys_checked_as_written(), bulk.alongside() as submit:
        named = submit(_named, rows, set(regions), lock)  # beside the site cells
        sites = _site_cells(rows, user, regions, unknown)
        check = _Check(user, *_matched(rows, sites, *named.result(), lock))
        good = [key for _site, errors, key, outside in sites if not errors and outside is None]
        if len(good) == len(rows):  # no row rejected yet
            new_sites = len(set(good) - set(check.sites))  # at most
            keys = submit(services.new_site_keys, new_sites) if new_sites else None  # beside the first rows
            check.run(rows, sites, report, _Writes(submit, keys))
        else:
            check.run(rows, sites, report, None)
        planned = _planned(check, report)  # while the last parts are written
        # The checking's objects (every row's, every site's) freed while they are written too, not
        # after: 0.025-0.03 s for bench/facilities.py's register, most of the time from the last
        # write to the end (PostgreSQL, loaded machine).
        del check, sites, named
    return planned


def _planned(check: "_Check", report: ImportReport) -> dict:
    """What services.import_finish writes once every part is: the sites and facilities the file
    changes, and the division that holds every row kept."""
    plans, kept = check.plans, [r for r in check.rows if r.report.action != "rejected"]
    report.sites_new = sum(1 for p in plans.values() if p.new)
    report.sites_updated = sum(1 for p in plans.values() if not p.new and p.changes)
    return {"changed_sites": [(p.site, p.changes) for p in plans.values() if not p.new and p.changes],
            "changed_facilities": [(r.facility_obj, r.fields, plans[r.key].site) for r in kept if r.fields],
            "region_code": codes.common_prefix([r.key[1] for r in kept])}


def _new_row(raw: dict, n: int) -> _Row:
    name = str(raw.get("name", ""))
    if not name:
        info = types.lookup(str(raw.get("type", "")))
        name = info.label if info else str(raw.get("type", ""))
    return _Row(raw, RowReport(raw.get("_line", n), "rejected", str(raw.get("site_name", "")), name, [], []))


# Only what matching, comparing and keeping facilities in step read: fewer columns to convert.
SITE_ONLY = ["name", "region", *SITE_KEYS]
FACILITY_ONLY = [*FACILITY_KEYS, "site", "region", "lon", "lat", "open"]


def _named(rows, divisions: set, lock: bool) -> tuple[list, dict]:
    """What may be asked before the rows are checked: the sites of the divisions the cells name
    (pk, name, division); the facilities of the register numbers and system IDs the cells hold (one
    that turns out bad matches nothing), locked when applying. Of the divisions' sites only those
    matched are locked (_matched): the demo city's register locked all of its sites before."""
    in_divisions = list(Site.objects.filter(bulk.any_of("region_id", divisions)).order_by("pk")
                        .values_list("pk", "name", "region_id"))
    fac_qs = Facility.objects.only(*FACILITY_ONLY)
    if lock:
        fac_qs = fac_qs.select_for_update()
    facilities = {}
    numbers = {str(raw["external_id"]).strip() for raw in rows if raw.get("external_id") not in (None, "")} - {""}
    if numbers:  # "" is not a number: the condition lets both databases use the partial unique index
        facilities.update({f.pk: f for f in fac_qs.filter(bulk.any_of("external_id", numbers)).exclude(external_id="")})
    idents = {_whole(raw["id"]) for raw in rows if raw.get("id", "") != ""} - set(facilities) - {None}
    if idents:
        facilities.update({f.pk: f for f in fac_qs.filter(bulk.any_of("pk", idents))})
    return in_divisions, facilities


def _matched(rows, sites: list[tuple], in_divisions: list, facilities: dict, lock: bool) -> tuple[dict, dict]:
    """The existing sites the rows name, matched by (name, division), loaded with their facilities."""
    keys, matched = {key for _site, _errors, key, _outside in sites if key}, {}
    for pk, name, region in in_divisions:
        if (name, region) in keys:
            matched.setdefault((name, region), pk)
    if not matched:
        return {}, facilities
    site_qs, fac_qs = Site.objects.only(*SITE_ONLY), Facility.objects.only(*FACILITY_ONLY)
    if lock:
        site_qs, fac_qs = site_qs.select_for_update(), fac_qs.select_for_update()
    # Locked now: one renamed or moved by another writer meanwhile is no longer this key's site.
    loaded = {site.pk: site for site in site_qs.filter(bulk.any_of("pk", matched.values()))}
    found = {key: loaded[pk] for key, pk in matched.items() if pk in loaded and (loaded[pk].name, loaded[pk].region_id) == key}
    at_sites = {f.pk: f for f in fac_qs.filter(bulk.any_of("site_id", loaded))} if loaded else {}
    return found, {**at_sites, **facilities}  # one object a row


def _whole(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class _NewSite:
    """A site the file adds: the fields the import sets (SITE_KEYS, with the model's defaults until
    its rows give them), and its key once written (services.import_part). Not a Site: 5,000 model
    instances cost bench/facilities.py's check 0.05 of its 0.36 s of CPU."""

    def __init__(self, name: str, region_id: str):
        self.pk, self.name, self.region_id = None, name, region_id
        self.__dict__.update(NEW_SITE_DEFAULTS)


NEW_SITE_DEFAULTS = {k: Site._meta.get_field(k).get_default() for k in SITE_KEYS}


class _Writes:
    """What is written beside the checking (core.bulk.alongside): a site once its last row has been
    checked (its values final), with its new facilities, a batch at a time. The statements are
    made on this thread (services.import_part) and only run on the other, each new site with a key
    reserved for it, so that the facilities pointing to it are made before it is written. Facilities
    follow their sites' order, which is the file's when a site's rows stand together (as registers
    have them)."""

    def __init__(self, submit, keys):
        self.submit, self.reserved, self.keys = submit, keys, None  # keys: their Future (new_site_keys)
        self.sites, self.changed, self.facilities = [], [], []

    def site_done(self, plan: _SitePlan, rows: list[_Row]) -> None:
        if plan.new:
            if self.keys is None:
                self.keys = iter(self.reserved.result())
            plan.site.pk = next(self.keys)
            self.sites.append(plan.site)
        elif plan.changes:
            self.changed.append((plan.site, plan.changes))
        self.facilities += [(row.site_obj, row.facility) for row in rows]
        if len(self.facilities) >= WRITE_BATCH:
            self.flush()

    def flush(self) -> None:
        if self.sites or self.changed or self.facilities:
            services.import_part(new_sites=self.sites, changed_sites=self.changed, new_facilities=self.facilities,
                                 submit=self.submit)
            self.sites, self.changed, self.facilities = [], [], []


# New facilities a write (with their sites): each statement costs the writer thread two or three waits
# for Python's lock (alongside). bench/facilities.py's register on PostgreSQL, loaded machine, four
# runs each, medians: 17,948 rows/s with 1,000 a write, 19,024 with 2,000, 19,489-19,734 with 4,000,
# 19,932 with 7,000 (the last write, waited for, grows); on SQLite the same with 2,000 and 4,000.
WRITE_BATCH = 4000


class _Check:
    """Each row in the file's order: its facility cells checked (_parse_facility), then matched and
    its site merged (_resolve_row). A site is complete at its last row: then its values are final
    (_finish_site), and with no row rejected so far it is written with its new facilities
    (`writes`) while the rows after it are checked."""

    def __init__(self, user, sites: dict, facilities: dict):
        self.user, self.sites, self.facilities = user, sites, facilities
        self.by_number = {f.external_id: f for f in facilities.values() if f.external_id}
        self.by_key: dict[tuple, list[Facility]] = {}
        for f in facilities.values():
            self.by_key.setdefault((f.site_id, f.type, f.name), []).append(f)
        self.columns = [(key, None if key in FACILITY_TEXT_FIELDS else {}) for key in FACILITY_KEYS]
        self.rows: list[_Row] = []
        self.plans: dict[tuple, _SitePlan] = {}
        self.claimed: dict[int, int] = {}  # facility pk → line
        self.numbers_seen: dict[str, int] = {}
        self.new_keys: dict[tuple, tuple[int, bool]] = {}

    def run(self, rows, sites: list[tuple], report: ImportReport, writes: _Writes | None) -> None:
        last = {key: i for i, (_site, errors, key, outside) in enumerate(sites) if not errors and outside is None}
        first: dict[tuple, _Row] = {}  # each site's first row not rejected
        new_rows: dict[tuple, list[_Row]] = {}  # each site's new facilities, until the site is written
        for i, raw in enumerate(rows):
            row = _new_row(raw, i + 2)
            report.rows.append(row.report)
            self.rows.append(row)
            row.site, site_errors, row.key, outside = sites[i]
            row.report.errors += site_errors
            _parse_facility(row, self.columns)  # every fault of a row is told
            if outside is not None:
                _error(row, "region", FacilityError("region_outside_scope", _(
                    "%(region)s is outside the divisions you may change.") % {"region": outside.name}, "region"))
            if row.report.errors:
                writes = None  # nothing will be kept: stop writing
                if site_errors or outside is not None:
                    continue
            elif self._resolve_row(row):
                first.setdefault(row.key, row)
                if row.report.action == "new":
                    new_rows.setdefault(row.key, []).append(row)
            else:
                writes = None
            if last[row.key] == i and row.key in first:
                plan = self.plans[row.key]
                if not _finish_site(plan, first[row.key]):
                    writes = None
                elif writes is not None:
                    writes.site_done(plan, new_rows.pop(row.key, []))
        if writes is not None:
            writes.flush()

    def _resolve_row(self, row: _Row) -> bool:
        """Match one row and merge its site: whether it is good."""
        plans, data, number = self.plans, row.facility, row.facility.get("external_id", "")
        # Duplicates inside the file.
        if number and number in self.numbers_seen:
            _error(row, "external_id", FacilityError("duplicate_number", _("The same register number as line %(line)s.")
                                                     % {"line": self.numbers_seen[number]}, "external_id"))
            return False
        plan = plans.get(row.key)
        site = plan.site if plan else self.sites.get(row.key)
        facility = _match(row, site, self.facilities, self.by_number, self.by_key, self.user)
        if row.report.errors:
            return False
        if facility is not None and facility.pk in self.claimed:
            _error(row, "", FacilityError("duplicate_facility", _("This row names the same facility as line %(line)s.")
                                          % {"line": self.claimed[facility.pk]}, ""))
            return False
        if facility is None:
            key = (row.key, data.get("type"), data.get("name", ""))
            if key in self.new_keys and not (number and self.new_keys[key][1]):
                _error(row, "name", FacilityError("duplicate_facility", _("The same site, type and name as line %(line)s.")
                                                  % {"line": self.new_keys[key][0]}, "name"))
                return False
        if not _merge_site(row, plans, self.sites):
            return False
        # The row is good: record what it does.
        if number:
            self.numbers_seen[number] = row.line
        plan = plans[row.key]
        if facility is None:
            self.new_keys[(row.key, data.get("type"), data.get("name", ""))] = (row.line, bool(number))
            row.site_obj = plan.site
            row.report.action = "new"
        else:
            self.claimed[facility.pk] = row.line
            row.fields = [k for k, v in data.items() if getattr(facility, k) != v]
            for k in row.fields:
                setattr(facility, k, data[k])
            if plan.new or facility.site_id != plan.site.pk:
                row.fields.append("site")  # the facility moves to the site: services.import_finish
            row.facility_obj = facility
            row.report.action = "updated" if row.fields else "unchanged"
        if row.fields:
            row.report.changes = [BY_KEY["site_name" if k == "site" else k].label for k in row.fields]
        return True


def _match(row: _Row, site, facilities: dict, by_number: dict, by_key: dict, user) -> Facility | None:
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
    """One site from all its rows: blank cells inherit (merged cells), different values are refused.
    A row with the same site cells as one merged before (rows share them: _site_part) has nothing
    to add: skipping it saved 0.045 of the 0.5 s of checking bench/facilities.py's register."""
    plan = plans.get(row.key)
    if plan is not None and id(row.site) in plan.merged:
        return True
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
        site = existing or _NewSite(row.site["name"], row.site["region"].code)
        plan = plans[row.key] = _SitePlan(site=site, line=row.line, new=existing is None)
    for k, v in values.items():
        plan.values.setdefault(k, (v, row.line))
    plan.merged.add(id(row.site))
    return True


def _finish_site(plan: _SitePlan, row: _Row) -> bool:
    """A site's values once all its rows are merged, set on it; `row` is its first good row, which
    carries the site's changes and its errors. Whether the site may be written."""
    values = {k: v for k, (v, _line) in plan.values.items()}
    for k in SITE_TEXT:  # a column given but blank in every row of the site clears the field
        if k not in values and k in row.raw:
            values[k] = ""
    if plan.new and ("lon" not in values or "lat" not in values):
        _error(row, "lon", FacilityError("lon_required", _("A new site needs its coordinates."), "lon"))
        row.report.action = "rejected"
        return False
    plan.changes = [k for k, v in values.items() if plan.new or getattr(plan.site, k) != v]
    for k, v in values.items():
        setattr(plan.site, k, v)
    if not plan.new and plan.changes:
        row.report.changes = [BY_KEY[k].label for k in plan.changes] + row.report.changes
        if row.report.action == "unchanged":
            row.report.action = "updated"
    return True
