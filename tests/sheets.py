"""Excel files for the registers' import tests: a workbook saved by openpyxl as Excel saves one (the
headers, then the rows), posted as a browser posts it."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(headers, rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(name: str, headers, rows) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx(headers, rows), content_type=XLSX)

