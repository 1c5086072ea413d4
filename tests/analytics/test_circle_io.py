"""GeoJSON readers and the map layer."""

from __future__ import annotations

import json

import numpy as np
import pytest

from quanmin.analytics.circle import (
    CircleInputError,
    analyse,
    coverage_layer,
    read_candidates_geojson,
    read_facilities_geojson,
    read_population_geojson,
)

from .circle_helpers import line_network, lonlat


def point(x, y, **props):
    lon, lat = lonlat([x], [y])
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon[0], lat[0]]}, "properties": props}


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def test_read_files_and_analyse(tmp_path):
    fac_path = tmp_path / "facilities.geojson"
    pop_path = tmp_path / "population.geojson"
    fac_path.write_text(json.dumps(collection(point(0, 0, type="basketball", id=7))), encoding="utf-8")
    pop_path.write_text(
        json.dumps(
            collection(
                point(300, 0, population=120, region_code="440106011001"),
                point(1900, 0, population=80, region_code="440106011002"),
            )
        ),
        encoding="utf-8",
    )
    fac = read_facilities_geojson(fac_path)
    res = read_population_geojson(pop_path)
    assert list(fac.type) == ["basketball"] and list(fac.id) == [7]
    assert res.population.tolist() == [120.0, 80.0]
    arrays: dict = {}
    result = analyse(line_network(21), fac, res, minutes=(10,), arrays=arrays)
    assert result["minutes"]["10"]["covered_population"] == 120
    layer = coverage_layer(res, arrays["walk_m"], (10,), 3.6)
    props = [f["properties"] for f in layer["features"]]
    assert [p["covered_10"] for p in props] == [True, False]
    assert props[0]["walk_minutes"] == pytest.approx(5.0, abs=0.01)
    assert props[1]["walk_minutes"] is None  # beyond the largest threshold
    json.dumps(layer)


@pytest.mark.parametrize(
    "features, message",
    [
        ([point(0, 0, population=-1)], "feature 0 needs a number population"),
        ([point(0, 0, population=1), point(0, 0)], "feature 1 needs a number population"),
        ([point(0, 0, population="many")], "feature 0 needs a number population"),
        ([point(0, 0, population=1, region_code="4401")], "feature 0 region_code '4401'"),
        (
            [point(0, 0, population=1, region_code="440106011001"), point(0, 0, population=1)],
            "feature 1 has no region_code",
        ),
        (
            [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []}, "properties": {}}],
            "feature 0 is not a Point",
        ),
    ],
)
def test_bad_population_features_are_rejected_whole(features, message):
    with pytest.raises(CircleInputError, match=message):
        read_population_geojson(collection(*features))


def test_not_a_feature_collection(tmp_path):
    with pytest.raises(CircleInputError, match="FeatureCollection"):
        read_facilities_geojson({"type": "Feature"})
    bad = tmp_path / "bad.geojson"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(CircleInputError, match="cannot read"):
        read_facilities_geojson(bad)


def test_candidates_keep_ids_or_number_them():
    cand = read_candidates_geojson(collection(point(0, 0, id="plot-9"), point(10, 0)))
    assert list(cand.id) == ["plot-9", 1]
    assert np.allclose(cand.lat[0], lonlat([0], [0])[1][0])
