"""Benchmark the physique scoring engine on generated student records.

Scores 1,000,000 generated student-2014 records with the vectorised ``score_many`` and a sample of them
one at a time through ``score`` (the per-record rate is extrapolated from the sample), checks that both
give the same totals and ratings on the sample, and prints one JSON line.

    python bench/physique.py [--records N] [--sample N] [--seed N]
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quanmin.physique.scoring import score, score_many
from quanmin.physique.tables import RATING_CODES, SEXES, load_standard

# Plausible ranges per measurement: (low, high, decimals). About 3% of each is left unmeasured (NaN).
RANGES = {
    "height_cm": (110, 190, 1), "weight_kg": (18, 95, 1), "vital_capacity_ml": (400, 6000, 0),
    "sprint_50m_s": (6.2, 14.5, 1), "sit_and_reach_cm": (-10, 28, 1), "rope_skipping_1min": (0, 200, 0),
    "situps_1min": (0, 65, 0), "shuttle_50x8_s": (85, 170, 0), "standing_long_jump_cm": (110, 290, 0),
    "pullups": (0, 25, 0), "run_1000m_s": (180, 420, 0), "run_800m_s": (180, 360, 0),
}


def generate(n: int, seed: int):
    rng = np.random.default_rng(seed)
    std = load_standard("student-2014")
    grades = rng.choice(np.array(std.grades), n)
    sexes = rng.choice(np.array(SEXES), n)
    measurements = {}
    for key, (low, high, decimals) in RANGES.items():
        values = np.round(rng.uniform(low, high, n), decimals)
        values[rng.random(n) < 0.03] = np.nan
        measurements[key] = values
    return std, sexes, grades, measurements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()

    std, sexes, grades, measurements = generate(args.records, args.seed)
    score_many(std, sexes[:1000], grade=grades[:1000], measurements={k: v[:1000] for k, v in measurements.items()})

    start = time.perf_counter()
    batch = score_many(std, sexes, grade=grades, measurements=measurements)
    vectorised_s = time.perf_counter() - start

    sample = min(args.sample, args.records)
    rows = [{k: (None if np.isnan(v[i]) else float(v[i])) for k, v in measurements.items()} for i in range(sample)]
    sample_sexes, sample_grades = sexes[:sample].tolist(), grades[:sample].tolist()
    start = time.perf_counter()
    results = [score(std, sample_sexes[i], grade=sample_grades[i], measurements=rows[i]) for i in range(sample)]
    scalar_s = time.perf_counter() - start

    mismatches = int(sum(
        r.total != batch.totals[i] or RATING_CODES.index(r.rating) != batch.ratings[i] for i, r in enumerate(results)
    ))
    print(json.dumps({
        "bench": "physique",
        "standard": std.name,
        "records": args.records,
        "vectorised_seconds": round(vectorised_s, 4),
        "vectorised_records_per_s": round(args.records / vectorised_s),
        "scalar_sample": sample,
        "scalar_seconds": round(scalar_s, 4),
        "scalar_records_per_s": round(sample / scalar_s),
        "scalar_extrapolated_seconds_for_all": round(args.records * scalar_s / sample, 1),
        "scalar_note": f"score() timed on the first {sample} records; the full-run time is extrapolated",
        "sample_mismatches": mismatches,
        "goal_records_per_s": 1_000_000,
        "goal_met": bool(args.records / vectorised_s > 1_000_000),
    }))
    if mismatches:
        sys.exit("score_many and score disagree on the sample")


if __name__ == "__main__":
    main()
