"""Excel import: every problem reported by row, column and reason; all or nothing by default;
the valid rows only with --skip-invalid; no duplicates on a second import."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from residents import services
from residents.models import Building, House, Resident
from residents.services.importer import HEADERS
from tests.residents.conftest import make_id

WIDE = str.maketrans("0123456789", "０１２３４５６７８９")


def row(name, id_number, grid, *, phone="", room="101", building="3栋", relation="户主",
        notes="", unit="1", registration="户籍", ethnicity="汉族"):  # fmt: skip
    return [name, id_number, phone, ethnicity, registration, grid, building, unit, room,
            relation, notes]  # fmt: skip


def workbook(rows) -> bytes:
    book = Workbook()
    book.active.append(HEADERS)
    for values in rows:
        book.active.append(values)
        for cell in book.active[book.active.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # typed text, as a pasted CSV-injection payload arrives
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def mixed_rows(world):
    a, a2, b = world.grid_a.code, world.grid_a2.code, world.grid_b.code
    good = make_id("19800101", 11)
    bad_check = make_id("19800102", 12)
    bad_check = bad_check[:17] + ("0" if bad_check[17] != "0" else "1")
    from residents.identity import check_digit

    feb31 = "42050219850231123" + check_digit("42050219850231123")
    return [
        row("王小明", good, a, phone="13812340001"),                                   # 2 valid
        row("刘小红", make_id("19820202", 22), a, relation="配偶"),                     # 3 valid
        row("赵一", bad_check, a, room="104"),                                         # 4
        row("赵二", feb31, a, room="105"),                                             # 5
        row("赵三", make_id("19800105", 15).translate(WIDE), a, room="106"),          # 6
        row("赵\u200b四", make_id("19800106", 16), a, room="107"),                     # 7
        row("赵五", good, a, room="108"),                                              # 8
        row("赵六", make_id("19850312", 123), a, room="109"),                          # 9
        row("赵七", make_id("19800108", 18), "420502001001099", room="110"),          # 10
        row("赵八", make_id("19800109", 19), b, room="111"),                           # 11
        row("赵九", make_id("19800110", 20), a, room="112", phone="1381234"),          # 12
        row("", make_id("19800111", 21), a, room="113"),                              # 13
        row("赵" * 51, make_id("19800112", 22), a, room="114"),                        # 14
        row("钱一", make_id("19800113", 23), a, room="115", notes="=1+1"),             # 15
        row("钱二", make_id("19800114", 24), a, room="116", phone="+8613812345678"),   # 16
        row("钱三", make_id("19800115", 25), a, room="117", building="-3栋"),          # 17
        row("@钱四", make_id("19800116", 26), a, room="118"),                          # 18
        row("李雷", make_id("19900707", 37), a2, building="5栋", unit="2", room="502",
            registration="流动", ethnicity="土家"),                                    # 19 valid
    ]  # fmt: skip


EXPECTED = [
    (4, "公民身份号码", "check digit"),
    (5, "公民身份号码", "does not exist"),
    (6, "公民身份号码", "full-width"),
    (7, "姓名", "U+200B"),
    (8, "公民身份号码", "already on row 2"),
    (9, "公民身份号码", "already registered"),
    (10, "网格编码", "No grid has the code 420502001001099"),
    (11, "网格编码", "outside the area"),
    (12, "联系电话", "Not a phone number"),
    (13, "姓名", "empty"),
    (14, "姓名", "51 characters"),
    (15, "备注", "Starts with ="),
    (16, "联系电话", "Starts with +"),
    (17, "楼栋", "Starts with -"),
    (18, "姓名", "Starts with @"),
]


@pytest.fixture
def existing(registry):
    """张三 (19850312-123) is already registered in grid A."""
    return registry.resident_a


def run(world, rows, *, skip_invalid=False, persona="community"):
    upload = SimpleUploadedFile("people.xlsx", workbook(rows))
    return services.residents_import_file(
        actor=world.users[persona], upload=upload, skip_invalid=skip_invalid
    )


def _problems(report):
    return [(p.row, p.column, p.reason) for p in report.problems]


def test_a_mixed_file_names_every_bad_row_and_saves_nothing(world, existing):
    before = Resident.objects.count()

    report = run(world, mixed_rows(world))

    found = _problems(report)
    assert [(r, c) for r, c, _reason in found] == [(r, c) for r, c, _w in EXPECTED]
    for (_r, _c, reason), (_row, _col, words) in zip(found, EXPECTED, strict=True):
        assert words in reason
    assert report.rejected_rows == list(range(4, 19))
    assert not report.saved
    assert Resident.objects.count() == before
    assert not Building.objects.filter(name__in=["3栋", "5栋"]).exists()


def test_skip_invalid_saves_exactly_the_valid_rows(world, existing):
    before = Resident.objects.count()

    report = run(world, mixed_rows(world), skip_invalid=True)

    assert report.saved
    assert report.created == 3
    assert Resident.objects.count() == before + 3
    xiaoming = Resident.objects.get(name="王小明")
    assert xiaoming.house.building.name == "3栋"
    assert xiaoming.household.head == xiaoming
    assert Resident.objects.get(name="刘小红").household == xiaoming.household
    li = Resident.objects.get(name="李雷")
    assert (li.grid, li.house.unit, li.house.room, li.house.floor) == (world.grid_a2, 2, "502", 5)
    assert li.ethnicity == "15"
    assert li.registration_type == "floating"
    assert li.reveal("id_number") == make_id("19900707", 37)


def test_a_second_import_of_the_same_file_adds_nobody(world, existing):
    run(world, mixed_rows(world), skip_invalid=True)
    count, houses = Resident.objects.count(), House.objects.count()

    again = run(world, mixed_rows(world), skip_invalid=True)

    assert again.created == 0
    assert again.unchanged == [2, 3, 19]
    assert Resident.objects.count() == count
    assert House.objects.count() == houses


def test_a_file_with_wrong_headers_is_refused_as_a_whole(world):
    book = Workbook()
    book.active.append(["姓名", "身份证"])
    buffer = io.BytesIO()
    book.save(buffer)

    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="missing columns"):
        services.residents_import_file(
            actor=world.users["community"], upload=SimpleUploadedFile("x.xlsx", buffer.getvalue())
        )


def test_a_grid_worker_may_not_import(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(world, [row("王小明", make_id(), world.grid_a.code)], persona="worker")


def test_the_command_exits_non_zero_when_a_row_is_rejected(world, existing, tmp_path, capsys):
    path = tmp_path / "people.xlsx"
    path.write_bytes(workbook(mixed_rows(world)))
    before = Resident.objects.count()

    with pytest.raises(CommandError) as caught:
        call_command("import_residents", str(path), "--user", "community")

    assert caught.value.returncode == 1
    assert "Row 4, 公民身份号码" in capsys.readouterr().err
    assert Resident.objects.count() == before

    with pytest.raises(CommandError):
        call_command("import_residents", str(path), "--user", "community", "--skip-invalid")
    assert Resident.objects.count() == before + 3


def test_the_command_succeeds_on_a_clean_file(world, tmp_path, capsys):
    path = tmp_path / "clean.xlsx"
    path.write_bytes(workbook([row("王小明", make_id(), world.grid_a.code)]))

    call_command("import_residents", str(path), "--user", "community")

    assert "1 imported" in capsys.readouterr().out
    assert Resident.objects.filter(name="王小明").exists()


def test_the_web_upload_reports_rows_and_the_checkbox_saves_the_valid_ones(
    client_for, world, existing
):
    client = client_for("community")
    data = workbook(mixed_rows(world))

    first = client.post("/residents/import/", {"file": SimpleUploadedFile("a.xlsx", data)})
    assert first.status_code == 200
    assert first.context["report"].rejected_rows == list(range(4, 19))
    assert not Resident.objects.filter(name="王小明").exists()

    second = client.post(
        "/residents/import/", {"file": SimpleUploadedFile("a.xlsx", data), "skip_invalid": "on"}
    )
    assert second.context["report"].created == 3
    assert Resident.objects.filter(name="王小明").exists()


def test_the_template_has_the_chinese_headers_in_order(client_for, world):
    response = client_for("community").get("/residents/import/template.xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == [
        "姓名", "公民身份号码", "联系电话", "民族", "户籍类型", "网格编码", "楼栋", "单元", "房号",
        "与户主关系", "备注",
    ]  # fmt: skip


# --- Residents from outside the mainland (境外/港澳台) -------------------------------------------

from residents.services.importer import OVERSEAS_HEADERS  # noqa: E402


def overseas_workbook(rows) -> bytes:
    book = Workbook()
    book.active.append(OVERSEAS_HEADERS)
    for values in rows:
        book.active.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def overseas(name, doc_type, number, grid, *, id_number="", nationality="中国香港", sex="男",
             birth="1990-05-31", registration="境外", ethnicity="", room="201"):  # fmt: skip
    return [*row(name, id_number, grid, room=room, registration=registration,
                 ethnicity=ethnicity), doc_type, number, nationality, sex, birth]  # fmt: skip


def test_the_overseas_template_has_the_required_columns_first_then_the_document_columns(
    client_for, world
):
    response = client_for("community").get("/residents/import/template.xlsx?kind=overseas")

    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in sheet[1]]
    assert headers[: len(HEADERS)] == HEADERS
    assert headers[len(HEADERS) :] == ["证件类型", "证件号码", "国籍或地区", "性别", "出生日期"]


def test_overseas_rows_are_checked_and_reported_by_row_and_column(world):
    a = world.grid_a.code
    rows = [
        overseas("陈大文", "港澳居民居住证", "H12345678", a),                          # 2 valid
        overseas("John Smith", "护照", "E1234567", a, nationality="英国", room="202"),  # 3 valid
        overseas("林美", "驾驶证", "T1234567", a, room="203"),                          # 4
        overseas("王伟", "护照", "Ｅ123", a, room="204"),                               # 5
        overseas("李娜", "护照", "E7654321", a, nationality="", room="205"),             # 6
        overseas("赵敏", "护照", "E1234567", a, room="206"),                            # 7
        overseas("周杰", "台湾居民居住证", "830000199001011234", a, room="207",
                 id_number=make_id("19900101", 77)),                                    # 8
        overseas("吴一", "护照", "E5555555", a, room="208", sex="M", birth="2999-01-01"),  # 9
        row("黄二", make_id("19800303", 33), a, registration="境外", room="209"),      # 10
    ]  # fmt: skip
    upload = SimpleUploadedFile("o.xlsx", overseas_workbook(rows))

    report = services.residents_import_file(actor=world.users["community"], upload=upload)

    found = [(p.row, p.column) for p in report.problems]
    assert found == [
        (4, "证件类型"), (5, "证件号码"), (6, "国籍或地区"), (7, "证件号码"), (8, "公民身份号码"),
        (9, "性别"), (9, "出生日期"), (10, "户籍类型"),
    ]  # fmt: skip
    assert "full-width" in report.problems[1].reason
    assert "row 3" in report.problems[3].reason
    assert not report.saved
    assert not Resident.objects.filter(name="陈大文").exists()


def test_valid_overseas_rows_are_saved_with_their_document_and_not_twice(world):
    a = world.grid_a.code
    rows = [
        overseas("陈大文", "港澳居民居住证", "H12345678", a),
        overseas("John Smith", "护照", "E1234567", a, nationality="英国", sex="", birth="",
                 room="202"),
        row("王小明", make_id(), a, room="203"),
    ]  # fmt: skip

    def run_once():
        upload = SimpleUploadedFile("o.xlsx", overseas_workbook(rows))
        return services.residents_import_file(actor=world.users["community"], upload=upload)

    first = run_once()
    second = run_once()

    assert (first.created, second.created, second.unchanged) == (3, 0, [2, 3, 4])
    chan = Resident.objects.get(name="陈大文")
    assert (chan.document_type, chan.nationality, chan.sex, str(chan.birth_date)) == (
        "hk_macao", "中国香港", "M", "1990-05-31")  # fmt: skip
    assert chan.registration_type == "overseas"
    assert chan.reveal("id_number") == "H12345678"
    assert chan.id_number_masked != "H12345678"
    assert Resident.objects.get(name="王小明").document_type == "id_card"
