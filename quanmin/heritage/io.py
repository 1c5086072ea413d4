"""The collections register in and out of Excel (.xlsx or .csv): the catalogue a museum, hall of
fame or archive keeps.

One row per item: 收藏单位, 藏品编号, 名称, 类别 (实物/照片/文献/奖章奖杯/音像), 年代, 捐赠人或来源, 捐赠人电话,
入藏日期, 入藏方式 (捐赠/购买/调拨), 存放位置, 保存状况, 备注. The headers stay in Chinese whatever the page's
language (they are the offices' format). The export writes the same columns plus the division
and the borrower, which the import reads past; the donor's phone is exported masked (the export
is a logged read of personal data) and a masked phone that comes back unchanged keeps the number
on record, so a file exported, corrected and imported again changes what was corrected. An item's
condition is imported for a new item only: afterwards it changes through a condition check.

Every row is checked with the services' own rules; the file is applied whole or not at all, and
the report names each bad row by its line.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit, crypto, scoping
from quanmin.core import excel, tabular
from quanmin.core.imports import ImportReport, report_for, run

from . import permissions, services
from .errors import HeritageError
from .models import Acquisition, Condition, Holder, Item, ItemKind

MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024

COLUMNS = {
    "holder": ("收藏单位", "holder"),
    "catalogue_no": ("藏品编号", "编号", "catalogue number"),
    "title": ("名称", "藏品名称", "title"),
    "kind": ("类别", "kind"),
    "era": ("年代", "era"),
    "donor": ("捐赠人或来源", "捐赠人", "donor"),
    "donor_phone": ("捐赠人电话", "联系电话", "donor phone"),
    "acquired_on": ("入藏日期", "acquired on"),
    "acquisition": ("入藏方式", "acquired by"),
    "location": ("存放位置", "kept at"),
    "condition": ("保存状况", "condition"),
    "note": ("备注", "note"),
    # Written by the export, read past by the import.
    "region": ("所在区划",),
    "on_loan_to": ("出借给",),
}
IMPORTED = ("holder", "catalogue_no", "title", "kind", "era", "donor", "donor_phone", "acquired_on", "acquisition",
            "location", "condition", "note")
HEADERS = [heads[0] for heads in COLUMNS.values()]
KIND_WORDS = {ItemKind.OBJECT: "实物", ItemKind.PHOTO: "照片", ItemKind.DOCUMENT: "文献", ItemKind.MEDAL: "奖章奖杯",
              ItemKind.AUDIO_VIDEO: "音像"}
WAY_WORDS = {Acquisition.DONATION: "捐赠", Acquisition.PURCHASE: "购买", Acquisition.TRANSFER: "调拨"}
CONDITION_WORDS = {Condition.GOOD: "完好", Condition.FAIR: "一般", Condition.POOR: "较差", Condition.DAMAGED: "残损"}
COMPARED = ("title", "kind", "era", "donor", "donor_phone_enc", "acquired_on", "acquisition", "location", "note")


@dataclass
class RowReport:
    line: int
    name: str = ""
    action: str = "new"
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def read(file):
    return tabular.read_columns(file, COLUMNS, required={"holder", "catalogue_no", "title"}, expected=HEADERS[:3],
                                max_rows=MAX_ROWS, max_bytes=MAX_BYTES)


def _words():
    return {"kind": tabular.choice_words(ItemKind, {v: k for k, v in KIND_WORDS.items()}),
            "acquisition": tabular.choice_words(Acquisition, {v: k for k, v in WAY_WORDS.items()}),
            "condition": tabular.choice_words(Condition, {v: k for k, v in CONDITION_WORDS.items()})}


def import_items(actor, file, *, dry_run: bool = True, request=None) -> ImportReport:
    """Check (and unless `dry_run`, apply whole or not at all) a catalogue of items."""
    if not permissions.can_write(actor):
        raise HeritageError("forbidden", _("Only division staff keep the collections register."), status=403)
    rows = read(file)
    report = report_for(rows, dry_run=dry_run, error=HeritageError)
    words = _words()
    holders = {}
    for h in scoping.scoped(actor, Holder.objects.select_related("region"), write=True):
        holders.setdefault(h.name, []).append(h)

    def holder(name: str) -> Holder:
        found = holders.get(name.strip(), [])
        if len(found) != 1:
            raise HeritageError("holder_unknown", _("\"%(name)s\" is not one holder of your divisions.")
                                % {"name": name[:60]}, "holder")
        return found[0]

    def plan(lock: bool):
        checked, seen = [], {}
        for row in rows:
            cells = {k: row.get(k) if row.get(k) is not None else "" for k in IMPORTED}
            cells = {k: v.strip() if isinstance(v, str) else v for k, v in cells.items()}
            item = RowReport(row["_line"], f"{cells['catalogue_no']} {cells['title']}"[:60])
            report.rows.append(item)
            try:
                for key in ("kind", "acquisition", "condition"):
                    text = str(cells[key]).strip().lower()
                    cells[key] = words[key].get(text, text)
                found = holder(str(cells["holder"]))
                key = (found.pk, str(cells["catalogue_no"]).strip())
                if key in seen:
                    raise HeritageError("duplicate", _("This item is also on line %(line)s.") % {"line": seen[key]})
                seen[key] = item.line
                checked.append((item, key, found, cells))
            except HeritageError as exc:
                item.errors.append(str(exc.message))
                item.action = "rejected"
        numbers = {key[1] for _i, key, _h, _c in checked}
        existing_qs = Item.objects.filter(holder_id__in={key[0] for _i, key, _h, _c in checked},
                                          catalogue_no__in=numbers)
        if lock and numbers:
            existing_qs = existing_qs.select_for_update()
        existing = {(i.holder_id, i.catalogue_no): i for i in existing_qs}
        planned = []
        for item, key, found, cells in checked:
            old = existing.get(key)
            try:
                values = services.item_values(actor, cells, old, holder=found)
            except HeritageError as exc:
                item.errors.append(str(exc.message))
                item.action = "rejected"
                continue
            if old is not None:
                if crypto.decrypt(values["donor_phone_enc"]) == old.donor_phone:
                    values["donor_phone_enc"] = old.donor_phone_enc  # the same number (encrypted afresh)
                item.changes = [_("donor's phone") if k == "donor_phone_enc" else str(Item._meta.get_field(k).verbose_name)
                                for k in COMPARED if getattr(old, k) != values[k]]
                if not item.changes:
                    item.action = "unchanged"
                    continue
                item.action = "updated"
            planned.append((values, old))
        return planned

    def apply(planned):
        for values, old in planned:
            services.save_row(Item, values, old, lock=False)
        audit.record("heritage.import", request=request, actor=actor,
                     detail={"rows": len(rows), "changed": len(report.changed)})

    return run(report, plan, apply, conflict=lambda: HeritageError(
        "import_conflict", _("Someone changed these items meanwhile: import the file again."), status=409))


def export_rows(items) -> list[list]:
    return [[i.holder.name, i.catalogue_no, i.title, KIND_WORDS[i.kind], i.era, i.donor, i.donor_phone_masked,
             i.acquired_on, WAY_WORDS[i.acquisition], i.location, CONDITION_WORDS[i.condition], i.note,
             i.region.name, i.on_loan_to] for i in items]


def xlsx_response(request, items):
    """The items as a workbook; the read of their donors' (masked) phones is logged."""
    items = list(items[:MAX_ROWS])
    audit.list_personal(request, "heritage items", [i.pk for i in items])
    return excel.xlsx_response(f"heritage-items-{timezone.localdate():%Y%m%d}.xlsx",
                               [(str(_("Collection items")), HEADERS, export_rows(items))])
