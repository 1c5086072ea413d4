from django.core.management.base import BaseCommand, CommandError

from quanmin.core.errors import ServiceError
from quanmin.regions import streets

from ...circle import CircleInputError, NetworkError, read_osm_streets, read_streets_geojson


class Command(BaseCommand):
    help = ("Load the walking network's streets (an OpenStreetMap .osm.pbf extract, or GeoJSON lines with "
            "'name' and 'highway'), replacing those loaded before: the fitness circle walks them and the "
            "maps draw them, named, when no tiles are configured.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=".osm.pbf or .geojson / .json")
        parser.add_argument("--bbox", help="min_lon,min_lat,max_lon,max_lat: only this part of an .osm.pbf")

    def handle(self, *args, **o):
        path = o["file"]
        box = None
        if o["bbox"]:
            try:
                box = [float(v) for v in o["bbox"].split(",")]
            except ValueError:
                raise CommandError("--bbox is four numbers: min_lon,min_lat,max_lon,max_lat") from None
            if len(box) != 4:
                raise CommandError("--bbox is four numbers: min_lon,min_lat,max_lon,max_lat")
        try:
            lines = read_osm_streets(path, bounding_box=box) if path.endswith(".pbf") else read_streets_geojson(path)
            n = streets.replace_streets(lines)
        except (CircleInputError, NetworkError, OSError) as exc:
            raise CommandError(str(exc)) from None
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        named = len({name for name, _kind, _line in lines if name})
        self.stdout.write(f"{n} streets loaded ({named} names).")
