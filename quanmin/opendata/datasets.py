"""The open datasets: facilities, equipment counts, events, organisations and instructor density, as
CSV, GeoJSON and JSON, each with its data dictionary, published once a day into `DatasetFile` rows
(`publish`) and described by a DCAT catalogue (`catalog`).

Only facts about places, organisations and divisions: no person, phone, ID number or contact is ever
read into a dataset (tests/opendata/test_personal_data.py scans every file and feed for them)."""

import datetime
import hashlib
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from quanmin.core import excel
from quanmin.core import indicators as registry
from quanmin.events.models import Competition, Games
from quanmin.facilities import equipment_types
from quanmin.facilities import types as facility_types
from quanmin.facilities.models import Equipment, Facility, Site
from quanmin.organizations.models import Organization
from quanmin.regions.models import Region

from .items import FEEDS
from .models import DatasetFile

FORMATS = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json", "json": "application/json"}


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    type: str  # string, integer, number, boolean, date
    note: str = ""


@dataclass
class Dataset:
    name: str
    zh: str
    en: str
    description: str
    columns: list[Column]
    rows: object  # () -> iterable of dicts
    keywords: list[str] = field(default_factory=list)
    geo: bool = True  # rows carry lon and lat

    def as_dict(self) -> dict:
        return {"name": self.name, "title_zh": self.zh, "title_en": self.en, "description": self.description,
                "columns": [{"name": c.key, "label_zh": c.zh, "label_en": c.en, "type": c.type, "note": c.note}
                            for c in self.columns]}


def _names() -> dict[str, tuple[str, str, str]]:
    """Every division: code -> (name, level, parent code)."""
    return {code: (name, level, parent or "") for code, name, level, parent in
            Region.objects.values_list("code", "name", "level", "parent_id").iterator(chunk_size=5000)}


def _county_of(code: str, names) -> str:
    while code and code in names and names[code][1] not in ("county", "city"):
        code = names[code][2]
    return names.get(code, ("",))[0]


def _round(value, places=6):
    return None if value is None else round(float(value), places)


def _decimal(value):
    return None if value is None else float(value)


REGION_COLUMNS = [Column("division_code", "区划代码", "Division code", "string", "统计用区划代码 (12 digits)"),
                  Column("division", "所在区划", "Division", "string"),
                  Column("county", "所在县（市、区）", "County", "string")]
GEO_COLUMNS = [Column("lon", "经度", "Longitude", "number", "WGS-84"), Column("lat", "纬度", "Latitude", "number", "WGS-84")]


def facility_rows():
    names = _names()
    sites = {pk: (name, address, status) for pk, name, address, status in
             Site.objects.values_list("pk", "name", "address", "status").iterator(chunk_size=5000)}
    for f in (Facility.objects.filter(open=True).order_by("pk")
              .values_list("pk", "name", "type", "site_id", "region_id", "lon", "lat", "area_m2", "length_km",
                           "indoor", "lit", "smart", "access", "year_built").iterator(chunk_size=5000)):
        pk, name, type_code, site_id, region, lon, lat, area, length, indoor, lit, smart, access, built = f
        info = facility_types.TYPES.get(type_code)
        site = sites.get(site_id, ("", "", ""))
        yield {"id": pk, "name": name or (info.name_zh if info else type_code), "type": type_code,
               "type_zh": info.name_zh if info else "", "site_id": site_id, "site": site[0], "address": site[1],
               "division_code": region, "division": names.get(region, ("",))[0], "county": _county_of(region, names),
               "area_m2": _decimal(area), "length_km": _decimal(length), "indoor": indoor, "lit": lit,
               "smart": smart, "access": access, "year_built": built, "lon": _round(lon), "lat": _round(lat)}


def equipment_rows():
    names = _names()
    counts = defaultdict(lambda: defaultdict(int))
    for site_id, kind, status, n in (Equipment.objects.exclude(status=Equipment.Status.REMOVED)
                                     .values_list("site_id", "kind", "status").annotate(n=Count("pk")).order_by()):
        counts[(site_id, kind)][status] += n
    sites = {pk: row for pk, *row in Site.objects.filter(pk__in={s for s, _k in counts})
             .values_list("pk", "name", "region_id", "lon", "lat")}
    for (site_id, kind), by_status in sorted(counts.items()):
        name, region, lon, lat = sites[site_id]
        info = equipment_types.TYPES.get(kind)
        yield {"site_id": site_id, "site": name, "division_code": region, "division": names.get(region, ("",))[0],
               "county": _county_of(region, names), "kind": kind, "kind_zh": info.label if info else kind,
               "in_service": by_status.get("in_service", 0), "defective": by_status.get("defective", 0),
               "out_of_service": by_status.get("out_of_service", 0), "total": sum(by_status.values()),
               "lon": _round(lon), "lat": _round(lat)}


def event_rows():
    names = _names()
    comps = defaultdict(list)
    for games_id, sport, site_id, capacity, taken in (Competition.objects.filter(games__status=Games.Status.PUBLISHED)
                                                      .values_list("games_id", "sport", "site_id", "capacity", "taken")):
        comps[games_id].append((sport, site_id, capacity, taken))
    venues = {pk: (lon, lat) for pk, lon, lat in Site.objects.filter(
        pk__in={c[1] for cs in comps.values() for c in cs if c[1]}).values_list("pk", "lon", "lat")}
    for g in (Games.objects.filter(status=Games.Status.PUBLISHED).order_by("pk")
              .values("pk", "name", "kind", "level", "region_id", "year", "first_day", "last_day", "mode",
                      "organizer", "brand")):
        cs = comps.get(g["pk"], [])
        where = next((venues[c[1]] for c in cs if c[1] in venues), (None, None))
        yield {"id": g["pk"], "name": g["name"], "kind": g["kind"], "level": g["level"],
               "division_code": g["region_id"], "division": names.get(g["region_id"], ("",))[0],
               "county": _county_of(g["region_id"], names), "year": g["year"],
               "first_day": g["first_day"].isoformat() if g["first_day"] else None,
               "last_day": g["last_day"].isoformat() if g["last_day"] else None, "mode": g["mode"],
               "organizer": g["organizer"], "brand": g["brand"], "competitions": len(cs),
               "sports": " ".join(sorted({c[0] for c in cs})), "places": sum(c[2] for c in cs),
               "entries": sum(c[3] for c in cs), "lon": _round(where[0]), "lat": _round(where[1])}


def organization_rows():
    names = _names()
    for o in (Organization.objects.filter(active=True, review=Organization.Review.APPROVED).order_by("pk")
              .values("pk", "name", "kind", "status", "credit_code", "region_id", "address", "sports", "founded_on",
                      "member_count", "lon", "lat")):
        yield {"id": o["pk"], "name": o["name"], "kind": o["kind"], "status": o["status"],
               "credit_code": o["credit_code"], "division_code": o["region_id"],
               "division": names.get(o["region_id"], ("",))[0], "county": _county_of(o["region_id"], names),
               "address": o["address"], "sports": " ".join(s for s in o["sports"].split(",") if s),
               "founded_on": o["founded_on"].isoformat() if o["founded_on"] else None, "members": o["member_count"],
               "lon": _round(o["lon"]), "lat": _round(o["lat"])}


def instructor_rows():
    names = _names()
    codes = [c for c, (_n, level, _p) in names.items() if level in ("city", "county", "township")]
    today = timezone.localdate()
    values = registry.compute_many(["instructors", "instructors_per_1000"], codes, today)
    population = dict(Region.objects.filter(code__in=codes).values_list("code", "population"))
    for code in sorted(codes):
        yield {"division_code": code, "division": names[code][0], "level": names[code][1],
               "parent_code": names[code][2], "population": population.get(code),
               "instructors": _decimal(values["instructors"].get(code)),
               "per_1000": _decimal(values["instructors_per_1000"].get(code)), "as_of": today.isoformat()}


def _targets():
    """The planning app's Target model when that app is installed. Layer-5 apps import each other not
    at all (the layers contract keeps them independent); the plans' targets are public documents, read
    here through the app registry."""
    try:
        return apps.get_model("planning", "Target")
    except LookupError:
        return None


def plan_target_rows():
    target_model = _targets()
    if target_model is None:
        return
    targets = list(target_model.objects.select_related("plan").order_by("plan__division_code", "plan__key", "order"))
    today = timezone.localdate()
    wanted = defaultdict(set)
    for t in targets:
        if t.indicator:
            wanted[t.indicator].add(t.plan.division_code)
    current = {}
    for key, codes in wanted.items():
        try:
            current[key] = registry.compute(key, codes, today)
        except Exception:  # an indicator the registry no longer has: no current value, the target stands
            current[key] = {}
    for t in targets:
        now = current.get(t.indicator, {}).get(t.plan.division_code) if t.indicator else None
        yield {"plan": t.plan.title, "plan_key": t.plan.key, "division_code": t.plan.division_code,
               "division": t.plan.division_name, "target": t.name, "comparator": t.comparator,
               "value": _decimal(t.value), "unit": t.unit_text or t.unit, "year": t.year,
               "deadline": t.deadline.isoformat(), "level": t.level, "each_division": t.each,
               "indicator": t.indicator, "current": _decimal(now), "as_of": today.isoformat()}


DATASETS = {d.name: d for d in [
    Dataset("facilities", "体育场地", "Sports grounds",
            "Every open sports ground of the register with its site, type, size and position.",
            [Column("id", "场地编号", "Ground id", "integer"), Column("name", "名称", "Name", "string"),
             Column("type", "类型代码", "Type code", "string", "quanmin/facilities/data/facility_types.csv"),
             Column("type_zh", "类型", "Type", "string"), Column("site_id", "场馆编号", "Site id", "integer"),
             Column("site", "场馆", "Site", "string"), Column("address", "地址", "Address", "string"),
             *REGION_COLUMNS, Column("area_m2", "面积（平方米）", "Area (m²)", "number"),
             Column("length_km", "长度（公里）", "Length (km)", "number", "trails and paths"),
             Column("indoor", "室内", "Indoor", "boolean"), Column("lit", "灯光", "Lit", "boolean"),
             Column("smart", "智能器材", "Smart equipment", "boolean"),
             Column("access", "开放方式", "Access", "string", "free, low_fee, paid, members, not_open"),
             Column("year_built", "建成年份", "Year built", "integer"), *GEO_COLUMNS],
            facility_rows, ["体育场地", "sports grounds", "facilities"]),
    Dataset("equipment", "健身器材数量", "Fitness equipment counts",
            "Installed fitness equipment per site and equipment type, by status (removed pieces left out).",
            [Column("site_id", "场馆编号", "Site id", "integer"), Column("site", "场馆", "Site", "string"),
             *REGION_COLUMNS, Column("kind", "器材类型代码", "Equipment type code", "string"),
             Column("kind_zh", "器材类型", "Equipment type", "string"),
             Column("in_service", "正常使用", "In service", "integer"), Column("defective", "故障", "Defective", "integer"),
             Column("out_of_service", "停用", "Out of service", "integer"), Column("total", "合计", "Total", "integer"),
             *GEO_COLUMNS],
            equipment_rows, ["健身器材", "fitness equipment"]),
    Dataset("events", "赛事活动", "Games and events",
            "Published games and events with their level, dates, sports, places and entries.",
            [Column("id", "编号", "Id", "integer"), Column("name", "名称", "Name", "string"),
             Column("kind", "类别", "Kind", "string", "games or event"),
             Column("level", "级别", "Level", "string", "city, county, township, community"), *REGION_COLUMNS,
             Column("year", "年度", "Year", "integer"), Column("first_day", "开始日期", "First day", "date"),
             Column("last_day", "结束日期", "Last day", "date"), Column("mode", "举办方式", "Held", "string", "offline, online, mixed"),
             Column("organizer", "主办单位", "Organiser", "string"), Column("brand", "品牌赛事", "Brand event", "boolean"),
             Column("competitions", "竞赛项目数", "Competitions", "integer"),
             Column("sports", "运动项目", "Sports", "string", "sport codes, space-separated"),
             Column("places", "名额", "Places", "integer"), Column("entries", "报名人次", "Entries", "integer"),
             *[Column(c.key, c.zh, c.en, c.type, "the first venue's position") for c in GEO_COLUMNS]],
            event_rows, ["赛事活动", "events", "games"]),
    Dataset("organizations", "体育社会组织", "Sports organisations",
            "Active sports organisations, registered with civil affairs or filed and approved.",
            [Column("id", "编号", "Id", "integer"), Column("name", "名称", "Name", "string"),
             Column("kind", "类别", "Kind", "string", "federation, association, group_association, club, fitness_point, community_group"),
             Column("status", "登记状态", "Legal status", "string", "registered or filed"),
             Column("credit_code", "统一社会信用代码", "Unified social credit code", "string"), *REGION_COLUMNS,
             Column("address", "地址", "Address", "string"), Column("sports", "运动项目", "Sports", "string"),
             Column("founded_on", "成立日期", "Founded", "date"), Column("members", "成员数", "Members", "integer"),
             *GEO_COLUMNS],
            organization_rows, ["体育社会组织", "sports organisations"]),
    Dataset("instructor_density", "社会体育指导员密度", "Social sports instructor density",
            "Active registered instructors and instructors per 1,000 residents, per city, county and township.",
            [Column("division_code", "区划代码", "Division code", "string"), Column("division", "区划", "Division", "string"),
             Column("level", "层级", "Level", "string"), Column("parent_code", "上级区划代码", "Parent code", "string"),
             Column("population", "常住人口", "Resident population", "integer"),
             Column("instructors", "指导员人数", "Instructors", "integer"),
             Column("per_1000", "每千人指导员数", "Per 1,000 residents", "number"),
             Column("as_of", "统计日期", "As of", "date")],
            instructor_rows, ["社会体育指导员", "instructors"], geo=False),
    Dataset("plan_targets", "规划目标", "Plan targets",
            "The targets of the national-fitness plans per division, with the current value where an indicator "
            "computes it.",
            [Column("plan", "规划", "Plan", "string"), Column("plan_key", "规划代码", "Plan key", "string"),
             Column("division_code", "区划代码", "Division code", "string"), Column("division", "区划", "Division", "string"),
             Column("target", "目标", "Target", "string"),
             Column("comparator", "比较", "Comparator", "string", ">=, >, =, <=, <, yes, up (higher than last year)"),
             Column("value", "目标值", "Target value", "number"), Column("unit", "单位", "Unit", "string"),
             Column("year", "目标年度", "Year", "integer"), Column("deadline", "完成时限", "Deadline", "date"),
             Column("level", "层级", "Level", "string"), Column("each_division", "每个区划须达到", "Every division", "boolean"),
             Column("indicator", "指标", "Indicator", "string", "the registry's key; empty: figures entered by hand"),
             Column("current", "当前值", "Current value", "number"), Column("as_of", "统计日期", "As of", "date")],
            plan_target_rows, ["全民健身规划", "plan targets"], geo=False),
]}


def _csv(ds: Dataset, rows) -> bytes:
    headers = [c.key for c in ds.columns]
    return "".join(excel.csv_lines(headers, ([r.get(h) for h in headers] for r in rows))).encode()


def _geojson(ds: Dataset, rows) -> bytes:
    out = io.StringIO()
    out.write('{"type":"FeatureCollection","license":' + json.dumps(settings.OPEN_DATA_LICENSE) + ',"features":[')
    first = True
    for r in rows:
        geometry = ({"type": "Point", "coordinates": [r["lon"], r["lat"]]}
                    if r.get("lon") is not None and r.get("lat") is not None else None)
        props = {k: v for k, v in r.items() if k not in ("lon", "lat")}
        out.write(("" if first else ",") + json.dumps({"type": "Feature", "geometry": geometry, "properties": props},
                                                      ensure_ascii=False, separators=(",", ":")))
        first = False
    out.write("]}")
    return out.getvalue().encode()


def _json(ds: Dataset, rows, generated) -> bytes:
    head = {"dataset": ds.name, "title": ds.zh, "license": settings.OPEN_DATA_LICENSE, "generated": generated,
            "dictionary": f"{settings.PUBLIC_URL}/opendata/dictionary.json#{ds.name}"}
    text = json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1] + ',"rows":['
    return (text + ",".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in rows) + "]}").encode()


def render(ds: Dataset, fmt: str, generated: str) -> tuple[bytes, int]:
    rows = list(ds.rows())
    if fmt == "csv":
        return _csv(ds, rows), len(rows)
    if fmt == "geojson":
        return _geojson(ds, rows), len(rows)
    return _json(ds, rows, generated), len(rows)


def formats(ds: Dataset) -> list[str]:
    return ["csv", "geojson", "json"] if ds.geo else ["csv", "json"]


def publish(now=None) -> dict:
    """Write every dataset in every format; {name: rows}."""
    now = now or timezone.now()
    generated = timezone.localtime(now).isoformat(timespec="seconds")
    out = {}
    for ds in DATASETS.values():
        for fmt in formats(ds):
            content, rows = render(ds, fmt, generated)
            with transaction.atomic():
                DatasetFile.objects.update_or_create(name=ds.name, format=fmt, defaults={
                    "content": content, "etag": '"' + hashlib.sha256(content).hexdigest()[:32] + '"', "rows": rows,
                    "generated_at": now})
            out[ds.name] = rows
    return out


def due(now=None, every=datetime.timedelta(days=1)) -> bool:
    """Whether the datasets are older than a day (or were never published)."""
    now = now or timezone.now()
    newest = DatasetFile.objects.order_by("generated_at").values_list("generated_at", flat=True).first()
    return newest is None or now - newest >= every


def dictionary() -> dict:
    return {"license": settings.OPEN_DATA_LICENSE, "datasets": [ds.as_dict() for ds in DATASETS.values()]}


def catalog() -> dict:
    """A DCAT catalogue (JSON-LD) of the datasets and the RPDE feeds."""
    base = settings.PUBLIC_URL
    files = {(f.name, f.format): f for f in DatasetFile.objects.defer("content")}
    datasets = []
    for ds in DATASETS.values():
        published = [files[(ds.name, fmt)] for fmt in formats(ds) if (ds.name, fmt) in files]
        datasets.append({
            "@type": "dcat:Dataset", "@id": f"{base}/opendata/datasets/{ds.name}", "dct:identifier": ds.name,
            "dct:title": [{"@language": "zh-Hans", "@value": ds.zh}, {"@language": "en", "@value": ds.en}],
            "dct:description": ds.description, "dcat:keyword": ds.keywords, "dct:license": settings.OPEN_DATA_LICENSE,
            "dct:accrualPeriodicity": "http://purl.org/cld/freq/daily",
            "dct:modified": max((timezone.localtime(f.generated_at).isoformat(timespec="seconds") for f in published), default=None),
            "dct:conformsTo": f"{base}/opendata/dictionary.json#{ds.name}",
            "dcat:distribution": [{"@type": "dcat:Distribution", "dct:format": f.format.upper(),
                                   "dcat:mediaType": FORMATS[f.format].split(";")[0],
                                   "dcat:downloadURL": f"{base}/opendata/datasets/{ds.name}.{f.format}",
                                   "quanmin:rows": f.rows} for f in published]})
    services = [{"@type": "dcat:DataService", "@id": f"{base}/opendata/feeds/{feed}", "dct:identifier": feed,
                 "dct:title": f"OpenActive RPDE feed: {feed}", "dcat:endpointURL": f"{base}/opendata/feeds/{feed}",
                 "dct:conformsTo": "https://www.w3.org/2017/08/realtime-paged-data-exchange/",
                 "dct:license": settings.OPEN_DATA_LICENSE} for feed in FEEDS]
    return {"@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                         "quanmin": f"{base}/opendata/terms#"},
            "@type": "dcat:Catalog", "@id": f"{base}/opendata/catalog.json",
            "dct:title": [{"@language": "zh-Hans", "@value": "全民健身开放数据"}, {"@language": "en", "@value": "Quanmin open data"}],
            "dct:license": settings.OPEN_DATA_LICENSE, "dcat:dataset": datasets, "dcat:service": services}
