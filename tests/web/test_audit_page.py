"""Issue 16, item 5: the audit log in the reader's language and the city's time zone.

Every action code an app records has a label (read from the source, so a new code without one
fails); the page shows labels, object kinds and division names, never codes; times are the city's
(Asia/Shanghai): 01:00 UTC is 09:00 on the page, in object names and in exports."""

import ast
import datetime
import io
import pathlib

from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from quanmin.accounts import audit
from quanmin.accounts.audit_labels import ACTION_LABELS, FIELD_LABELS, action_label
from quanmin.accounts.models import AuditEntry
from quanmin.booking.models import Slot
from quanmin.core import excel

ROOT = pathlib.Path(__file__).resolve().parents[2] / "quanmin"


def recorded_codes() -> set[str]:
    """Every action code passed to audit.record / record(...) in the source, both sides of an `a if c else b`."""
    codes = set()
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            named = (isinstance(func, ast.Attribute) and func.attr == "record" and isinstance(func.value, ast.Name)
                     and func.value.id == "audit") or (isinstance(func, ast.Name) and func.id == "record"
                                                       and path.name == "audit.py")
            if not named:
                continue
            first = node.args[0]
            values = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
            for value in values:
                assert isinstance(value, ast.Constant), f"{path}:{node.lineno}: an action code that is not a literal"
                codes.add(value.value)
    return codes


def test_every_recorded_action_has_a_label():
    codes = recorded_codes()
    assert len(codes) > 100 and {"sign_in", "read_personal", "work_order.create", "grant_role"} <= codes
    assert codes - ACTION_LABELS.keys() == set()


def _literal_list(node) -> list[str]:
    if isinstance(node, ast.List) and all(isinstance(e, ast.Constant) for e in node.elts):
        return [e.value for e in node.elts]
    return []


def personal_read_fields() -> dict[str, str]:
    """Every field named by a read of personal data in the source, with where: the `fields` of
    `audit.read_personal(request, obj, [...])`, and of an `audit.record(..., detail={"fields": [...],
    "purpose": ...})` (a reveal or a logged read under an app's own code)."""
    found = {}
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            keywords = {k.arg: k.value for k in node.keywords}
            names = []
            if node.func.attr == "read_personal":
                names = _literal_list(node.args[2] if len(node.args) > 2 else keywords.get("fields"))
            elif node.func.attr == "record" and isinstance(keywords.get("detail"), ast.Dict):
                detail = {k.value: v for k, v in zip(keywords["detail"].keys, keywords["detail"].values, strict=True)
                          if isinstance(k, ast.Constant)}
                if "purpose" in detail:
                    names = _literal_list(detail.get("fields"))
            found.update({name: f"{path.relative_to(ROOT.parent)}:{node.lineno}" for name in names})
    return found


def test_every_field_a_personal_read_names_has_a_label():
    """The page shows what was read by its label; a field without one would read "Other action"."""
    fields = personal_read_fields()
    assert {"phone", "id_number", "masked"} <= fields.keys()
    assert {name: where for name, where in fields.items() if name not in FIELD_LABELS} == {}


def test_page_shows_labels_names_and_local_times(world, client_for):
    entry = audit.record("work_order.create", actor=world.users["county"], obj=world.site)
    AuditEntry.objects.filter(pk=entry.pk).update(at=datetime.datetime(2026, 12, 1, 1, 0, tzinfo=datetime.UTC))
    audit.read_personal(None, world.users["resident"], ["phone", "id_number"], "call back")
    html = client_for("city").get(reverse("web:audit")).content.decode()
    assert "2026-12-01 09:00:00" in html and "2026-12-01 01:00:00" not in html
    assert "新建维修工单" in html or str(action_label("work_order.create")) in html
    assert ">work_order.create<" not in html and ">read_personal<" not in html
    assert "东关社区" in html and "371502001001" not in html  # the site's division by name
    assert "手机号" in html or "电话" in html  # the fields read, by label
    # The filter lists labels, its values stay codes.
    assert '<option value="work_order.create"' in html and ">work_order.create</option>" not in html
    filtered = client_for("city").get(reverse("web:audit"), {"action": "read_personal"}).content.decode()
    assert "call back" not in filtered and str(action_label("read_personal")) in filtered


def test_changed_fields_show_by_their_models_names(world, client_for):
    """A change entry names the fields it changed: by the changed object's labels, never by their codes
    nor as a personal read's parts ("Other action" before)."""
    audit.record("update", actor=world.users["county"], obj=world.site, detail={"fields": ["name", "address", "gone"]})
    html = client_for("city").get(reverse("web:audit")).content.decode()
    assert "(名称、地址、其他字段)" in html
    assert "其他操作" not in html and ">address<" not in html


def test_times_in_object_names_and_exports_are_local(world):
    start = timezone.make_aware(datetime.datetime(2026, 12, 1, 9, 0))
    slot = Slot(unit=world.unit, start=start, end=start + datetime.timedelta(hours=1))
    assert "2026-12-01 09:00" in str(slot)
    utc = start.astimezone(datetime.UTC)
    assert utc.hour == 1
    assert excel.csv_value(utc) == "2026-12-01 09:00:00"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(excel.safe_row(ws, [utc]))
    out = io.BytesIO()
    wb.save(out)
    assert load_workbook(out).active["A1"].value == datetime.datetime(2026, 12, 1, 9, 0)
