from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quanmin.regions import codes, services, sources

CENSUS_FILES = {"3715": "liaocheng_census2020.csv"}


class Command(BaseCommand):
    help = "Load a whole city's division tree (counties, townships, communities and villages)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="the city's division code: 4, 6 or 12 digits, e.g. 3715")
        parser.add_argument("--node-modules", default=str(settings.NODE_MODULES),
                            help="where the division data package is installed (make setup)")

    def handle(self, code, node_modules, **options):
        try:
            divisions = list(sources.iter_city_divisions(code, Path(node_modules)))
        except (ValueError, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from None
        result = services.load_divisions(divisions)
        census = CENSUS_FILES.get(codes.prefix_at(code, "city"))
        counted = estimated = 0
        if census:
            counted = services.apply_census(Path(__file__).resolve().parents[2] / "data" / census)
        estimated = services.estimate_populations(divisions[0].code12 if divisions else code)
        self.stdout.write(
            f"{code}: {result['city']} city, {result['county']} counties, {result['township']} townships, "
            f"{result['community']} communities and villages ({result['created']} new, "
            f"{result['updated']} renamed); {counted} census figures, {estimated} estimates"
        )
