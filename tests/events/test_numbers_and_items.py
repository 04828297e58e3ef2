"""Tracking numbers, and the versioned service-item catalogue with its Excel import/export."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from events import services
from events.models import ServiceCategory, ServiceItem
from events.services.items import excel_headers
from tests.events.helpers import report

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_numbers_count_from_one_each_local_day(world, police_item):
    evening = datetime.datetime(2026, 11, 23, 23, 50, tzinfo=SHANGHAI)
    first = report(world, police_item, now=evening)
    second = report(world, police_item, now=evening)
    # 00:10 in Shanghai is still the 23rd in UTC: the local date decides.
    past_midnight = datetime.datetime(2026, 11, 24, 0, 10, tzinfo=SHANGHAI)
    third = report(world, police_item, now=past_midnight)
    assert [first.number, second.number, third.number] == [
        "SJ20261123-0001",
        "SJ20261123-0002",
        "SJ20261124-0001",
    ]


def test_the_seed_catalogue_covers_the_fields_of_work(world):
    assert ServiceItem.objects.count() >= 60
    majors = set(ServiceCategory.objects.filter(parent__isnull=True).values_list("name", flat=True))
    assert {"城市管理", "社会治安", "消防安全", "安全生产", "生态环境", "矛盾纠纷", "民生服务",
            "特殊人群", "公共设施"} <= majors  # fmt: skip
    names = set(ServiceItem.objects.values_list("current__name", flat=True))
    assert {"占道经营", "乱堆乱放", "违章搭建", "道路破损", "井盖缺失", "路灯损坏", "低保申请",
            "高龄津贴申请", "劳动合同纠纷", "邻里纠纷"} <= names  # fmt: skip


def test_editing_an_item_writes_a_version_and_filed_events_keep_their_terms(world, police_item):
    event = report(world, police_item)
    services.service_item_update(actor=world.users["admin"], item=police_item, name="新名称",
                                 closing_level="district")  # fmt: skip
    police_item.refresh_from_db()
    event.refresh_from_db()
    assert police_item.current.number == 2
    assert event.item_version.number == 1
    assert event.item_version.name == "测试治安事项"
    assert event.item_version.closing_level == "community"
    later = report(world, police_item)
    assert later.item_version.name == "新名称"


def test_only_administrators_edit_items(world, police_item):
    with pytest.raises(PermissionDenied):
        services.service_item_update(actor=world.users["street"], item=police_item, name="x")


def test_bad_time_limits_are_refused_at_their_field(world, police_item):
    with pytest.raises(ValidationError) as caught:
        services.service_item_update(actor=world.users["admin"], item=police_item,
                                     time_limits={"normal": {"sign": 0}})  # fmt: skip
    assert "time_limits" in caught.value.message_dict


def test_the_export_reads_back_in_unchanged(world):
    data = services.service_items_export()
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == excel_headers()
    assert sheet.max_row - 1 == ServiceItem.objects.count()
    upload = SimpleUploadedFile("items.xlsx", data)
    report_ = services.service_items_import(actor=world.users["admin"], upload=upload)
    assert (report_.created, report_.updated) == (0, 0)
    assert report_.unchanged == ServiceItem.objects.count()


def _sheet(rows) -> SimpleUploadedFile:
    from governance.excel import write_xlsx

    return SimpleUploadedFile("items.xlsx", write_xlsx(excel_headers(), rows))


def _row(code, name, major="城市管理", minor="市容环境", closing="社区"):
    limits = [4, 35, 7, 2, 21, 7, 1, 7, 4]
    return [code, major, minor, name, "", "community_station", "", "", *limits, "否", closing,
            "是", "否", 100, "是"]  # fmt: skip


def test_an_import_creates_and_versions_items(world):
    rows = [_row("X0001", "新事项"), _row("E010102", "乱堆乱放（修订）")]
    result = services.service_items_import(actor=world.users["admin"], upload=_sheet(rows))
    assert (result.created, result.updated) == (1, 1)
    assert ServiceItem.objects.get(code="X0001").current.name == "新事项"
    changed = ServiceItem.objects.get(code="E010102")
    assert (changed.current.number, changed.current.name) == (2, "乱堆乱放（修订）")


def test_an_import_with_a_bad_row_saves_nothing_and_names_the_row(world):
    rows = [_row("X0001", "新事项"), _row("X0002", "坏事项", minor="不存在的小类")]
    with pytest.raises(ValidationError) as caught:
        services.service_items_import(actor=world.users["admin"], upload=_sheet(rows))
    assert any("3" in m and "不存在的小类" in m for m in caught.value.message_dict["file"])
    assert not ServiceItem.objects.filter(code="X0001").exists()
