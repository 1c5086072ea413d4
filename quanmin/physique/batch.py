"""Device exports in, scores out: one reader for the `physique_score` command and the staff import.

A device export is one row per person, one column per measurement. Columns are named by the
canonical keys (`vital_capacity_ml` …) or by the Chinese headers testing devices print (肺活量,
50米跑（秒）…, see device_headers.HEADER_ALIASES); 性别 / 年级 / 年龄 identify the table to use, and an ID
number column (身份证号) can stand in for sex and age. Excel (.xlsx) or CSV in UTF-8 (with or
without BOM) or GB18030, the encoding of Chinese Windows exports.

`score_sheet` parses every column at once (pandas) and scores all valid rows in one call of the
vectorised engine (`scoring.score_many`); only rows the engine refuses are scored again one by one,
to say why.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.utils import timezone

from quanmin.accounts import idnumber
from quanmin.core import excel, tabular

from . import device_headers, scoring, tables
from .errors import BatchError, ScoringError

MAX_ROWS = 1_000_000

# Identity columns the engine does not know: the import needs them to find the person.
IDENTITY_ALIASES = {
    "姓名": "name", "name": "name", "real_name": "name",
    "身份证号": "id_number", "身份证号码": "id_number", "身份证": "id_number", "证件号码": "id_number",
    "id_number": "id_number",
    "测试日期": "tested_on", "检测日期": "tested_on", "测试时间": "tested_on", "tested_on": "tested_on",
    "date": "tested_on",
    "知情同意": "consent", "同意": "consent", "consent": "consent",
    "监护人": "guardian_name", "监护人姓名": "guardian_name", "guardian_name": "guardian_name",
}
YES = {"1", "是", "y", "yes", "true", "同意", "已签", "√", "✓"}


@dataclass
class Sheet:
    headers: list[str]
    rows: list[list]  # cell values, as read (str, int, float, datetime or None)
    lines: list[int]  # the line (CSV) or row number (Excel) of each row, for error reports


# --- reading ------------------------------------------------------------------------------------

def read_file(source, name: str | None = None) -> Sheet:
    """Read an .xlsx or .csv file (a path, bytes or a binary file object)."""
    if isinstance(source, (str, Path)):
        name = name or str(source)
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise BatchError("unreadable_file", f"Cannot read {source}: {exc.strerror or exc}.") from None
    elif isinstance(source, bytes):
        data = source
    else:
        data = source.read()
    suffix = Path(name or "").suffix.lower()
    if suffix in (".xlsx", ".xlsm") or (not suffix and data[:2] == b"PK"):
        return _read("xlsx", data)
    if suffix in (".csv", ".txt", ""):
        return _read("csv", data)
    raise BatchError("unsupported_format", f"Unsupported file type {suffix!r}: use .xlsx or .csv.")


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _sheet_from_rows(rows) -> Sheet:
    headers, body, lines = None, [], []
    for line, row in enumerate(rows, start=1):
        row = list(row)
        if (not row or _blank(row[0])) and all(_blank(v) for v in row):  # most rows: the first cell decides
            continue
        if headers is None:
            headers = ["" if v is None else str(v).strip() for v in row]
            continue
        if len(body) >= MAX_ROWS:
            raise BatchError("too_many_rows", f"More than {MAX_ROWS} rows: split the file.")
        row = (row + [None] * len(headers))[: len(headers)]
        body.append(row)
        lines.append(line)
    if headers is None:
        raise BatchError("empty_file", "The file has no header row.")
    return Sheet(headers, body, lines)


# The shared reader's refusals, in this reader's words (the command prints them, the staff import shows them).
_REFUSALS = {("xlsx", "damaged"): ("unreadable_file", "Not a readable Excel (.xlsx) file."),
             ("csv", "damaged"): ("unreadable_file", "Broken CSV: not a readable table."),
             ("csv", "binary"): ("unreadable_file", "This is not a text (CSV) file."),
             ("csv", "encoding"): ("unreadable_encoding", "The CSV file is neither UTF-8 nor GB18030 text.")}


def _read(kind: str, data: bytes) -> Sheet:
    try:
        grids = tabular.xlsx_grids(data, max_rows=MAX_ROWS) if kind == "xlsx" else iter([tabular.csv_grid(data, MAX_ROWS)])
        return _sheet_from_rows(row for _line, row in next(grids, ()))
    except tabular.TableError as exc:
        code, message = _REFUSALS.get((kind, exc.detail.get("reason")), (exc.code, str(exc.message)))
        raise BatchError(code, message) from None


# --- columns ------------------------------------------------------------------------------------

def column_key(header: str) -> str | None:
    key = device_headers.canonical_key(header)
    if key is None:
        text = str(header).strip()
        key = IDENTITY_ALIASES.get(text) or IDENTITY_ALIASES.get(text.lower())
        if key is None:
            key = IDENTITY_ALIASES.get(re.sub(r"[（(].*?[)）]", "", text).replace(" ", ""))
    return key


def column_keys(headers: list[str]) -> dict[str, int]:
    """{canonical key: column index}; the first column wins when two map to the same key."""
    out: dict[str, int] = {}
    for i, h in enumerate(headers):
        key = column_key(h)
        if key is not None and key not in out:
            out[key] = i
    return out


def parse_date(value) -> datetime.date | None:
    if _blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    try:
        return datetime.date.fromisoformat(text[:10] if len(text) > 10 else text)
    except ValueError:
        parts = text.split("-")
        if len(parts) == 3 and all(p.strip().isdigit() for p in parts):
            try:
                return datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
            except ValueError:
                return None
        return None


def test_age(birth: datetime.date, on: datetime.date) -> float:
    """Age for the standards: whole years; under 7, half years (the 2003 children's tables go 3, 3.5 …)."""
    years = idnumber.age_on(birth, on)
    if years < 7:
        months = (on.year - birth.year) * 12 + on.month - birth.month - (on.day < birth.day)
        return years + (0.5 if months - 12 * years >= 6 else 0.0)
    return float(years)


test_age.__test__ = False  # not a pytest test


@dataclass
class Parsed:
    """Columns of a sheet, parsed: one entry per row; `reasons[i]` is set for rows that cannot be scored."""

    n: int
    sex: np.ndarray  # object: "male" / "female" / None
    grade: np.ndarray  # object: canonical grade / None
    age: np.ndarray  # float, NaN when unknown
    tested_on: list  # date or None
    measurements: dict[str, np.ndarray]  # key -> float, NaN = not measured
    names: list  # str
    id_numbers: list  # parsed IdNumber or None
    consent: list  # bool
    guardian: list  # str
    reasons: list[str] = field(default_factory=list)

    def row_measurements(self, i: int) -> dict[str, float]:
        return {k: float(v[i]) for k, v in self.measurements.items() if not math.isnan(v[i])}


def _note(reasons: list[str], i: int, text: str) -> None:
    reasons[i] = f"{reasons[i]}; {text}" if reasons[i] else text


def _measurement_column(values: list, key: str, header: str, reasons: list[str]) -> np.ndarray:
    """Floats for a column (NaN = blank). Plain numbers take the fast path; anything else (run times
    such as 3'55", words, booleans, negatives, zero) goes through scoring.parse_value, which either
    reads it or says what is wrong with it."""
    nan = math.nan
    out = [nan] * len(values)
    todo = []
    for i, v in enumerate(values):
        if v is None:
            continue
        kind = v.__class__
        if kind is float or (kind is int and -1e300 < v < 1e300):
            out[i] = v
            continue
        if kind is str:
            text = v.strip()
            if not text:
                continue
            try:
                number = float(text)
            except ValueError:
                pass
            else:
                if number == number:  # "nan" is not a number a device writes: let parse_value say so
                    out[i] = number
                    continue
        todo.append(i)
    col = np.array(out, dtype=float)
    with np.errstate(invalid="ignore"):
        odd = np.flatnonzero(~np.isnan(col) & (~np.isfinite(col) | (col <= 0)))
    for i in sorted({*todo, *odd.tolist()}):
        try:
            value = scoring.parse_value(key, values[i])
        except ScoringError as exc:
            _note(reasons, i, f"{header}: {exc.message}")
            col[i] = nan
        else:
            col[i] = nan if value is None else value
    return col


def _mapped(values: list, parse, header: str, reasons: list[str]) -> np.ndarray:
    """Parse a column of labels (性别, 年级) once per distinct value."""
    cache, out = {}, np.full(len(values), None, dtype=object)
    for i, v in enumerate(values):
        if _blank(v):
            continue
        key = str(v).strip()
        if key not in cache:
            try:
                cache[key] = (parse(v), None)
            except ScoringError as exc:
                cache[key] = (None, f"{header}: {exc.message}")
        value, problem = cache[key]
        if problem:
            _note(reasons, i, problem)
        out[i] = value
    return out


def parse_sheet(sheet: Sheet, standard: str | tables.Standard, *, on: datetime.date | None = None) -> Parsed:
    """Parse the columns the standard needs. Sex and age fall back on the ID number (and the test date,
    else `on`, else today); rows without what they need get a reason."""
    std = tables.load_standard(standard)
    keys = column_keys(sheet.headers)
    n = len(sheet.rows)
    reasons = [""] * n
    cols = {key: [row[i] for row in sheet.rows] for key, i in keys.items()}
    header = {key: sheet.headers[i] for key, i in keys.items()}
    on = on or timezone.localdate()  # the city's date, not the machine's (UTC on a server)

    ids: list = [None] * n
    if "id_number" in cols:
        for i, raw in enumerate(cols["id_number"]):
            if _blank(raw):
                continue
            try:
                ids[i] = idnumber.parse(str(raw))
            except idnumber.InvalidIdNumber as exc:
                _note(reasons, i, f"{header['id_number']}: {exc.message}")
    tested_on = [parse_date(v) for v in cols.get("tested_on", [None] * n)]
    if "tested_on" in cols:
        for i, (raw, day) in enumerate(zip(cols["tested_on"], tested_on)):
            if day is None and not _blank(raw):
                _note(reasons, i, f"{header['tested_on']}: not a date")

    sex = _mapped(cols["sex"], device_headers.parse_sex, header["sex"], reasons) if "sex" in cols else np.full(n, None, object)
    grade = np.full(n, None, dtype=object)
    age = np.full(n, np.nan)
    if std.subject == "grade":
        if "grade" not in cols:
            raise BatchError("missing_column", f"{std.name} scores by grade: the file needs a grade (年级) column.")
        grade = _mapped(cols["grade"], device_headers.parse_grade, header["grade"], reasons)
    else:
        if "age" in cols:
            age = _measurement_column(cols["age"], "age", header["age"], reasons)
        elif "id_number" not in cols:
            raise BatchError("missing_column", f"{std.name} scores by age: the file needs an age (年龄) or ID number column.")
    if "sex" not in cols and "id_number" not in cols:
        raise BatchError("missing_column", "The file needs a sex (性别) or ID number column.")
    for i in range(n):
        if ids[i] is not None:
            if sex[i] is None:
                sex[i] = ids[i].sex
            if std.subject == "age" and math.isnan(age[i]):
                age[i] = test_age(ids[i].birth_date, tested_on[i] or on)
        if sex[i] is None and not reasons[i]:
            _note(reasons, i, f"{header.get('sex', 'sex')}: required")
        if std.subject == "grade" and grade[i] is None and not reasons[i]:
            _note(reasons, i, f"{header['grade']}: required")
        if std.subject == "age" and math.isnan(age[i]) and not reasons[i]:
            _note(reasons, i, f"{header.get('age', 'age')}: required")

    measurements = {}
    for key in tables.MEASUREMENT_KEYS:
        if key in cols:
            measurements[key] = _measurement_column(cols[key], key, header[key], reasons)
    names = ["" if _blank(v) else str(v).strip() for v in cols.get("name", [None] * n)]
    consent = [(not _blank(v)) and str(v).strip().lower() in YES for v in cols.get("consent", [None] * n)]
    guardian = ["" if _blank(v) else str(v).strip() for v in cols.get("guardian_name", [None] * n)]
    return Parsed(n, sex, grade, age, tested_on, measurements, names, ids, consent, guardian, reasons)


# --- scoring ------------------------------------------------------------------------------------

@dataclass
class Scored:
    sheet: Sheet
    standard: tables.Standard
    parsed: Parsed
    totals: np.ndarray  # NaN where not scored
    ratings: list  # rating code or None
    passed: list  # True / False / None
    item_keys: list[str]  # items with at least one score, in the standard's order
    item_scores: dict[str, np.ndarray]
    bonus_keys: list[str]
    bonuses: dict[str, np.ndarray]
    reasons: list[str]  # why a row is not scored ("" when it is)
    notes: list[str]  # why a scored row has no rating

    @property
    def scored_count(self) -> int:
        return int((~np.isnan(self.totals)).sum())


def _item_order(std: tables.Standard) -> list[str]:
    seen = []
    for group in std.groups:
        for sex in tables.SEXES:
            for item in group.plans[sex]:
                if item.key not in seen:
                    seen.append(item.key)
    return seen


def score_sheet(sheet: Sheet, standard: str | tables.Standard, *, on: datetime.date | None = None) -> Scored:
    std = tables.load_standard(standard)
    p = parse_sheet(sheet, std, on=on)
    reasons = list(p.reasons)
    ok = np.array([not r for r in reasons], dtype=bool)
    idx = np.flatnonzero(ok)
    totals = np.full(p.n, np.nan)
    rating_idx = np.full(p.n, scoring.RATING_INVALID, dtype=np.int8)
    passed_arr = np.full(p.n, -1, dtype=np.int8)
    item_scores: dict[str, np.ndarray] = {}
    bonuses: dict[str, np.ndarray] = {}
    if len(idx):
        batch = scoring.score_many(
            std, p.sex[idx].astype(str), grade=p.grade[idx].astype(str) if std.subject == "grade" else None,
            age=p.age[idx] if std.subject == "age" else None,
            measurements={k: v[idx] for k, v in p.measurements.items()}, errors="mask", with_items=True)
        totals[idx] = batch.totals
        rating_idx[idx] = batch.ratings
        passed_arr[idx] = batch.passed
        for key, col in (batch.item_scores or {}).items():
            item_scores.setdefault(key, np.full(p.n, np.nan))[idx] = col
        for key, col in (batch.bonuses or {}).items():
            bonuses.setdefault(key, np.zeros(p.n, dtype=np.int64))[idx] = col
        # Rows the engine refused: score them alone to say why.
        for i in idx[batch.ratings == scoring.RATING_INVALID]:
            try:
                scoring.score(std, p.sex[i], grade=p.grade[i], age=None if math.isnan(p.age[i]) else float(p.age[i]),
                              measurements=p.row_measurements(i))
            except ScoringError as exc:
                reasons[i] = f"{exc.field}: {exc.message}"
            else:  # pragma: no cover - both paths agree by construction
                reasons[i] = "invalid record"
    notes = [""] * p.n
    ratings: list = [None] * p.n
    passed: list = [None] * p.n
    for i in range(p.n):
        r = int(rating_idx[i])
        if r >= 0:
            ratings[i] = tables.RATING_CODES[r]
        elif r == scoring.RATING_WITHHELD and not reasons[i]:
            notes[i] = "no rating: an item has no score, or the standard publishes no rating table for this group"
        if passed_arr[i] >= 0:
            passed[i] = bool(passed_arr[i])
    order = _item_order(std)
    item_keys = [k for k in order if k in item_scores and not np.isnan(item_scores[k]).all()]
    bonus_keys = [k for k in order if k in bonuses and bonuses[k].any()]
    return Scored(sheet, std, p, totals, ratings, passed, item_keys, item_scores, bonus_keys, bonuses, reasons, notes)


# --- writing ------------------------------------------------------------------------------------

def _num(v: float):
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return int(v)
    return float(v)


def output_rows(scored: Scored):
    """Headers and rows: the input columns, then each item's score (and bonus), total, rating, reason."""
    extra = ([f"{k}_score" for k in scored.item_keys] + [f"{k}_bonus" for k in scored.bonus_keys]
             + ["total", "rating", "passed", "reason"])
    headers = list(scored.sheet.headers) + extra

    def rows():
        for i, row in enumerate(scored.sheet.rows):
            out = list(row)
            out += [_num(scored.item_scores[k][i]) for k in scored.item_keys]
            out += [int(scored.bonuses[k][i]) if not scored.reasons[i] else None for k in scored.bonus_keys]
            out += [_num(scored.totals[i]), scored.ratings[i] or "",
                    "" if scored.passed[i] is None else ("yes" if scored.passed[i] else "no"),
                    scored.reasons[i] or scored.notes[i]]
            yield out

    return headers, rows()


def write_output(scored: Scored, path: str | Path) -> None:
    """The scored rows as .csv or .xlsx, written through core.excel (formulas in the input neutralised)."""
    path = Path(path)
    headers, rows = output_rows(scored)
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            fh.writelines(excel.csv_lines(headers, rows))
        return
    excel.write_workbook([("scores", headers, ([v if not isinstance(v, datetime.time) else str(v) for v in row]
                                              for row in rows))], target=path)
