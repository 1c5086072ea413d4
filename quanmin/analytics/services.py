"""Writes of the planning analysis: the candidate-site catalogue and fitness-circle runs."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from quanmin.accounts import audit
from quanmin.facilities import geo
from quanmin.regions.models import Region

from . import inputs
from .circle import DEFAULT_MINUTES, DEFAULT_SPEED_KMH
from .errors import AnalysisError
from .models import CandidateSite, CircleRun
from .tasks import run_circle

MAX_SUGGEST = 50
CANDIDATE_FIELDS = ["name", "address", "lon", "lat", "area_m2", "owner", "land_kind", "status", "published", "note"]


def clean_candidate(data: dict) -> dict:
    data = {k: v for k, v in data.items() if k in CANDIDATE_FIELDS or k == "region"}
    if "name" in data and not str(data["name"]).strip():
        raise AnalysisError("name_required", _("Enter a name."), "name")
    if "lon" in data or "lat" in data:
        try:
            data["lon"], data["lat"] = float(data["lon"]), float(data["lat"])
        except (TypeError, ValueError, KeyError):
            raise AnalysisError("coordinates_invalid", _("Coordinates must be numbers."), "lon") from None
        if not geo.in_china(data["lon"], data["lat"]):
            raise AnalysisError("coordinates_outside_china", _("The coordinates lie outside China."), "lon")
    if "area_m2" in data:
        try:
            data["area_m2"] = Decimal(str(data["area_m2"]))
        except InvalidOperation:
            raise AnalysisError("number_invalid", _("Area must be positive."), "area_m2") from None
        if data["area_m2"] <= 0:
            raise AnalysisError("number_invalid", _("Area must be positive."), "area_m2")
    for field, choices in (("land_kind", CandidateSite.LandKind), ("status", CandidateSite.Status)):
        if field in data and data[field] not in choices.values:
            raise AnalysisError(f"{field}_invalid", _("Unknown value."), field)
    if "region" in data and not isinstance(data["region"], Region):
        region = Region.objects.filter(code=str(data["region"])).first()
        if region is None:
            raise AnalysisError("region_unknown", _("Unknown division code."), "region")
        data["region"] = region
    return data


@transaction.atomic
def save_candidate(candidate: CandidateSite | None, data: dict, *, request=None) -> CandidateSite:
    data = clean_candidate(data)
    if candidate is None:
        for required in ("name", "lon", "lat", "region", "area_m2"):
            if data.get(required) in (None, ""):
                raise AnalysisError(f"{required}_required", _("This field is required."), required)
        candidate = CandidateSite.objects.create(**data)
        audit.record("create", request=request, obj=candidate)
        return candidate
    for k, v in data.items():
        setattr(candidate, k, v)
    candidate.save()
    audit.record("update", request=request, obj=candidate, detail={"fields": list(data)})
    return candidate


def _params(minutes, speed_kmh, suggest_k):
    try:
        minutes = sorted({float(m) for m in (minutes or DEFAULT_MINUTES)})
        speed_kmh = float(speed_kmh or DEFAULT_SPEED_KMH)
        suggest_k = int(suggest_k or 0)
    except (TypeError, ValueError):
        raise AnalysisError("invalid_input", _("Minutes, speed and the number of sites must be numbers."), "minutes") from None
    if not minutes or not all(0 < m <= 60 for m in minutes):
        raise AnalysisError("minutes_invalid", _("Walking times are between 1 and 60 minutes."), "minutes")
    if not 1 <= speed_kmh <= 8:
        raise AnalysisError("speed_invalid", _("Walking speed is between 1 and 8 km/h."), "speed_kmh")
    if not 0 <= suggest_k <= MAX_SUGGEST:
        raise AnalysisError("suggest_invalid", _("Suggest between 0 and %(n)s sites.") % {"n": MAX_SUGGEST}, "suggest_k")
    return minutes, speed_kmh, suggest_k


def request_run(region: Region, *, minutes=None, speed_kmh=None, suggest_k=0, user=None) -> tuple[CircleRun, bool]:
    """The cached run for these inputs if the data has not changed, else a new queued run.
    Returns (run, started)."""
    minutes, speed_kmh, suggest_k = _params(minutes, speed_kmh, suggest_k)
    version = inputs.data_version(region)
    existing = (CircleRun.objects.filter(region=region, minutes=minutes, speed_kmh=speed_kmh, suggest_k=suggest_k,
                                         data_version=version)
                .exclude(status=CircleRun.Status.FAILED).order_by("-created_at").first())
    if existing:
        return existing, False
    run = CircleRun.objects.create(region=region, minutes=minutes, speed_kmh=speed_kmh, suggest_k=suggest_k,
                                   data_version=version, requested_by=user)
    transaction.on_commit(lambda: run_circle.enqueue(run.pk))
    return run, True
