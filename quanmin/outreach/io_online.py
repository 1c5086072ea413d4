"""The register of online service channels in and out of Excel (.xlsx or .csv), with a template.

One row per channel: 区划代码, 渠道类型, 渠道名称, 主管单位, 开通年份, 关闭年份, 链接, 账号, 备注. The headers
are the data format offices exchange, so they stay in Chinese whatever the page's language; the
export writes the same columns, so a file exported, corrected and imported again changes what was
corrected. A row is the channel of its division, type and name when one exists (then corrected),
else a new one; every row goes through services_online.save_channel (scope, years, link); the file
is applied whole or not at all and the report names each bad row by its line.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit
from quanmin.core import excel, imports, tabular

from . import permissions, services_online
from .errors import OutreachError
from .models import Channel, ChannelKind

MAX_ROWS = 2_000
MAX_BYTES = 2 * 1024 * 1024

COLUMNS = {
    "region": ("区划代码", "division"),
    "kind": ("渠道类型", "类型", "kind"),
    "name": ("渠道名称", "名称", "name"),
    "owner": ("主管单位", "运营单位", "owner"),
    "opened_year": ("开通年份", "opened"),
    "closed_year": ("关闭年份", "closed"),
    "link": ("链接", "网址", "link"),
    "account": ("账号", "account"),
    "note": ("备注", "note"),
}
HEADERS = [heads[0] for heads in COLUMNS.values()]
FIELDS = ("owner", "opened_year", "closed_year", "link", "account", "note")


@dataclass
class RowReport:
    line: int
    channel: str = ""
    action: str = "new"
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def _cell(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value.strip() if isinstance(value, str) else ("" if value is None else value)


def import_channels(actor, file, *, dry_run: bool = True, request=None) -> imports.ImportReport:
    """Check (and unless `dry_run`, apply whole or not at all) a table of online channels."""
    if not permissions.can_write(actor):
        raise OutreachError("forbidden", _("Only division staff keep the register of online channels."), status=403)
    rows = tabular.read_columns(file, COLUMNS, required={"region", "kind", "name"}, expected=HEADERS[:3],
                                max_rows=MAX_ROWS, max_bytes=MAX_BYTES)
    report = imports.report_for(rows, dry_run=dry_run, error=OutreachError)
    kinds = tabular.choice_words(ChannelKind)

    def write_rows():
        seen = {}
        for row in rows:
            cells = {k: _cell(row.get(k)) for k in COLUMNS}
            item = RowReport(row["_line"], str(cells["name"])[:60])
            report.rows.append(item)
            try:
                cells["kind"] = kinds.get(str(cells["kind"]).lower(), cells["kind"])
                values = services_online.channel_values(actor, cells)
                key = (values["region"].code, values["kind"], values["name"])
                if key in seen:
                    raise OutreachError("row_twice", _("The same channel is also on line %(line)s.")
                                        % {"line": seen[key]})
                seen[key] = item.line
                old = Channel.objects.filter(region=values["region"], kind=values["kind"], name=values["name"]).first()
                if old is not None:
                    item.changes = [str(Channel._meta.get_field(k).verbose_name) for k in FIELDS
                                    if getattr(old, k) != values[k]]
                    item.action = "updated" if item.changes else "unchanged"
                    if item.changes:
                        services_online.save_channel(actor, cells, old)
                else:
                    services_online.save_channel(actor, cells)
            except OutreachError as exc:
                item.errors.append(str(exc.message))
                item.action = "rejected"
        audit.record("outreach.channel_import", request=request, actor=actor,
                     detail={"rows": len(rows), "changed": len(report.changed), "dry_run": dry_run})

    return imports.run_each(report, write_rows, conflict=lambda: OutreachError(
        "import_conflict", _("Someone changed these channels meanwhile: import the file again."), status=409))


def export_rows(channels) -> list[list]:
    return [[c.region_id, c.get_kind_display(), c.name, c.owner, c.opened_year, c.closed_year, c.link, c.account,
             c.note] for c in channels]


def xlsx_response(channels):
    return excel.xlsx_response(f"online-channels-{timezone.localdate():%Y%m%d}.xlsx",
                               [(str(_("Online channels")), HEADERS, export_rows(channels))])


def template_response():
    """The headers with an example row, and a sheet of the channel types a cell may name."""
    year = timezone.localdate().year
    example = [["371502000000", str(ChannelKind.WECHAT.label), "东昌府区体育 微信公众号", "东昌府区教育和体育局", year - 2,
                "", "https://mp.weixin.qq.com/", "dcfty", ""]]
    kinds = [[str(label)] for _code, label in ChannelKind.choices]
    return excel.xlsx_response("online-channels-template.xlsx",
                               [(str(_("Online channels")), HEADERS, example), (str(_("Channel types")), ["渠道类型"], kinds)])
