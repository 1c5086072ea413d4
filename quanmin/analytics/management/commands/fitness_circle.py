import json

from django.core.management.base import BaseCommand, CommandError

from quanmin.regions import codes
from quanmin.regions.models import Region

from ... import inputs
from ...circle import (
    DEFAULT_MINUTES,
    DEFAULT_SPEED_KMH,
    CircleInputError,
    NetworkError,
    analyse,
    read_candidates_geojson,
    read_facilities_geojson,
    read_osm_walking_network,
    read_population_geojson,
)


class Command(BaseCommand):
    help = ("Share of residents within a walk of a sports ground (10/15-minute fitness circle), per division, "
            "and where to build. Without file options it uses the platform's own data.")

    def add_arguments(self, parser):
        parser.add_argument("--network", help="OpenStreetMap extract (.osm.pbf); walking network via pyrosm")
        parser.add_argument("--facilities", help="GeoJSON points with an optional 'type' property")
        parser.add_argument("--population", help="GeoJSON points with 'population' (and 'region_code')")
        parser.add_argument("--candidates", help="GeoJSON points of candidate sites for --suggest")
        parser.add_argument("--region", help="division code for the platform's data (default: the top division)")
        parser.add_argument("--minutes", type=float, nargs="+", default=list(DEFAULT_MINUTES))
        parser.add_argument("--speed-kmh", type=float, default=DEFAULT_SPEED_KMH)
        parser.add_argument("--suggest", type=int, default=0, metavar="K", help="suggest K sites that cover the most")
        parser.add_argument("--json", action="store_true", help="print the whole result as JSON")

    def handle(self, *args, **o):
        region = self._region(o["region"]) if not (o["network"] and o["facilities"] and o["population"]) else None
        try:
            network = read_osm_walking_network(o["network"]) if o["network"] else inputs.network(region)
            facilities = read_facilities_geojson(o["facilities"]) if o["facilities"] else inputs.facilities(region)
            residents = read_population_geojson(o["population"]) if o["population"] else inputs.residents(region)
            candidates = (read_candidates_geojson(o["candidates"]) if o["candidates"]
                          else inputs.candidates(region) if region is not None else None)
            result = analyse(network, facilities, residents, minutes=o["minutes"], speed_kmh=o["speed_kmh"],
                             suggest_k=o["suggest"], candidates=candidates)
        except (CircleInputError, NetworkError, ValueError, OSError) as exc:
            raise CommandError(str(exc)) from None
        if o["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, default=float))
            return
        for key, m in result["minutes"].items():
            self.stdout.write(f"{key} min: {m['covered_population']:,.0f} of {m['total_population']:,.0f} "
                              f"residents ({m['share']:.1%})")
        for site in (result.get("suggestions") or {}).get("sites", []):
            self.stdout.write(f"  build at #{site.get('rank')}: {site.get('lon'):.5f},{site.get('lat'):.5f} "
                              f"+{site.get('added_population', 0):,.0f}")

    def _region(self, code):
        if code:
            try:
                region = Region.objects.filter(code=codes.normalise(code)).first()
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            if region is None:
                raise CommandError(f"unknown division {code}")
            return region
        region = Region.objects.filter(parent__isnull=True).order_by("code").first()
        if region is None:
            raise CommandError("no divisions loaded: run load_regions first, or give --network, --facilities and --population")
        return region
