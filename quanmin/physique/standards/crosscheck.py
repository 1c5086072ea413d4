"""Cross-check a standard's data file against independent transcriptions, cell by cell.

    python -m quanmin.physique.standards.crosscheck                 # compare physique-2003.json with sources/
    python -m quanmin.physique.standards.crosscheck --extract autogame GIT_DIR COMMIT
    python -m quanmin.physique.standards.crosscheck --extract fitness-scorer GIT_DIR COMMIT
    python -m quanmin.physique.standards.crosscheck --standard student-2014    # against daocodedao/sport

``sources/`` holds one extract per transcription: the numbers of the standard as that source writes them
(its own band layout, nothing else), with the repository, commit, path and date they came from. ``--extract``
rebuilds an extract from a local clone; the comparison reads only the committed extracts, so the tests run it.

A source's bands are turned into our layout (README "Layout") by the conventions the README states:

- item tables of AutoGame: bands are looked up in score order 1 → 5, inclusive, so a value shared by two
  bands belongs to the lower score and the next band starts one measuring step later;
- height-for-weight of AutoGame: the 1-point bands are open (``< a``, ``> d``), shared edges go to the band
  nearer normal on the heavy side (its lookup order: heavy 1, heavy 3, normal, light 3, light 1);
- fitness-scorer writes lower limits (``s1`` … ``s5``), upper limits (``s1max`` … ``s5max``) and
  ``[w1Light, w3Light, w5Max, w3Heavy]`` exactly as our thresholds and rows mean them;
- daocodedao/sport (student standard) writes each score's limit per grade as our thresholds mean it, run
  times as m's", BMI bands as "≤ a", "a~b", "≥ c" (we keep each band's upper limit) and bonus points with
  the excess they need.

A disagreement is *documented* when the item's ``notes`` hold a note for that cell giving that source's
value (``values: {source: value}``), or the item's ``source_notes`` set the whole table of that source aside
with a reason. The tests require every disagreement to be documented.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES_DIR = HERE / "sources"

# Measuring step of each item: the gap between two adjacent recorded values.
STEP = {
    "height_cm": 0.1, "shuttle_10m_s": 0.1, "standing_long_jump_cm": 1, "tennis_ball_throw_m": 0.1,
    "double_leg_jump_s": 0.1, "sit_and_reach_cm": 0.1, "balance_beam_s": 0.1, "vital_capacity_ml": 1,
    "step_index": 0.1, "grip_kg": 0.1, "pushups": 1, "situps_1min": 1, "vertical_jump_cm": 0.1,
    "reaction_time_s": 0.01, "one_leg_stand_eyes_closed_s": 1, "weight_kg": 0.1,
}
HFW_COLUMNS = ("a", "b", "c", "d")

AUTOGAME_ITEMS = {
    "lung_capacity": "vital_capacity_ml", "step_test": "step_index", "grip_strength": "grip_kg",
    "pushups": "pushups", "situps_1min": "situps_1min", "vertical_jump": "vertical_jump_cm",
    "sit_and_reach": "sit_and_reach_cm", "reaction_time": "reaction_time_s", "one_leg_stand": "one_leg_stand_eyes_closed_s",
    "height": "height_cm", "run_10m": "shuttle_10m_s", "standing_jump": "standing_long_jump_cm",
    "tennis_throw": "tennis_ball_throw_m", "continuous_jump": "double_leg_jump_s", "balance_beam": "balance_beam_s",
}
FITNESS_SCORER_ITEMS = {
    "LUNG_CAPACITY": "vital_capacity_ml", "STEP_INDEX": "step_index", "GRIP_STRENGTH": "grip_kg",
    "PUSHUPS": "pushups", "SITUPS": "situps_1min", "VERTICAL_JUMP": "vertical_jump_cm",
    "SIT_AND_REACH": "sit_and_reach_cm", "REACTION_TIME": "reaction_time_s",
    "SINGLE_LEG_STAND": "one_leg_stand_eyes_closed_s",
}


def _r(x: float) -> float:
    return round(x, 4)


# ---------------------------------------------------------------------------------------------- extracts

def _git_show(git_dir: str, commit: str, path: str) -> str:
    out = subprocess.run(["git", "-C", git_dir, "show", f"{commit}:{path}"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def _literal_dict(text: str, name: str):
    """The dict literal assigned to ``name`` in a Python file, with float('inf') written as strings."""
    text = text.replace("float('inf')", "'inf'").replace("float('-inf')", "'-inf'")
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise ValueError(f"{name} not found")


def extract_autogame(git_dir: str, commit: str) -> dict:
    other = _literal_dict(_git_show(git_dir, commit, "other_score_table.py"), "other_score_table")
    weight = _literal_dict(_git_show(git_dir, commit, "weight_score_table.py"), "weight_score_table")
    items = {sex: {age: {m: [[s["score"], *s["range"]] for s in bands] for m, bands in metrics.items()}
                   for age, metrics in ages.items()} for sex, ages in other.items()}
    hfw = {sex: {age: [[*h, *[[s["score"], *s["range"]] for s in row]]
                       for h, row in zip(t["height_ranges"], t["scores"], strict=False)]
                 for age, t in ages.items()} for sex, ages in weight.items()}
    return {"items": items, "height_for_weight": hfw,
            "layout": "items: sex > age group > metric > [score, range end, range end]; "
                      "height_for_weight: sex > age group > [height min, height max, [score, end, end] x5 "
                      "in the source's order: heavy 1, heavy 3, normal 5, light 3, light 1]; "
                      "'inf' / '-inf' mark open ends"}


_TS_BLOCK = re.compile(r"export const (\w+)\s*:\s*\w+\[\]\s*=\s*\[(.*?)\n\];", re.S)
_TS_ROW = re.compile(r"\{([^{}]*)\}")
_TS_PAIR = re.compile(r"(\w+)\s*:\s*('[^']*'|-?[\d.]+)")


def extract_fitness_scorer(git_dir: str, commit: str) -> dict:
    text = _git_show(git_dir, commit, "src/data/scoringTables.ts")
    tables = {}
    for name, body in _TS_BLOCK.findall(text):
        body = "\n".join(line for line in body.splitlines() if not line.strip().startswith("//"))
        rows = []
        for row in _TS_ROW.findall(body):
            rows.append({k: (v.strip("'") if v.startswith("'") else float(v)) for k, v in _TS_PAIR.findall(row)})
        tables[name] = rows
    return {"tables": tables,
            "layout": "tables: HW_<M|F>_<decade>: rows {heightMin, heightMax, w1Light, w3Light, w5Max, w3Heavy}; "
                      "item tables: rows {ageGroup, gender (1 male, 0 female), s1..s5 lower limits or "
                      "s1max..s5max upper limits}"}


# ---------------------------------------------------------------------------------------------- normalise

def _group_ids(doc: dict) -> dict[str, dict]:
    return {g["id"]: g for g in doc["groups"]}


def _autogame_group(age_key: str) -> str:
    if "-" not in age_key:
        age = float(age_key)
        return f"child-{age:g}"
    lo = int(age_key.split("-")[0])
    return f"{'elderly' if lo >= 60 else 'adult'}-{age_key}"


def _thresholds_from_bands(bands: list, higher: bool, step: float) -> list:
    """Our thresholds (best first) from bands [score, end, end] looked up in the listed order, inclusive."""
    taken: list[tuple[float, float]] = []
    by_score = {}
    for score, e1, e2 in bands:
        lo, hi = min(_num(e1), _num(e2)), max(_num(e1), _num(e2))
        if higher:
            start = lo
            for tlo, thi in taken:
                if tlo <= start <= thi:
                    start = thi + step
            by_score[score] = None if start == float("-inf") else _r(start)
        else:
            end = hi
            for tlo, thi in taken:
                if tlo <= end <= thi:
                    end = tlo - step
            by_score[score] = None if end == float("inf") else _r(end)
        taken.append((lo, hi))
    return [by_score[s] for s in (5, 4, 3, 2, 1)]


def _num(x) -> float:
    return float(x)  # "inf" / "-inf" in the extracts are open band ends


def _autogame_hfw_row(row: list) -> list:
    """[height, a, b, c, d] from one AutoGame row. Its 1-point bands are open (< a, > d); a weight on the
    shared edge of a 3-point and the normal band belongs to whichever the row lists first (its lookup order,
    which differs between tables)."""
    h_min, _h_max, *bands = row
    spans = sorted(((min(_num(e1), _num(e2)), max(_num(e1), _num(e2)), order) for order, (_s, e1, e2) in enumerate(bands)))
    light1, light3, normal, heavy3, heavy1 = spans
    a = light1[1]
    b = _r(light3[1] + 0.1) if light3[1] >= normal[0] and light3[2] < normal[2] else normal[0]
    c = _r(heavy3[0] - 0.1) if heavy3[0] <= normal[1] and heavy3[2] < normal[2] else normal[1]
    d = heavy1[0]
    return [_r(h_min), _r(a), _r(b), _r(c), _r(d)]


def normalise_autogame(extract: dict) -> dict:
    """{(group, sex, key): thresholds or hfw rows} in our layout."""
    out = {}
    for sex, ages in extract["items"].items():
        for age_key, metrics in ages.items():
            group = _autogame_group(age_key)
            for metric, bands in metrics.items():
                key = AUTOGAME_ITEMS[metric]
                higher = key not in {"reaction_time_s", "shuttle_10m_s", "double_leg_jump_s", "balance_beam_s"}
                out[(group, sex, key)] = _thresholds_from_bands(bands, higher, STEP[key])
    for sex, ages in extract["height_for_weight"].items():
        for age_key, rows in ages.items():
            norm = [_autogame_hfw_row(r) for r in rows]
            if age_key == "3-6":
                groups = [f"child-{a:g}" for a in (3, 3.5, 4, 4.5, 5, 5.5, 6)]
            else:
                lo = int(age_key.split("-")[0])
                kind = "elderly" if lo >= 60 else "adult"
                groups = [f"{kind}-{lo}-{lo + 4}", f"{kind}-{lo + 5}-{lo + 9}"]
            for group in groups:
                out[(group, sex, "height_for_weight")] = norm
    return out


def normalise_fitness_scorer(extract: dict) -> dict:
    out = {}
    for name, rows in extract["tables"].items():
        if name.startswith("HW_"):
            _, sx, lo, _hi = name.split("_")
            sex = "male" if sx == "M" else "female"
            lo = int(lo)
            norm = [[_r(r["heightMin"]), r["w1Light"], r["w3Light"], r["w5Max"], r["w3Heavy"]] for r in rows]
            for group in (f"adult-{lo}-{lo + 4}", f"adult-{lo + 5}-{lo + 9}"):
                out[(group, sex, "height_for_weight")] = norm
        elif name in FITNESS_SCORER_ITEMS:
            key = FITNESS_SCORER_ITEMS[name]
            for r in rows:
                sex = "male" if r["gender"] == 1 else "female"
                if "s5max" in r:
                    cells = [r[f"s{s}max"] for s in (5, 4, 3, 2, 1)]
                else:
                    cells = [r[f"s{s}"] for s in (5, 4, 3, 2, 1)]
                out[(f"adult-{r['ageGroup']}", sex, key)] = [_r(c) for c in cells]
    return out


SPORT_GRADES = {
    "一年级": ("primary-1",), "二年级": ("primary-2",), "三年级": ("primary-3",), "四年级": ("primary-4",),
    "五年级": ("primary-5",), "六年级": ("primary-6",), "初一": ("junior-1",), "初二": ("junior-2",),
    "初三": ("junior-3",), "高一": ("senior-1",), "高二": ("senior-2",), "高三": ("senior-3",),
    "大一": ("university-1", "university-2"), "大三": ("university-3", "university-4"),
}
SPORT_ITEMS = {"50米跑": "sprint_50m_s", "一分钟跳绳": "rope_skipping_1min", "仰卧起坐": "situps_1min",
               "坐位体前屈": "sit_and_reach_cm", "肺活量": "vital_capacity_ml"}
SPORT_BANDS = {"低体重": "low_weight", "正常": "normal", "超重": "overweight", "肥胖": "obese"}


def _seconds(text) -> float:
    """A run time as the source writes it (1'36", or 3'55") in seconds."""
    minutes, rest = str(text).split("'")
    return int(minutes) * 60 + float(rest.strip('"') or 0)


def _band_max(text: str) -> float | None:
    text = str(text)
    if text.startswith("≥"):
        return None
    return float(text.lstrip("≤").split("~")[-1])


def normalise_sport(extract: dict) -> dict:
    """daocodedao/sport: one file per item, a row per (sex, score) and a column per grade. Its "50×8" file
    holds 50 m × 8 for grades 5-6 and the 1000 m (boys) / 800 m (girls) run from junior-1 on."""
    out: dict = {}
    for name, rows in extract["files"].items():
        for r in rows:
            sex = "male" if r["性别"] == "男" else "female"
            for grade_zh, value in r.items():
                if grade_zh not in SPORT_GRADES:
                    continue
                if name == "身高体重":
                    key, part, cell, v = "bmi", "bands", SPORT_BANDS[r["等级"]], _band_max(value)
                elif name == "跳绳加分":
                    key, part, cell, v = "rope_skipping_1min", "bonus", r["加分"], float(value)
                elif name == "50×8":
                    if grade_zh in ("五年级", "六年级"):
                        key = "shuttle_50x8_s"
                    else:
                        key = "run_1000m_s" if sex == "male" else "run_800m_s"
                    part, cell, v = "scores", r["得分"], _seconds(value)
                else:
                    key, part, cell, v = SPORT_ITEMS[name], "scores", r["得分"], float(value)
                for group in SPORT_GRADES[grade_zh]:
                    out.setdefault((group, sex, key), {}).setdefault(part, {})[cell] = v
    return out


def extract_sport(git_dir: str, commit: str) -> dict:
    names = subprocess.run(["git", "-C", git_dir, "ls-tree", "-z", "--name-only", commit, "standard/"],
                           capture_output=True, check=True).stdout.decode("utf-8").split("\0")
    files = {Path(n).stem: json.loads(_git_show(git_dir, commit, n)) for n in sorted(names) if n.endswith(".json")}
    return {"files": files,
            "layout": "files: item name > rows {等级, 性别, 得分 (score) or 加分 (bonus), one column per grade: 一年级 … "
                      "初一 … 高一 … 大一 (years 1-2) 大三 (years 3-4)}; 身高体重: BMI bands as written (≤, ~, ≥)"}


PTC_GROUPS = {"freshman_sophomore": ("university-1", "university-2"), "junior_senior": ("university-3", "university-4")}
PTC_ITEMS = {"vital_capacity": "vital_capacity_ml", "race_50m": "sprint_50m_s", "sit_and_reach": "sit_and_reach_cm",
             "standing_long_jump": "standing_long_jump_cm", "pull_up": "pullups", "sit_up": "situps_1min",
             "race_1000m": "run_1000m_s", "race_800m": "run_800m_s"}


def _ptc_bands(spec: list) -> dict:
    """physical-test-calculator's BMI: [[60, 80, 100], [ranges per score]] -> our band upper limits."""
    bands = {}
    for score, ranges in zip(*spec, strict=True):
        ranges = ranges if isinstance(ranges[0], list) else [ranges]
        for lo, hi in ranges:
            label = {100: "normal", 60: "obese"}.get(score) or ("low_weight" if lo == "min" else "overweight")
            bands[label] = None if hi == "max" else hi
    return bands


def normalise_ptc(extract: dict) -> dict:
    """Polaris-cn/physical-test-calculator (university): [[scores], [limits]] per item, BMI ranges per score,
    bonus [[points], [excess]]."""
    out: dict = {}
    for sex, stages in extract["score"].items():
        for stage, items in stages.items():
            for name, spec in items.items():
                key = "bmi" if name == "bmi" else PTC_ITEMS[name]
                cells = {"bands": _ptc_bands(spec)} if name == "bmi" else {"scores": dict(zip(*spec, strict=True))}
                for group in PTC_GROUPS[stage]:
                    out.setdefault((group, sex, key), {}).update(cells)
    for sex, items in extract["bonus"].items():
        for name, (points, excess) in items.items():
            for group in (g for groups in PTC_GROUPS.values() for g in groups):
                out.setdefault((group, sex, PTC_ITEMS[name]), {})["bonus"] = dict(zip(points, excess, strict=True))
    return out


SSS_ITEMS = {"立定跳远": "standing_long_jump_cm", "引体向上": "pullups", "坐位体前屈": "sit_and_reach_cm",
             "50米": "sprint_50m_s", "1000米": "run_1000m_s", "800米": "run_800m_s", "肺活量": "vital_capacity_ml",
             "仰卧起坐": "situps_1min"}


def normalise_sss(extract: dict) -> dict:
    """Ksuserkqy/SportScoreSystem (senior high): sex > item > [{grade 1-3: {score: limit}}, kind]."""
    out: dict = {}
    for sex_zh, items in extract["standards"].items():
        sex = "male" if sex_zh == "男" else "female"
        for name, (by_grade, kind) in items.items():
            for grade, cells in by_grade.items():
                values = {int(score): (_seconds(v) if kind == "time-long" else float(v)) for score, v in cells.items()}
                out[(f"senior-{grade}", sex, SSS_ITEMS[name])] = {"scores": values}
    return out


def extract_ptc(git_dir: str, commit: str) -> dict:
    return {"score": json.loads(_git_show(git_dir, commit, "src/standard/score.json")),
            "bonus": json.loads(_git_show(git_dir, commit, "src/standard/bonus.json")),
            "layout": "score: sex > freshman_sophomore | junior_senior > item > [[scores], [limits]] (bmi: "
                      "[[60, 80, 100], [ranges]]); bonus: sex > item > [[bonus points], [excess]]"}


def extract_sss(git_dir: str, commit: str) -> dict:
    return {"standards": json.loads(_git_show(git_dir, commit, "download/files/Standards[v1.2.0].json")),
            "layout": "standards: 男 | 女 > item > [{senior grade 1-3: {score: limit}}, kind (num, time-short, "
                      "time-long as m's\")]"}


NORMALISERS = {"AutoGame": normalise_autogame, "fitness-scorer": normalise_fitness_scorer, "sport": normalise_sport,
               "physical-test-calculator": normalise_ptc, "SportScoreSystem": normalise_sss}


# ---------------------------------------------------------------------------------------------- compare

@dataclass
class Disagreement:
    source: str
    group: str
    sex: str
    key: str
    cell: str      # "score 4" or "152 cm c"
    ours: float | None
    theirs: float | None
    documented: bool


@dataclass
class SourceReport:
    source: str
    commit: str
    cells: int = 0
    tables: int = 0
    disagreements: list[Disagreement] = field(default_factory=list)

    @property
    def undocumented(self) -> list[Disagreement]:
        return [d for d in self.disagreements if not d.documented]


def _documented(item: dict, source: str, cell: dict, theirs) -> bool:
    if source in item.get("source_notes", {}):
        return True
    for note in item.get("notes", []):
        if all(note.get(k) == v for k, v in cell.items()) and source in note.get("values", {}):
            v = note["values"][source]
            if v == theirs or (v is not None and theirs is not None and abs(v - theirs) < 1e-9):
                return True
    return False


def _eq(x, y) -> bool:
    if x is None or y is None:
        return x is y
    return abs(float(x) - float(y)) < 1e-9


NOTE_KEY = {"scores": "score", "bands": "band", "bonus": "bonus"}


def _ours(item: dict, part: str) -> dict:
    """Our cells of one part of an item: score -> threshold, BMI band -> upper limit, bonus -> excess."""
    if part == "bands":
        return {b["label"]: b["max"] for b in item.get("bands", [])}
    if part == "bonus":
        bonus = item.get("bonus") or {"scores": [], "excess": []}
        return dict(zip(bonus["scores"], bonus["excess"], strict=True))
    return dict(zip(item["scores"], item["thresholds"], strict=True))


def compare(doc: dict, source: str, table: dict, commit: str = "") -> SourceReport:
    rep = SourceReport(source, commit)
    groups = _group_ids(doc)
    seen = set()  # five-year groups share one printed table (height-for-weight by decade): compare it once
    for (group_id, sex, key), theirs in sorted(table.items(), key=lambda kv: tuple(map(str, kv[0]))):
        group = groups.get(group_id)
        if group is None:
            continue
        item = next((i for i in group["sexes"][sex]["items"] if i["key"] == key), None)
        if item is None:
            continue
        fingerprint = json.dumps([sex, key, theirs, item.get("rows"), item.get("thresholds")])
        if fingerprint in seen:
            continue
        seen.add(fingerprint)
        rep.tables += 1
        if key == "height_for_weight":
            ours_rows = {int(r[0]): r for r in item["rows"] or []}
            for row in theirs:
                h = int(row[0])
                if h not in ours_rows:
                    rep.cells += 4
                    for col, v in zip(HFW_COLUMNS, row[1:], strict=True):
                        rep.disagreements.append(Disagreement(source, group_id, sex, key, f"{h} cm {col}", None, v,
                                                              _documented(item, source, {"height": h, "column": col}, v)))
                    continue
                for col, o, t in zip(HFW_COLUMNS, ours_rows[h][1:], row[1:], strict=True):
                    rep.cells += 1
                    if not _eq(o, t):
                        rep.disagreements.append(Disagreement(source, group_id, sex, key, f"{h} cm {col}", o, t,
                                                              _documented(item, source, {"height": h, "column": col}, t)))
        else:
            parts = theirs if isinstance(theirs, dict) else {"scores": dict(zip((5, 4, 3, 2, 1), theirs, strict=True))}
            for part, values in parts.items():
                ours = _ours(item, part)
                for cell, t in values.items():
                    rep.cells += 1
                    o = ours.get(cell)
                    if not _eq(o, t):
                        rep.disagreements.append(Disagreement(source, group_id, sex, key, f"{NOTE_KEY[part]} {cell}", o, t,
                                                              _documented(item, source, {NOTE_KEY[part]: cell}, t)))
    return rep


def load_extract(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def run(standard: str = "physique-2003") -> list[SourceReport]:
    with (HERE / f"{standard}.json").open(encoding="utf-8") as fh:
        doc = json.load(fh)
    reports = []
    for path in sorted(SOURCES_DIR.glob("*.json")):
        ex = load_extract(path)
        if ex["standard"] != standard:
            continue
        table = NORMALISERS[ex["source"]["name"]](ex["data"])
        reports.append(compare(doc, ex["source"]["name"], table, ex["source"]["commit"]))
    return reports


def print_reports(reports: list[SourceReport], out=sys.stdout, verbose: bool = False) -> None:
    for rep in reports:
        print(f"{rep.source} @ {rep.commit[:8]}: {rep.tables} tables, {rep.cells} cells compared, "
              f"{len(rep.disagreements)} disagreements ({len(rep.undocumented)} undocumented)", file=out)
        for d in rep.disagreements if verbose else rep.undocumented:
            flag = "" if d.documented else "  UNDOCUMENTED"
            print(f"  {d.group} {d.sex} {d.key} {d.cell}: ours {d.ours}, {d.source} {d.theirs}{flag}", file=out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--extract", nargs=3, metavar=("SOURCE", "GIT_DIR", "COMMIT"))
    ap.add_argument("--standard", default="physique-2003")
    ap.add_argument("-v", "--verbose", action="store_true", help="list documented disagreements too")
    args = ap.parse_args(argv)
    if args.extract:
        name, git_dir, commit = args.extract
        fn = {"autogame": extract_autogame, "fitness-scorer": extract_fitness_scorer, "sport": extract_sport,
              "physical-test-calculator": extract_ptc, "sportscoresystem": extract_sss}[name]
        data = fn(git_dir, commit)
        print(json.dumps(data, ensure_ascii=False))
        return 0
    reports = run(args.standard)
    print_reports(reports, verbose=args.verbose)
    return 1 if any(r.undocumented for r in reports) else 0


if __name__ == "__main__":
    raise SystemExit(main())
