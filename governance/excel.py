"""Excel files in and out (openpyxl), shared by every import and export.

Exports stream rows through a write-only workbook and neutralise text that a spreadsheet would
run as a formula (``=``, ``+``, ``-``, ``@`` and control characters at the start: "CSV
injection"). Imports open a workbook read-only, check the header row against the columns the
importer expects, and yield each data row as text keyed by header, with its row number as the
user sees it in Excel, so the importer can report problems by row and column.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a spreadsheet may read as the start of a formula or a command.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    """Whether a cell's text would be taken as a formula by a spreadsheet."""
    return text.startswith(FORMULA_PREFIXES)


def neutralise(value):
    """A cell value that a spreadsheet shows as text and never evaluates."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def write_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    sheet_title: str = "Sheet1",
    widths: Sequence[int] | None = None,
) -> bytes:
    """One sheet: a bold header row, then ``rows``; every text cell neutralised."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    for index, width in enumerate(widths or [max(10, len(str(h)) * 2 + 2) for h in headers]):
        sheet.column_dimensions[_column_letter(index)].width = width
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_export_value(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _export_value(value):
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        value = timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
    if value is None:
        return ""
    if isinstance(value, str | int | float | datetime.date | datetime.datetime):
        return neutralise(value)
    return neutralise(str(value))


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


@dataclass(frozen=True)
class SheetRow:
    """One data row of an imported sheet: its Excel row number and its cells as text."""

    number: int
    cells: dict[str, str]


def read_xlsx(upload, *, headers: Sequence[str], max_bytes: int | None = None) -> list[SheetRow]:
    """The data rows of the first sheet of ``upload``, as text keyed by ``headers``.

    The first row must hold exactly ``headers`` in that order (extra empty columns are fine);
    otherwise ``ValidationError`` names what is missing, extra or out of order. Numbers come
    back as text without a spurious ``.0``; fully empty rows are skipped.
    """
    max_bytes = max_bytes or settings.EXCEL_UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; an import may be at most %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(max_bytes)},
            code="too_large",
        )
    upload.seek(0)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ValidationError(
            _("The file is not an Excel workbook (.xlsx). Save it as .xlsx and try again."),
            code="not_xlsx",
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        first = next(rows, None)
        found = [cell_text(v) for v in (first or ())]
        while found and not found[-1]:
            found.pop()
        if found != list(headers):
            raise ValidationError(_header_problem(found, headers), code="headers")
        result = []
        for number, values in enumerate(rows, start=2):
            texts = [cell_text(v) for v in values[: len(headers)]]
            texts += [""] * (len(headers) - len(texts))
            if any(texts):
                result.append(SheetRow(number, dict(zip(headers, texts, strict=True))))
        return result
    finally:
        workbook.close()


def cell_text(value) -> str:
    """A cell's value as the text the user typed (as far as it can be recovered)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _header_problem(found: list[str], expected: Sequence[str]) -> str:
    if not found:
        return _("The first row must hold the column headers: %(expected)s.") % {
            "expected": "、".join(expected)
        }
    missing = [h for h in expected if h not in found]
    extra = [h for h in found if h and h not in expected]
    parts = []
    if missing:
        parts.append(_("missing columns: %(names)s") % {"names": "、".join(missing)})
    if extra:
        parts.append(_("unexpected columns: %(names)s") % {"names": "、".join(extra)})
    if not parts:
        parts.append(_("the columns are out of order"))
    return _(
        "The header row does not match the template (%(problems)s). "
        "Expected, in this order: %(expected)s."
    ) % {"problems": "; ".join(parts), "expected": "、".join(expected)}
