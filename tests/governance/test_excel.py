"""Spreadsheets in and out: headers checked, rows numbered as in Excel, formulas neutralised."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from governance.excel import neutralise, read_xlsx, write_xlsx

HEADERS = ["姓名", "联系电话", "备注"]


def upload(rows, name="people.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_an_export_shows_formula_like_text_as_text():
    data = write_xlsx(HEADERS, [['=HYPERLINK("http://x")', "+8613800000000", "@SUM(A1)"]])
    sheet = load_workbook(io.BytesIO(data)).active
    values = [cell.value for cell in sheet[2]]
    assert values == ['\'=HYPERLINK("http://x")', "'+8613800000000", "'@SUM(A1)"]
    assert all(cell.data_type == "s" for cell in sheet[2])


def test_neutralise_leaves_ordinary_text_and_numbers_alone():
    assert neutralise("张三") == "张三"
    assert neutralise(-5) == -5
    assert neutralise("-5") == "'-5"


def test_rows_come_back_as_text_with_their_excel_row_numbers():
    rows = read_xlsx(
        upload([HEADERS, ["张三", 13800001111, None], [None, None, None], ["李四", "", "x"]]),
        headers=HEADERS,
    )
    assert [(r.number, r.cells) for r in rows] == [
        (2, {"姓名": "张三", "联系电话": "13800001111", "备注": ""}),
        (4, {"姓名": "李四", "联系电话": "", "备注": "x"}),
    ]


def test_a_date_cell_reads_as_an_iso_date():
    sheet = upload([HEADERS, ["王五", "1", datetime.datetime(2026, 1, 2)]])
    rows = read_xlsx(sheet, headers=HEADERS)
    assert rows[0].cells["备注"] == "2026-01-02"


@pytest.mark.parametrize(
    ("first_row", "message"),
    [
        (["姓名", "备注"], "missing columns: 联系电话"),
        (["姓名", "联系电话", "备注", "身份证"], "unexpected columns: 身份证"),
        (["联系电话", "姓名", "备注"], "out of order"),
    ],
)
def test_a_header_row_that_does_not_match_the_template_is_refused(first_row, message):
    with pytest.raises(ValidationError, match=message):
        read_xlsx(upload([first_row, ["a", "b", "c"]]), headers=HEADERS)


def test_a_file_that_is_not_a_workbook_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError, match=r"not an Excel workbook \(.xlsx\)"):
        read_xlsx(SimpleUploadedFile("people.xlsx", b"name,phone\n"), headers=HEADERS)


def test_an_oversized_upload_is_refused(settings):
    settings.EXCEL_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="at most"):
        read_xlsx(SimpleUploadedFile("big.xlsx", b"x" * 2048), headers=HEADERS)
