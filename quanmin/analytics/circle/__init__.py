"""Fitness-circle analysis (十分钟/十五分钟健身圈), issue 7: Python, NumPy, SciPy and Numba.

Who can walk to a sports ground within 10 or 15 minutes on the real street network, per
division and per facility type, and which candidate sites would close most of the gap. No
Django here: the management command, tasks and pages call ``analyse`` with arrays they build.
"""

from .analysis import analyse
from .coverage import coverage_totals, division_table, underserved, walk_distance_m
from .io import (
    CircleInputError,
    coverage_layer,
    read_candidates_geojson,
    read_facilities_geojson,
    read_population_geojson,
    read_streets_geojson,
)
from .network import (
    NetworkError,
    WalkNetwork,
    build_network,
    generate_grid_network,
    network_from_lines,
    read_osm_streets,
    read_osm_walking_network,
)
from .paths import nearest_source_distance
from .points import Candidates, Facilities, Residents
from .snap import Snapped, snap
from .standard import (
    DEFAULT_MINUTES,
    DEFAULT_SPEED_KMH,
    LIFE_CIRCLE_WALK_DISTANCE_M,
    STANDARD,
    threshold_m,
)
from .suggest import cover_sets, exact_max_coverage, greedy_max_coverage, grid_candidates
from .synthetic import generate_candidates, generate_facilities, generate_residents

__all__ = [
    "DEFAULT_MINUTES",
    "DEFAULT_SPEED_KMH",
    "LIFE_CIRCLE_WALK_DISTANCE_M",
    "STANDARD",
    "Candidates",
    "CircleInputError",
    "Facilities",
    "NetworkError",
    "Residents",
    "Snapped",
    "WalkNetwork",
    "analyse",
    "build_network",
    "cover_sets",
    "coverage_layer",
    "coverage_totals",
    "division_table",
    "exact_max_coverage",
    "generate_candidates",
    "generate_facilities",
    "generate_grid_network",
    "generate_residents",
    "greedy_max_coverage",
    "grid_candidates",
    "nearest_source_distance",
    "network_from_lines",
    "read_candidates_geojson",
    "read_facilities_geojson",
    "read_osm_streets",
    "read_osm_walking_network",
    "read_population_geojson",
    "read_streets_geojson",
    "snap",
    "threshold_m",
    "underserved",
    "walk_distance_m",
]
