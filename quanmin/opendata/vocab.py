"""Activities: each sport code of the registers as a concept of the OpenActive Activity List, or of
our own published scheme where that list has none (data/activities.csv, with the source of each).

Every OpenActive concept that file names (a code's own, or the wider one of our concepts) must be in
data/openactive_checked.json: the concepts as the real list has them, written by `manage.py
opendata_activities --check LIST` from a copy of the list's activity-list.jsonld, with the list's
source, licence, commit and checksum. The tests (and the validator's offline copy of the list) read
that file, so an id that is not in the real list, or whose label is not the list's, fails them. The
facility types of data/facility_activities.csv (a FacilityUse's `facilityType`, from the OpenActive
Facility Type List) are checked the same way, into data/openactive_facility_types_checked.json."""

import csv
import datetime
import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

DATA = Path(__file__).parent / "data"
OPENACTIVE_LIST = "https://openactive.io/activity-list"
FACILITY_TYPES = "https://openactive.io/facility-types"
# The checked copy of each OpenActive list we use: its concepts that we name, as the list has them.
CHECKED = {OPENACTIVE_LIST: DATA / "openactive_checked.json",
           FACILITY_TYPES: DATA / "openactive_facility_types_checked.json"}
OPENACTIVE_LICENSE = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class Activity:
    code: str
    scheme: str  # "openactive" or "quanmin"
    concept: str
    label_zh: str
    label_en: str
    broader: str
    note: str

    @property
    def id(self) -> str:
        if self.scheme == "openactive":
            return f"{OPENACTIVE_LIST}#{self.concept}"
        return f"{scheme_url()}#{self.concept}"

    def as_concept(self) -> dict:
        """The concept as a feed item's `activity` entry."""
        return {"@type": "Concept", "@id": self.id, "prefLabel": self.label_en,
                "inScheme": OPENACTIVE_LIST if self.scheme == "openactive" else scheme_url()}


def _rows(name: str):
    with open(DATA / name, encoding="utf-8") as f:
        yield from csv.DictReader(line for line in f if not line.startswith("#"))


@functools.cache
def activities() -> dict[str, Activity]:
    return {r["code"]: Activity(**r) for r in _rows("activities.csv")}


@functools.cache
def facility_activities() -> dict[str, tuple[str, ...]]:
    return {r["type"]: tuple(r["activities"].split()) for r in _rows("facility_activities.csv")}


@functools.cache
def facility_type_ids() -> dict[str, tuple[str, ...]]:
    """Our facility type code -> the OpenActive Facility Type List's uuids (none where it has no match)."""
    return {r["type"]: tuple(r["facility_types"].split()) for r in _rows("facility_activities.csv")}


def facility_types(type_code: str) -> list[dict]:
    """A FacilityUse's `facilityType`: concepts of the OpenActive Facility Type List, as checked."""
    return [{"@type": "Concept", "@id": f"{FACILITY_TYPES}#{uuid}", "prefLabel": checked(FACILITY_TYPES)["concepts"][uuid],
             "inScheme": FACILITY_TYPES} for uuid in facility_type_ids().get(type_code, ())]


def scheme_url() -> str:
    return f"{settings.PUBLIC_URL}/opendata/activity-list.jsonld"


def concepts(codes) -> tuple[list[dict], list[dict]]:
    """(activity, category) for sport codes: the OpenActive concepts (a code's own, or for a code of
    our scheme the OpenActive concept it is narrower than: square dance -> Dance) and our own
    concepts, each once, in order. Unknown codes and "other" are left out; with no OpenActive concept
    at all, General fitness's (Group Exercise) stands in, as `activity` is required."""
    known = activities()
    activity, category, seen = [], [], set()
    for code in codes:
        a = known.get(code)
        if not a:
            continue
        if a.scheme == "quanmin":
            if a.id not in seen:
                seen.add(a.id)
                category.append(a.as_concept())
            if not a.broader:
                continue
            one = openactive_concept(a.broader)
        else:
            one = a.as_concept()
        if one["@id"] not in seen:
            seen.add(one["@id"])
            activity.append(one)
    if not activity:
        activity.append(openactive_concept(known["fitness"].broader))
    return activity, category


def openactive_concept(uuid: str) -> dict:
    """A concept of the OpenActive list by its uuid, labelled as the checked copy of the list has it."""
    return {"@type": "Concept", "@id": f"{OPENACTIVE_LIST}#{uuid}", "prefLabel": checked()["concepts"][uuid],
            "inScheme": OPENACTIVE_LIST}


def for_facility_type(type_code: str) -> list[str]:
    return list(facility_activities().get(type_code, ("fitness",)))


def scheme() -> dict:
    """Our own concepts as a SKOS concept scheme (JSON-LD), the document their ids point into."""
    own = [a for a in activities().values() if a.scheme == "quanmin"]
    return {
        "@context": "https://openactive.io/",
        "@id": scheme_url(),
        "@type": "ConceptScheme",
        "title": "Quanmin activity list (全民健身活动项目)",
        "description": "Sports practised in Chinese public fitness that the OpenActive Activity List has no "
                       "concept for; each concept with its Chinese and English label and, where one is wider, "
                       "the OpenActive concept it is narrower than.",
        "license": settings.OPEN_DATA_LICENSE,
        "concept": [
            {"@id": a.id, "@type": "Concept", "prefLabel": a.label_en, "altLabel": [a.label_zh],
             "notation": a.code, "definition": a.note,
             **({"broader": [f"{OPENACTIVE_LIST}#{a.broader}"]} if a.broader else {})}
            for a in own
        ],
    }


# --- the checks against the OpenActive lists -------------------------------------------------------

SOURCES = {
    OPENACTIVE_LIST: ("OpenActive Activity List", "openactive/activity-list", "data/activity-list.jsonld",
                      "activity-list.jsonld"),
    FACILITY_TYPES: ("OpenActive Facility Type List", "openactive/facility-types", "data/facility-types.jsonld",
                     "facility-types.jsonld"),
}


def used(scheme: str) -> dict[str, set[str]]:
    """{concept uuid of an OpenActive list: our codes that name it}: activities.csv's concepts (a code's
    own, or the wider one of ours) for the activity list, facility_activities.csv's for facility types."""
    out: dict[str, set[str]] = {}
    if scheme == OPENACTIVE_LIST:
        for a in activities().values():
            uuid = a.concept if a.scheme == "openactive" else a.broader
            if uuid:
                out.setdefault(uuid, set()).add(a.code)
    else:
        for code, uuids in facility_type_ids().items():
            for uuid in uuids:
                out.setdefault(uuid, set()).add(code)
    return out


def used_openactive() -> dict[str, set[str]]:
    return used(OPENACTIVE_LIST)


def _norm(label: str) -> str:
    return " ".join(label.lower().split())


def check(concept_list: dict) -> list[str]:
    """What is wrong with our data files against an OpenActive list (a parsed activity-list.jsonld or
    facility-types.jsonld): an id the list has not; for activities, an OpenActive label that is not the
    list's prefLabel, or one of our concepts whose English label is a concept of the list (use that)."""
    scheme = concept_list.get("id")
    if scheme not in CHECKED or not concept_list.get("concept"):
        return ["this is neither the OpenActive Activity List nor its Facility Type List (its id is "
                f"{scheme!r})"]
    concepts = {c["id"].rpartition("#")[2]: c for c in concept_list["concept"]}
    problems = [f"{uuid} ({', '.join(sorted(codes))}): not in the {SOURCES[scheme][0]}"
                for uuid, codes in sorted(used(scheme).items()) if uuid not in concepts]
    if scheme != OPENACTIVE_LIST:
        return problems
    labels = {}
    for c in concept_list["concept"]:
        for label in [c["prefLabel"], *c.get("altLabel", [])]:
            labels[_norm(label)] = c
    for a in activities().values():
        if a.scheme == "openactive" and a.concept in concepts and a.label_en != concepts[a.concept]["prefLabel"]:
            problems.append(f"{a.code}: label {a.label_en!r}, the list's is {concepts[a.concept]['prefLabel']!r}")
        if a.scheme == "quanmin" and _norm(a.label_en) in labels:
            problems.append(f"{a.code}: the list has {a.label_en!r} ({labels[_norm(a.label_en)]['id']}); use it")
    return problems


def record(raw: bytes, commit: str = "", today: datetime.date | None = None) -> dict:
    """The checked file's content: the concepts we use as the list has them, and where they came from."""
    concept_list = json.loads(raw)
    scheme = concept_list["id"]
    title, repo, path, name = SOURCES[scheme]
    concepts = {c["id"].rpartition("#")[2]: c for c in concept_list["concept"]}
    ours = "data/activities.csv names (a code's concept, or the broader one of our own concepts)" \
        if scheme == OPENACTIVE_LIST else "data/facility_activities.csv names (a facility type's facilityType)"
    return {
        "source": f"{title}, {scheme}/{name} (repository {repo}, file {path})",
        "license": concept_list.get("license", OPENACTIVE_LICENSE),
        "attribution": f"Contains the {title} (openactive.io), CC BY 4.0",
        "commit": commit,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "concepts_in_list": len(concepts),
        "checked_on": (today or timezone.localdate()).isoformat(),
        "how": f"manage.py opendata_activities --check LIST --write: every concept that {ours} is in the "
               "list" + (", with its label the list's prefLabel, and none of our own concepts has a label the "
                         "list has" if scheme == OPENACTIVE_LIST else "")
               + "; only the concepts we use are kept here, as the list has them.",
        "concepts": {uuid: concepts[uuid]["prefLabel"] for uuid in sorted(used(scheme)) if uuid in concepts},
    }


@functools.cache
def _checked(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def checked(scheme: str = OPENACTIVE_LIST) -> dict:
    return _checked(CHECKED[scheme])


def unchecked() -> list[str]:
    """The concepts of the OpenActive lists that our data files name and the checked copies do not
    vouch for (or, for activities, whose label is not the list's)."""
    problems = []
    for scheme in CHECKED:
        known = checked(scheme)["concepts"]
        problems += [f"{uuid} ({', '.join(sorted(codes))}): not checked against the {SOURCES[scheme][0]}"
                     for uuid, codes in sorted(used(scheme).items()) if uuid not in known]
    known = checked(OPENACTIVE_LIST)["concepts"]
    for a in activities().values():
        if a.scheme == "openactive" and a.concept in known and a.label_en != known[a.concept]:
            problems.append(f"{a.code}: label {a.label_en!r}, the list's is {known[a.concept]!r}")
    return problems


def checked_list() -> dict:
    """The checked activity concepts in the list's own form (what the validator is handed offline)."""
    return {"id": OPENACTIVE_LIST, "type": "ConceptScheme", "license": checked()["license"],
            "concept": [{"id": f"{OPENACTIVE_LIST}#{uuid}", "type": "Concept", "prefLabel": label}
                        for uuid, label in checked()["concepts"].items()]}
