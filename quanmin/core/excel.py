"""Excel and CSV out: one helper for every register's download (openpyxl write-only, streamed rows).

Every cell goes through `cell()` / `csv_value()`: text that a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return: OWASP's "CSV injection" list) is written as text.
In .xlsx it is an inline string with Excel's quote prefix (shown and kept as typed, even after an
edit); in CSV, which has no types, it is prefixed with an apostrophe. Numbers stay numbers.
"""

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator, Sequence

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def local(value):
    """An aware time in the city's time zone (settings.TIME_ZONE), without its offset: Excel has no
    time zones, and a reader expects the clock on the wall. Anything else as it is."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.make_naive(value)
    return value


def cell(ws, value):
    """A value for `ws.append` (write-only sheet) that is never a formula, times in local time."""
    value = local(value)
    if not is_formula_like(value):
        return value
    out = WriteOnlyCell(ws, value=value)
    out.data_type = "s"
    out.quotePrefix = True
    return out


def safe_row(ws, row: Iterable) -> list:
    return [cell(ws, v) for v in row]


def csv_value(value):
    if value is None:
        return ""
    value = local(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return "'" + value if is_formula_like(value) else value


def csv_lines(headers: Sequence, rows: Iterable[Sequence]) -> Iterator[str]:
    """CSV text line by line (the first with a BOM, which makes Excel read UTF-8), formulas neutralised."""

    class Line:
        def write(self, value):
            return value

    writer = csv.writer(Line())
    yield "\ufeff" + writer.writerow([csv_value(h) for h in headers])
    for row in rows:
        yield writer.writerow([csv_value(v) for v in row])


def csv_response(filename: str, headers: Sequence, rows: Iterable[Sequence]) -> StreamingHttpResponse:
    response = StreamingHttpResponse((line.encode("utf-8") for line in csv_lines(headers, rows)),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def write_workbook(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]], target=None):
    """Write [(title, headers, rows)] to `target` (a path or file), or to a temporary file returned rewound."""
    wb = Workbook(write_only=True)
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title=title[:31])
        # Clerks scroll long registers: keep the header in view and the columns wide enough to read.
        ws.freeze_panes = "A2"
        for i, h in enumerate(headers, start=1):
            ws.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(str(h)) * 2))
        bold = Font(bold=True)
        header_cells = []
        for h in headers:
            head = WriteOnlyCell(ws, value=str(h))
            head.data_type = "s"
            head.font = bold
            header_cells.append(head)
        ws.append(header_cells)
        for row in rows:
            ws.append(safe_row(ws, row))
    if target is not None:
        wb.save(target)
        return target
    fh = tempfile.TemporaryFile()
    wb.save(fh)
    fh.seek(0)
    return fh


def xlsx_response(filename: str, sheets) -> FileResponse:
    return FileResponse(write_workbook(sheets), as_attachment=True, filename=filename, content_type=XLSX)
