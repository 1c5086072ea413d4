"""Issue 15, items 5 and 8: the shared reader bounds what a hostile file can cost (lines read, empty or
not; cell length; unpacked size; time) and refuses formula cells instead of reading them as empty."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from quanmin.core import tabular


def xlsx(rows) -> bytes:
    book = Workbook()
    for r in rows:
        book.active.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_sheet_xml(data: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in source.infolist():
            part = source.read(entry)
            archive.writestr(entry.filename, change(part) if entry.filename.endswith("sheet1.xml") else part)
    return out.getvalue()


def read(data: bytes, max_rows=1000):
    return tabular.read_rows(data, names={"name": "name", "note": "note"}, label=str,
                             is_header=lambda keys: "name" in keys, expected=["name"], max_rows=max_rows,
                             max_bytes=20 * 1024 * 1024)


def refused(data: bytes, code: str, **kwargs) -> tabular.TableError:
    with pytest.raises(tabular.TableError) as exc:
        read(data, **kwargs)
    assert exc.value.code == code, exc.value.code
    return exc.value


def test_a_formula_cell_is_refused_naming_the_cell():
    # openpyxl writes the formula without a cached value: read as values it was an empty cell, and an
    # import "updated" the field to nothing.
    err = refused(xlsx([["name", "note"], ["甲", "x"], ["乙", '=HYPERLINK("http://e.cn","a")']]), "import_formula")
    assert "B3" in str(err.message)
    # Text that only looks like a formula (as the exports write it) is read as the text.
    book = Workbook()
    book.active.append(["name", "note"])
    book.active.append(["甲", "=1+1"])
    book.active["B2"].data_type = "s"
    out = io.BytesIO()
    book.save(out)
    assert read(out.getvalue())[0]["note"] == "=1+1"


def test_a_formula_with_a_cached_value_is_refused_too():
    data = with_sheet_xml(xlsx([["name", "note"], ["甲", 1]]),
                          lambda p: p.replace(b'<c r="B2" t="n"><v>1</v></c>', b'<c r="B2"><f>1+0</f><v>1</v></c>'))
    assert b"<f>" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert "B2" in str(refused(data, "import_formula").message)


def test_formulas_in_a_csv_are_text():
    rows = read("name,note\n甲,=1+1\n".encode())
    assert rows[0]["note"] == "=1+1"


def test_empty_rows_count_toward_the_limit():
    # 424 KB of <row/> elements made 3 million empty rows that were read for 42 s without counting.
    empty = b"".join(b'<row r="%d"/>' % n for n in range(3, 20_003))
    data = with_sheet_xml(xlsx([["name"], ["甲"]]), lambda p: p.replace(b"</sheetData>", empty + b"</sheetData>"))
    refused(data, "import_too_many_rows", max_rows=100)
    refused(b"name\n" + b"\n" * 5000 + "甲\n".encode(), "import_too_many_rows", max_rows=100)


def with_long_note(text: str) -> bytes:
    # openpyxl cuts a cell at Excel's limit when it writes: put the text in the sheet's XML as another writer would.
    data = xlsx([["name", "note"], ["甲", "PLACEHOLDER"]])
    return with_sheet_xml(data, lambda p: p.replace(b"PLACEHOLDER", text.encode()))


def test_an_overlong_cell_is_refused():
    err = refused(with_long_note("长" * (tabular.MAX_CELL_CHARS + 1)), "import_cell_too_long")
    assert "2" in str(err.message)
    refused(("name,note\n甲," + "x" * (tabular.MAX_CELL_CHARS + 1) + "\n").encode(), "import_cell_too_long")


def test_a_file_that_unpacks_to_far_more_than_its_size_is_refused():
    # 20 MB of one letter packs into about 20 KB: the reader would hold it all before any cell check.
    data = with_long_note("a" * 20_000_000)
    assert len(data) < 200_000
    refused(data, "import_unpacked_too_large")


def test_reading_stops_at_the_time_limit(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_SECONDS", 0)
    refused(xlsx([["name"], ["甲"]]), "import_too_slow")
    refused("name\n甲\n".encode(), "import_too_slow")
