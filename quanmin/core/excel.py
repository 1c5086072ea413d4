"""Excel out: one helper for every register's .xlsx download (openpyxl write-only, streamed rows)."""

import tempfile
from collections.abc import Iterable, Sequence

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter


def write_workbook(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]]):
    """Write [(title, headers, rows)] to a temporary file and return it, rewound."""
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
            cell = WriteOnlyCell(ws, value=str(h))
            cell.font = bold
            header_cells.append(cell)
        ws.append(header_cells)
        for row in rows:
            ws.append(list(row))
    fh = tempfile.TemporaryFile()
    wb.save(fh)
    fh.seek(0)
    return fh


def xlsx_response(filename: str, sheets) -> FileResponse:
    return FileResponse(
        write_workbook(sheets), as_attachment=True, filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
