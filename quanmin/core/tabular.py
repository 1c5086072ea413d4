"""Tabular files in: the one reader every import uses, for .xlsx and .csv uploads.

Why python-calamine (Rust) and not openpyxl: on the 20,000-row register of bench/facilities.py
(21 columns, 1.7 MB .xlsx, 18 MB of sheet XML) openpyxl's read-only mode read about 1,700-6,000
rows/s and calamine about 22,000-29,000 rows/s on the same busy 2-core machine in the same run:
13-16 times faster (openpyxl 6.9 s, calamine 0.71 s). With the checks below and the cells converted,
read_rows reads that file 4-8 times faster than openpyxl alone does (bench/facilities.py prints both
in every run: read_rows_per_s and openpyxl_read_rows_per_s).

Calamine holds a sheet's whole rectangle in memory, and a sheet of two cells, A1 and XFD1048576,
would make it ask for terabytes and abort the process. So a workbook reaches calamine only after
Python's zipfile has unpacked its XML parts (each no longer than its entry declares, all together at
most MAX_UNZIPPED), every sheet has been checked (each cell names its place, and no place lies far
beyond what the cells could fill), and the parts are packed again without compression, so that
calamine reads exactly what was checked. A workbook that fails a check (cells without positions, a
stray cell far away) is read by openpyxl in streaming mode instead: slower, never unsafe.

Values are typed as openpyxl types them (None for an empty cell, int for a whole number, datetime for
a date), so an import reads the same values whichever engine read the file; read_rows converts each
cell once, straight to what the registers' imports take.

What a hostile file may cost is bounded (issue 15): the lines read, empty or not (at most max_rows +
EMPTY_LINES: 3 million empty <row/> elements in 424 KB took 42 s of CPU when only filled rows
counted); a cell's length (Excel's own limit, MAX_CELL_CHARS); the unpacked XML (MAX_UNZIPPED, and
at most MAX_UNPACK_RATIO times the file's size past UNPACK_FLOOR: one 100 MB cell packs into 107 KB);
the time (MAX_SECONDS). A cell holding a formula is refused with its place: read as a value it is its
last cached result, or nothing at all when the writer cached none (openpyxl never does), and an
import would have written that.
"""

import codecs
import csv
import datetime
import io
import itertools
import operator
import re
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

import numpy as np
import openpyxl
import python_calamine
from django.utils.translation import gettext as _
from django.utils.translation import override

from .bulk import paused_gc
from .errors import ServiceError

MAX_UNZIPPED = 256 * 1024 * 1024  # the XML of a 200,000-row register is about 190 MB
MAX_UNPACK_RATIO = 100  # the register's XML is about 11 times its .xlsx
UNPACK_FLOOR = 16 * 1024 * 1024  # below this much XML no ratio is asked
MAX_CELL_CHARS = 32_767  # as Excel: a cell holds at most 32,767 characters
EMPTY_LINES = 1000  # lines beyond max_rows (title, blank lines) a sheet may run to
MAX_SECONDS = 180  # reading one file; the 200,000-row register takes about 7 s with calamine, 2 min with openpyxl
TITLE_ROWS = 5  # a sheet may open with a title ("东昌府区体育场地登记表") above the headers
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class TableError(ServiceError):
    """A file that cannot be read as a whole. `detail["reason"]` says why for readers that word it
    their own way: damaged, binary, encoding."""

    def __init__(self, code: str, message, status: int | None = None, reason: str = ""):
        super().__init__(code, message, "file", status=status, detail={"reason": reason} if reason else None)


def too_big(max_bytes: int) -> TableError:
    return TableError("file_too_large", _("The file is larger than %(mb)s MB: split it into several files.")
                      % {"mb": max_bytes // (1024 * 1024)}, status=413)


def not_readable(reason: str = "damaged") -> TableError:
    return TableError("file_unreadable", _("This is not an Excel (.xlsx) or CSV file, or the file is damaged."),
                      reason=reason)


def too_many_rows(max_rows: int) -> TableError:
    return TableError("import_too_many_rows", _("A file may hold at most %(rows)s rows.") % {"rows": max_rows})


def too_many_lines(limit: int) -> TableError:
    return TableError("import_too_many_rows", _("The sheet goes on past line %(line)s (empty rows count too): "
                                                "delete the rows below the data.") % {"line": limit})


def cell_too_long(line: int | None = None) -> TableError:
    message = (_("Line %(line)s holds a cell longer than %(chars)s characters.") if line else
               _("A cell is longer than %(chars)s characters."))
    return TableError("import_cell_too_long", message % {"line": line, "chars": MAX_CELL_CHARS})


def formula_refused(cell: str, sheet: str) -> TableError:
    where = _("Cell %(cell)s of sheet %(sheet)s") % {"cell": cell, "sheet": sheet} if cell else _("Sheet %(sheet)s") % {"sheet": sheet}
    return TableError("import_formula", _("%(where)s holds a formula: imports read values only. Copy the cells and "
                                          "paste them as values, then upload the file again.") % {"where": where})


def too_slow() -> TableError:
    return TableError("import_too_slow", _("The file took too long to read: split it into several files."))


def read_upload(file, max_bytes: int) -> bytes:
    """The bytes of an uploaded file (or of bytes given), refused past `max_bytes` or when empty."""
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes:
        raise too_big(max_bytes)
    data = file.read(max_bytes + 1) if hasattr(file, "read") else bytes(file)
    if len(data) > max_bytes:
        raise too_big(max_bytes)
    if not data.strip():
        raise TableError("file_empty", _("The file is empty."))
    if data.startswith(XLS_MAGIC):
        raise TableError("file_xls", _("Old Excel files (.xls) cannot be read: save the file as .xlsx and upload it again."))
    return data


# ---------------------------------------------------------------- grids: (line, cell values) per sheet


def grids(data: bytes, *, max_rows: int, typed: bool = True) -> Iterator[Iterable[tuple[int, list]]]:
    """Each sheet of an .xlsx, or the one table of a CSV, as (line as Excel numbers it, values).
    typed=False leaves calamine's values as they come ("" for an empty cell, a float for a number,
    a date for a date), for a caller that converts every cell anyway."""
    if data.startswith(XLSX_MAGIC):
        yield from xlsx_grids(data, max_rows, typed=typed)
    else:
        yield csv_grid(data, max_rows)


def xlsx_grids(data: bytes, max_rows: int, typed: bool = True):
    deadline = time.monotonic() + MAX_SECONDS
    parts = _unpack(data)
    sheets = [name for name, part in parts.items() if b"<sheetData" in part]
    fitting = {}  # sheet → its _scan when calamine may read it
    for name in sheets:
        fitting[name] = _fits(parts[name], max_rows)
        if not fitting[name]:
            break
    formulas = _formulas(parts, fitting)
    if all(fitting.get(name) for name in sheets):
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as repacked:
            _repack(parts, repacked)
            del parts
            book = _open(lambda: python_calamine.CalamineWorkbook.from_path(repacked.name))
            worksheets = [m for m in book.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
            for n, meta in enumerate(worksheets):  # as openpyxl's book.worksheets: no chart sheets
                sheet = _open(lambda name=meta.name: book.get_sheet_by_name(name))
                yield _guarded(_calamine_lines(sheet, typed), max_rows, deadline, formulas(n), meta.name)
        return
    # Read from memory, the workbook holds no file open: it need not be closed.
    book = _open(lambda: openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True))
    for n, sheet in enumerate(book.worksheets):
        sheet.reset_dimensions()  # some writers store a wrong size; read what is there
        yield _guarded(enumerate(sheet.iter_rows(values_only=True), start=1), max_rows, deadline, formulas(n),
                       sheet.title)


def _calamine_lines(sheet, typed: bool):
    """From A1, as Excel numbers rows and columns (by default calamine starts at the first value)."""
    lines = enumerate(sheet.to_python(skip_empty_area=False), start=1)
    if not typed:
        return lines
    return ((n, [_typed(v) for v in values]) for n, values in lines)


def _guarded(lines, max_rows: int | None = None, deadline: float | None = None, formulas: dict | None = None,
             sheet: str = ""):
    """The lines, stopped with a clear error past the lines, the time or at a formula a read may take."""
    limit = max_rows + EMPTY_LINES if max_rows else float("inf")
    deadline = deadline or time.monotonic() + MAX_SECONDS
    try:
        for line, values in lines:
            if line & 1023 == 1 and time.monotonic() > deadline:
                raise too_slow()
            if line > limit:
                raise too_many_lines(limit)
            if formulas and (line in formulas or 0 in formulas):
                raise formula_refused(formulas.get(line) or formulas[0], sheet)
            yield line, values
    except TableError:
        raise
    except Exception:  # a damaged sheet may fail half way through
        raise not_readable() from None


def _open(load):
    try:
        return load()
    except Exception:  # a damaged file raises anything from zipfile, lxml, openpyxl or calamine: never a 500
        raise not_readable() from None


def _unpack(data: bytes) -> dict[str, bytes]:
    """The workbook's XML parts, unpacked by zipfile: each stops at the size its entry declares."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = [e for e in archive.infolist() if e.filename.endswith((".xml", ".rels"))]
            unpacked = sum(e.file_size for e in entries)
            if unpacked > MAX_UNZIPPED:
                raise not_readable()
            if unpacked > max(UNPACK_FLOOR, MAX_UNPACK_RATIO * len(data)):
                raise TableError("import_unpacked_too_large", _(
                    "The file unpacks to %(mb)s MB, far more than its size: it cannot be a register. "
                    "Save it again from Excel and upload that.") % {"mb": unpacked // (1024 * 1024)}, status=413)
            return {e.filename: archive.read(e) for e in entries}
    except TableError:
        raise
    except Exception:
        raise not_readable() from None


# A formula element (<f>, or <x:f> with a prefix) and the cells that hold one. Before the regex, a
# substring search for each way a tag may start: two searches, not one per spelling (eight searches
# of bench/facilities.py's 18 MB sheet took 0.15 s, two 0.05 s on the same loaded machine).
_FORMULA_TAGS = (b"<f", b":f")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_FORMULA_CELL = re.compile(rb'<c\b[^>]*?\sr="([A-Z]{1,3})(\d{1,7})"[^>]*?(?:/>|>(.*?)</c>)', re.S)


def _formulas(parts: dict[str, bytes], scans: dict) -> Callable[[int], dict[int, str]]:
    """For the n-th worksheet (in the workbook's order): its lines holding a formula → the first such
    cell, {0: ""} when a formula is there but not its place. A sheet without a tag a formula could
    open costs nothing more than its _scan, in `scans` (or two substring searches without one); the
    result holds no part, so the XML can be let go."""
    with_formulas = [name for name, part in parts.items() if b"<sheetData" in part and (
        scans[name].tags if scans.get(name) else any(tag in part for tag in _FORMULA_TAGS)) and _FORMULA.search(part)]
    if not with_formulas:
        return lambda n: {}
    order = _worksheet_parts(parts)
    if order is None:  # which sheet is which cannot be told: every sheet is refused
        return lambda n: {0: ""}
    found = {}
    for name in with_formulas:
        lines = found[name] = {}
        for match in _FORMULA_CELL.finditer(parts[name]):
            if match.group(3) and _FORMULA.search(match.group(3)):
                lines.setdefault(int(match.group(2)), (match.group(1) + match.group(2)).decode())
        if not lines:
            lines[0] = ""
    return lambda n: found.get(order[n], {}) if n < len(order) else {}


def _worksheet_parts(parts: dict[str, bytes]) -> list[str] | None:
    """The worksheets' part names in the workbook's order (chart sheets left out, as both engines do)."""
    rels = {}
    for tag in re.findall(rb"<Relationship\b[^>]*>", parts.get("xl/_rels/workbook.xml.rels", b"")):
        rid, target = re.search(rb'\sId="([^"]*)"', tag), re.search(rb'\sTarget="([^"]*)"', tag)
        if rid and target and b'/worksheet"' in tag:
            path = target.group(1).decode()
            rels[rid.group(1)] = path.lstrip("/") if path.startswith("/") else "xl/" + path
    order = []
    for tag in re.findall(rb"<(?:\w+:)?sheet\b[^>]*>", parts.get("xl/workbook.xml", b"")):
        rid = re.search(rb'\s\w+:id="([^"]*)"', tag)
        if rid and rid.group(1) in rels:
            order.append(rels[rid.group(1)])
    return order if order and all(name in parts for name in order) else None


def _repack(parts: dict[str, bytes], file) -> None:
    """The parts into `file`, stored (not compressed), for calamine to read from its path: from a
    file object it reads through Python, 0.035 s of bench/facilities.py's 18 MB sheet against
    0.008 s to write the file (same machine, same run)."""
    with zipfile.ZipFile(file, "w", zipfile.ZIP_STORED) as archive:
        for name, part in parts.items():
            archive.writestr(name, part)
    file.flush()


# Calamine places a cell by its last r attribute, wherever it stands, and a cell or row without one
# after the previous; it reads r='…', prefixed tags and text in CDATA too. A sheet goes to calamine
# only when none of these leaves a place unchecked.
class _Scan(NamedTuple):
    cells: int  # <c r="…" tags
    rows: int  # <row tags
    tags: bool  # "<f" or ":f" somewhere: maybe a formula


SCAN_BYTES = 1 << 18  # a sheet is scanned 256 KB at a time: the arrays stay small (and in the cache)
_SPACE = np.zeros(256, bool)
_SPACE[list(b" \t\n\r\x0b\x0c")] = True  # as \s of a bytes pattern
_TAG_END = _SPACE.copy()
_TAG_END[list(b"/>")] = True
_LT, _BANG, _COLON, _EQ, _QUOTE, _APOS = b"<", b"!", b":", b"=", b'"', b"'"


def _scan(sheet: bytes) -> _Scan | None:
    """What _fits needs of a sheet's XML, in one pass: None when a place calamine would read may be
    left unchecked (a cell tag that does not open with r="…", a cell tag with a namespace prefix, an
    attribute written r = "…" or r='…', a comment or CDATA); else its cells and rows, and whether a
    formula tag may be there. Hand-tuned with numpy for a measured reason: on bench/facilities.py's
    18 MB sheet these checks took 0.14 s of CPU as three regular expressions and five substring
    searches, each a pass over the sheet (0.036 s of it the two searches for a formula tag), and
    take 0.063 s so (same machine, best of seven). The far places are still found by a regular
    expression (_fits): 0.055 s."""
    # Two bytes before and sixteen after, none of which any check looks for, so that every
    # neighbour read below lies inside the array.
    a = np.frombuffer(b"\0\0" + sheet + b"\0" * 16, np.uint8)
    cells = rows = 0
    tags = False
    for start in range(2, len(sheet) + 2, SCAN_BYTES):
        size = min(SCAN_BYTES, len(sheet) + 2 - start)
        w = a[start - 2:start + size + 16]  # a view: position i of the chunk is w[i + 2]
        chunk = w[2:size + 2]
        lt = np.flatnonzero(chunk == ord(_LT)) + 2
        after = w[lt + 1]
        if (after == ord(_BANG)).any():  # <! : a comment, CDATA, a DOCTYPE
            return None
        cell = lt[(after == ord("c")) & _TAG_END[w[lt + 2]]]
        if not ((w[cell + 2] == ord(" ")) & (w[cell + 3] == ord("r")) & (w[cell + 4] == ord(_EQ))
                & (w[cell + 5] == ord(_QUOTE))).all():
            return None  # a cell tag that does not open with its place
        cells += len(cell)
        rows += int(((after == ord("r")) & (w[lt + 2] == ord("o")) & (w[lt + 3] == ord("w"))).sum())
        colon = np.flatnonzero(chunk == ord(_COLON)) + 2
        after_colon = w[colon + 1]
        if ((after_colon == ord("c")) & _TAG_END[w[colon + 2]]).any():
            return None  # a cell tag with a namespace prefix
        tags = tags or bool((after == ord("f")).any() or (after_colon == ord("f")).any())
        eq = np.flatnonzero(chunk == ord(_EQ)) + 2
        value = w[eq + 1]
        if (_SPACE[value] | (value == ord(_APOS))).any() or _SPACE[w[eq - 1]].any():
            return None  # an attribute written r = "…" or r='…'
    return _Scan(cells, rows, tags)


def _fits(sheet: bytes, max_rows: int) -> _Scan | bool:
    """Whether calamine may read this sheet (its _scan when it may, False when not): every cell
    names its place, and no place (of a cell or a row) lies beyond a rectangle of at most about four
    times as many cells as the sheet has, so that calamine's memory follows the content of the file,
    not the places it names."""
    scan = _scan(sheet)
    if scan is None:
        return False
    cells, rows = scan.cells, max(1, scan.rows)
    budget = 4 * cells + 32_000  # cells calamine may hold: 32 bytes each
    last_column = min(16384, max(32, 3 * cells // (2 * rows) + 8))
    last_row = max(1, min(max_rows + 1000, budget // last_column))
    rows_beyond = _beyond(str(last_row), "0123456789")
    columns_beyond = _beyond(_letters(last_column), "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    # r="…" of a cell or a row: not a place at all, a column too far, or a row too far. A place
    # with fewer letters and digits than the limits have is near whatever they are: passed at once
    # (the far pattern took 78 ms of bench/facilities.py's sheet without this, 55 ms with it).
    near = rb"[A-Z]{0,%d}+\d{1,%d}+\"" % (len(_letters(last_column)) - 1, len(str(last_row)) - 1)
    accept = b"(?!%s)" % near if last_row >= 10 else b""
    far = re.compile(rb'r="(?<=[\s:]r=")%s(?:(?![A-Z]{0,3}\d{1,7}")|(?:%s)\d|[A-Z]*+0*+(?:%s)")'
                     % (accept, columns_beyond, rows_beyond))
    return scan if far.search(sheet) is None else False


def _letters(column: int) -> str:
    """1 → A, 27 → AA: a column's letters."""
    text = ""
    while column:
        column, rest = divmod(column - 1, 26)
        text = chr(65 + rest) + text
    return text


def _beyond(limit: str, alphabet: str) -> bytes:
    """A pattern for the numerals above `limit` written in `alphabet` (digits, or column letters),
    where a longer numeral is larger and numerals of one length compare as text."""
    first = alphabet[1] if alphabet[0] == "0" else alphabet[0]  # no leading zero
    options = [f"[{first}-{alphabet[-1]}][{alphabet[0]}-{alphabet[-1]}]{{{len(limit)},}}"]
    for i, char in enumerate(limit):
        if char != alphabet[-1]:
            larger = alphabet[alphabet.index(char) + 1]
            options.append(f"{limit[:i]}[{larger}-{alphabet[-1]}][{alphabet[0]}-{alphabet[-1]}]{{{len(limit) - i - 1}}}")
    return "|".join(options).encode()


def _typed(value):
    """A calamine value as openpyxl gives it."""
    kind = value.__class__
    if kind is str:
        if len(value) > MAX_CELL_CHARS:
            raise cell_too_long()
        return value or None
    if kind is float:
        return int(value) if value.is_integer() and -1e15 < value < 1e15 else value
    if kind is datetime.date:
        return datetime.datetime(value.year, value.month, value.day)
    return value


def csv_grid(data: bytes, max_rows: int | None = None):
    """CSV in UTF-8 (with or without BOM), GB18030 (Excel on Chinese Windows) or UTF-16 (Excel's
    "Unicode text"), comma-, tab- or semicolon-separated, as Excel numbers its lines."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    elif b"\x00" in data[:4096]:
        raise not_readable("binary")
    else:
        encodings = ["utf-8-sig", "gb18030"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise not_readable("encoding")
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text[:4096]):
        raise not_readable("binary")  # binary data that happened to decode: a picture, a PDF ...
    first = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first.count)  # the first of the most frequent: a comma on a tie
    return _guarded(enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1), max_rows)


# ---------------------------------------------------------------- registers: rows under known headers


def norm_header(value) -> str:
    text = str(value or "").strip().lower().replace("（", "(").replace("）", ")").replace("／", "/")
    return re.sub(r"[\s*_\-]", "", text)


def choice_words(choices, aliases: dict[str, str] | None = None) -> dict[str, str]:
    """The words a register's choice column may hold → the choice's code: the code itself, its
    English and Chinese labels (lower case), and the register's local words (`aliases`). Callers
    cache the result per column: each label is translated twice."""
    found = dict(aliases or {})
    for code, label in choices.choices:
        found[code] = code
        for lang in ("en", "zh-hans"):
            with override(lang):
                found[str(label).lower()] = code
    return found


class Rows(list):
    """The data rows of a sheet: dicts of column key → cell value, with "_line" as Excel shows it;
    `ignored` holds the headers no column matched."""

    ignored: list[str]


def read_rows(file, *, names: dict[str, str], label: Callable[[str], str], is_header: Callable[[set], bool],
              expected: Sequence[str], max_rows: int, max_bytes: int) -> Rows:
    """The rows of an .xlsx (the first sheet with our headers) or .csv file, keyed by column.

    `names` maps each normalised header (norm_header) to its column key; `is_header(keys)` says
    whether a line whose headers matched `keys` is the header line (it may raise for a header that
    lacks a column); `expected` are the labels the error names when no header is found."""
    data = read_upload(file, max_bytes)
    with paused_gc():  # the sheet's cells and rows all live on (0.07 of 0.69 s of CPU, bench/facilities.py)
        for grid in grids(data, max_rows=max_rows, typed=False):
            rows = _rows_under_headers(grid, names, label, is_header, max_rows)
            if rows is not None:
                return rows
    raise TableError("import_header_missing", _("The first row must hold the column headers of the template (%(columns)s).")
                     % {"columns": "、".join(expected)})


def column_names(columns: dict[str, Sequence[str]]) -> dict[str, str]:
    """A register's columns (key → its headers, the template's own first) as read_rows's `names`:
    each header, and the key itself, normalised → the key."""
    return {norm_header(h): key for key, heads in columns.items() for h in (*heads, key)}


def read_columns(file, columns: dict[str, Sequence[str]], *, required: set[str], expected: Sequence[str],
                 max_rows: int, max_bytes: int) -> Rows:
    """read_rows for a register whose columns are declared as `column_names` takes them: the header
    line is the first to name every `required` column, and an error names a column by the
    template's header."""
    return read_rows(file, names=column_names(columns), label=lambda key: columns[key][0],
                     is_header=lambda keys: required <= keys, expected=expected, max_rows=max_rows,
                     max_bytes=max_bytes)


def _match_headers(values, names: dict[str, str], label) -> tuple[dict[int, str], list[str]]:
    mapping, ignored = {}, []
    for i, head in enumerate(values):
        norm = norm_header(head)
        # "经度（WGS84）" → 经度: a unit or note in brackets does not change the column.
        key = names.get(norm) or names.get(re.sub(r"\(.*?\)$", "", norm))
        if key is None:
            if str(head or "").strip():
                ignored.append(str(head).strip())
        elif key in mapping.values():
            raise TableError("import_header_duplicate", _("The column %(column)s appears twice.") % {"column": label(key)})
        else:
            mapping[i] = key
    return mapping, ignored


def _rows_under_headers(lines, names, label, is_header, max_rows: int) -> Rows | None:
    """Headers on one of the first few non-empty lines; None when the sheet is not ours (the help
    sheet, say). The lines under them are converted CHUNK_LINES at a time, a column at a time
    (_column_cells), and before any error is raised: the first error in the file's order is the one
    told."""
    mapping, rows, skipped, pending = None, Rows(), 0, []

    def convert():
        rows.extend(_chunk_rows(pending, mapping))
        pending.clear()

    try:
        for line, values in lines:
            if not _filled(values):
                continue
            if mapping is None:
                found, ignored = _match_headers(values, names, label)
                if not is_header(set(found.values())):
                    skipped += 1
                    if skipped <= TITLE_ROWS:
                        continue
                    return None
                mapping, rows.ignored = found, ignored
                continue
            pending.append((line, values))
            if len(pending) == CHUNK_LINES:
                convert()
            if len(rows) + len(pending) > max_rows:
                raise too_many_rows(max_rows)
    except TableError:
        if pending:
            convert()  # a cell too long above the error is told first, as the file reads
        raise
    if mapping is None:
        return None
    convert()
    return rows


CHUNK_LINES = 1000


def _filled(values) -> bool:
    """Whether a line holds a value: a cell other than None, "" or blank text."""
    for value in values:
        if value.__class__ is str:
            if value and not value.isspace():
                return True
        elif value is not None:
            return True
    return False


def _chunk_rows(chunk: list, mapping: dict[int, str]) -> list[dict]:
    """The rows of (line, values) lines: each mapped column's cells converted at once (_column_cells)
    and the rows' dicts made by builtins. bench/facilities.py's 420,000 cells took 0.090 s of CPU
    converted one call each, 0.071 s so (same machine, best of seven)."""
    width = max(mapping) + 1
    grid = [values if len(values) >= width else [*values, *[""] * (width - len(values))] for _line, values in chunk]
    try:
        columns = [_column_cells(list(map(operator.itemgetter(i), grid))) for i in mapping]
    except TableError:  # which line: the first whose mapped cells hold one too long
        for line, values in chunk:
            if any(_too_long(values[i]) for i in mapping if i < len(values)):
                raise cell_too_long(line) from None
        raise
    keys = (*mapping.values(), "_line")
    return list(map(dict, map(zip, itertools.repeat(keys), zip(*columns, [line for line, _values in chunk]))))


def _too_long(value) -> bool:
    return value.__class__ is str and len(value) > MAX_CELL_CHARS


def _column_cells(values: list) -> list:
    """A column's cells as _cell gives them, a column of text only or of numbers only (all of a
    register's columns but odd ones) by builtins over the whole column."""
    kinds = set(map(type, values))
    if kinds == {str} and "\x00" not in "".join(values):
        if max(map(len, values)) > MAX_CELL_CHARS:
            raise cell_too_long()
        return list(map(str.strip, values)) if any(values) else values
    if kinds == {float}:
        return [int(v) if v.is_integer() and -1e15 < v < 1e15 else v for v in values]
    return list(map(_cell, values))


def _cell(value):
    """A cell as the registers' imports take it (from either engine or CSV): text stripped, "" when
    empty, whole numbers as int, dates as datetime (as openpyxl gives them)."""
    kind = value.__class__
    if kind is str:
        if len(value) > MAX_CELL_CHARS:
            raise cell_too_long()
        if "\x00" in value:
            value = value.replace("\x00", "")  # NUL means nothing in a cell and cannot reach PostgreSQL
        return value.strip()
    if value is None:
        return ""
    if kind is float:
        return int(value) if value.is_integer() and -1e15 < value < 1e15 else value
    if kind is datetime.date:
        return datetime.datetime(value.year, value.month, value.day)
    return value
