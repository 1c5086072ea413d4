"""The shared reader (core.tabular) on real files: both engines type values alike, CSV dialects and
encodings, and workbooks built to exhaust memory are read safely or refused clearly."""

import contextlib
import datetime
import io
import random
import re
import zipfile

import pytest
from openpyxl import Workbook

from quanmin.core import tabular


def xlsx(rows, start="A1") -> bytes:
    book = Workbook()
    sheet = book.active
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value is not None:
                sheet.cell(sheet[start].row + r, sheet[start].column + c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def first_grid(data: bytes, max_rows=1000) -> list:
    return [(line, list(values)) for line, values in next(tabular.grids(data, max_rows=max_rows))]


def sheet_xml(data: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")


def with_sheet_xml(data: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in source.infolist():
            part = source.read(entry)
            archive.writestr(entry.filename, change(part) if entry.filename.endswith("sheet1.xml") else part)
    return out.getvalue()


ROWS = [["名称", "日期", "数量", "比例", "开放", "备注"],
        ["甲", datetime.date(2021, 5, 1), 12, 2.5, True, None],
        [None, datetime.datetime(2021, 5, 1, 10, 30), 3.0, 0.25, False, "  x "]]


def trimmed(grid):
    """The lines with a value, without the empty cells at their ends (openpyxl leaves them out)."""
    out = []
    for line, values in grid:
        while values and values[-1] is None:
            values = values[:-1]
        if values:
            out.append((line, values))
    return out


def test_calamine_and_openpyxl_give_the_same_values(monkeypatch):
    data = xlsx(ROWS, start="B3")  # a sheet whose first value is not in A1
    fast = first_grid(data)
    monkeypatch.setattr(tabular, "_fits", lambda sheet, max_rows: False)
    slow = first_grid(data)
    assert trimmed(fast) == trimmed(slow)
    fast = trimmed(fast)
    assert fast[0][0] == 3 and fast[0][1][:2] == [None, "名称"]
    assert fast[1][1][2:6] == [datetime.datetime(2021, 5, 1), 12, 2.5, True]
    assert isinstance(fast[2][1][3], int) and fast[2][1][6] == "  x "


@pytest.mark.parametrize(("text", "encoding"), [
    ("名称,数量\n甲,1\n", "utf-8"), ("名称,数量\n甲,1\n", "utf-8-sig"), ("名称,数量\n甲,1\n", "gb18030"),
    ("名称\t数量\n甲\t1\n", "utf-16"), ("名称;数量\n甲;1\n", "utf-8"),
])
def test_csv_dialects_and_encodings(text, encoding):
    assert first_grid(text.encode(encoding)) == [(1, ["名称", "数量"]), (2, ["甲", "1"])]


@pytest.mark.parametrize(("data", "reason"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("名称\n".encode() + b"\x81\x30\x81", "encoding"),
    (b"PK\x03\x04 not really a zip", "damaged"),
])
def test_unreadable_files_say_why(data, reason):
    with pytest.raises(tabular.TableError) as exc:
        first_grid(data)
    assert exc.value.code == "file_unreadable" and exc.value.detail["reason"] == reason


def test_a_sparse_sheet_is_not_given_to_calamine_but_still_read():
    """Two cells, A1 and XFD1048576: calamine would ask for the whole rectangle (terabytes) and abort."""
    data = xlsx([["a"]])
    data = with_sheet_xml(data, lambda part: part.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>b</t></is></c></row></sheetData>'))
    assert not tabular._fits(sheet_xml(data), 1000)
    grid = first_grid(data, max_rows=1048576)
    assert grid[0] == (1, ["a"]) and grid[-1][0] == 1048576 and grid[-1][1][-1] == "b"
    with pytest.raises(tabular.TableError) as exc:  # the empty lines between count (issue 15)
        first_grid(data)
    assert exc.value.code == "import_too_many_rows"


@pytest.mark.parametrize("change", [
    lambda p: p.replace(b'<c r="A1"', b'<c r="A1" r="XFD99"'),  # calamine takes the last r
    lambda p: p.replace(b'<c r="A1"', b'<c s="0" r="XFD99"'),
    lambda p: p.replace(b'<c r="A1"', b"<c r='XFD99'"),
    lambda p: p.replace(b'<c r="A1"', b"<c"),  # placed after the previous cell
    lambda p: p.replace(b'<row r="1"', b'<row r="900000"').replace(b'<c r="A1"', b"<c"),
    lambda p: p.replace(b"<sheetData>", b"<sheetData><!-- <c r=\"A1\"> -->"),
])
def test_places_calamine_would_read_but_not_checked_keep_it_away(change):
    data = with_sheet_xml(xlsx([["a", "b"]]), change)
    assert not tabular._fits(sheet_xml(data), 1000)
    with contextlib.suppress(tabular.TableError):  # read by openpyxl, or refused: never a crash
        first_grid(data)


def test_an_ordinary_sheet_goes_to_calamine():
    assert tabular._fits(sheet_xml(xlsx([["a", "b"]] * 50)), 1000)


@pytest.mark.parametrize("change", [
    lambda p: p,
    lambda p: p.replace(b'<c r="B7"', b"<c\tr='B7'"),
    lambda p: p.replace(b'<c r="B7"', b'<x:c r="B7"'),
    lambda p: p.replace(b'<c r="B7"', b"<c"),
    lambda p: p.replace(b"</row>", b"<!-- --></row>", 1),
])
def test_the_scan_finds_the_same_whatever_its_chunks(monkeypatch, change):
    """The sheet is scanned a chunk at a time: a tag across two chunks is seen as in one."""
    sheet = change(sheet_xml(xlsx([["a", "b"]] * 9)))
    whole = tabular._scan(sheet)
    for size in (1, 2, 5, 64):
        monkeypatch.setattr(tabular, "SCAN_BYTES", size)
        assert tabular._scan(sheet) == whole
    assert (whole is None) == (change(b'<c r="B7"') != b'<c r="B7"' or b"<!" in sheet)
    assert whole is None or whole[:2] == (18, 9)


def test_unpacked_size_is_bounded(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_UNZIPPED", 1000)
    with pytest.raises(tabular.TableError) as exc:
        first_grid(xlsx([["x" * 2000]]))
    assert exc.value.code == "file_unreadable"


def test_an_entry_longer_than_it_declares_is_refused():
    data = xlsx([["a"]])
    entry = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    declared = entry.file_size.to_bytes(4, "little")
    at = data.rindex(declared)  # the central directory's uncompressed size
    with pytest.raises(tabular.TableError):
        first_grid(data[:at] + (entry.file_size // 2).to_bytes(4, "little") + data[at + 4:])


@pytest.mark.parametrize("alphabet", ["0123456789", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"])
def test_beyond_matches_exactly_the_larger_numerals(alphabet):
    rng = random.Random(7)

    def numeral(n):
        return str(n) if alphabet[0] == "0" else tabular._letters(n)

    for _ in range(300):
        limit = rng.randint(1, 300_000)
        pattern = re.compile(rb"(?:%s)$" % tabular._beyond(numeral(limit), alphabet))
        for value in (limit - 1, limit, limit + 1, rng.randint(1, 3 * limit), 1, 10 * limit):
            if value >= 1:
                assert bool(pattern.match(numeral(value).encode())) == (value > limit), (limit, value)


def test_a_chart_sheet_is_passed_over():
    from openpyxl.chart import BarChart, Reference

    book = Workbook()
    data_sheet = book.active
    data_sheet.append(["名称", "数量"])
    data_sheet.append(["甲", 1])
    chart = BarChart()
    chart.add_data(Reference(data_sheet, min_col=2, min_row=1, max_row=2))
    book.create_chartsheet("图", 0).add_chart(chart)
    out = io.BytesIO()
    book.save(out)
    assert trimmed(first_grid(out.getvalue())) == [(1, ["名称", "数量"]), (2, ["甲", 1])]
