"""Writes to the calendar: checked, atomic, audited, and never overwriting hand-made entries."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance.audit.models import AuditEntry
from governance.worktime.calendar import is_working_day, working_periods
from governance.worktime.choices import DayKind, DaySource
from governance.worktime.holidays import package_days
from governance.worktime.models import CalendarYear, DayOverride, WorkingHours
from governance.worktime.services import (
    day_override_create,
    day_override_delete,
    day_override_update,
    holidays_refill,
    working_hours_set,
)


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# --- Entering days ------------------------------------------------------------------------------


def test_an_admin_enters_a_holiday_by_hand_and_the_audit_trail_records_it(world):
    admin = world.users["admin"]
    entry = day_override_create(
        actor=admin, date=date(2027, 1, 1), kind=DayKind.HOLIDAY, name=" 元旦 "
    )
    assert (entry.name, entry.source) == ("元旦", DaySource.MANUAL)
    assert not is_working_day(date(2027, 1, 1))
    audit = AuditEntry.objects.get(action="calendar.day_create")
    assert audit.actor == admin
    assert audit.detail == {"date": "2027-01-01", "kind": "holiday", "name": "元旦"}


def test_a_date_with_an_entry_cannot_be_entered_twice(world):
    with pytest.raises(ValidationError) as excinfo:
        day_override_create(
            actor=world.users["admin"], date=date(2026, 10, 1), kind=DayKind.HOLIDAY, name="x"
        )
    assert "already has an entry (国庆节)" in errors_of(excinfo)["date"][0]


def test_a_make_up_workday_must_fall_on_a_weekend(world):
    with pytest.raises(ValidationError) as excinfo:
        day_override_create(
            actor=world.users["admin"], date=date(2027, 1, 4), kind=DayKind.WORKDAY, name="调休"
        )
    assert "a working day anyway" in errors_of(excinfo)["kind"][0]
    assert not DayOverride.objects.filter(date=date(2027, 1, 4)).exists()


def test_a_holiday_on_a_weekend_may_be_entered_to_show_a_whole_holiday_period(world):
    entry = day_override_create(
        actor=world.users["admin"], date=date(2027, 10, 2), kind=DayKind.HOLIDAY, name="国庆节"
    )
    assert entry.pk is not None


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": ""}, "name", "This field cannot be blank."),
        ({"name": "x" * 51}, "name", "at most 50 characters"),
        ({"kind": "party"}, "kind", "is not a valid choice"),
        ({"date": date(1900, 1, 1)}, "date", "between 1970 and 2199"),
    ],
)
def test_bad_input_is_refused_at_the_field_it_concerns(world, fields, field, message):
    values = {"date": date(2027, 1, 1), "kind": DayKind.HOLIDAY, "name": "元旦", **fields}
    with pytest.raises(ValidationError) as excinfo:
        day_override_create(actor=world.users["admin"], **values)
    assert message in " ".join(errors_of(excinfo)[field])


def test_only_an_admin_may_change_the_calendar(world):
    for persona in ("street", "leader", "district"):
        with pytest.raises(PermissionDenied):
            day_override_create(
                actor=world.users[persona], date=date(2027, 1, 1), kind="holiday", name="元旦"
            )
    with pytest.raises(PermissionDenied):
        working_hours_set(actor=world.users["street"], periods=[(time(9), time(17))])
    with pytest.raises(PermissionDenied):
        holidays_refill(actor=world.users["leader"], years=[2026])


def test_changing_an_entry_from_the_package_makes_it_an_entry_by_hand(world):
    national_day = DayOverride.objects.get(date=date(2026, 10, 7))
    saved = day_override_update(
        actor=world.users["admin"], override=national_day, kind=DayKind.HOLIDAY, name="国庆节假期"
    )
    assert (saved.name, saved.source) == ("国庆节假期", DaySource.MANUAL)
    assert AuditEntry.objects.get(action="calendar.day_update").detail == {
        "name": ["国庆节", "国庆节假期"]
    }


def test_saving_an_entry_unchanged_leaves_its_source_alone(world):
    national_day = DayOverride.objects.get(date=date(2026, 10, 7))
    day_override_update(
        actor=world.users["admin"], override=national_day, kind=DayKind.HOLIDAY, name="国庆节"
    )
    national_day.refresh_from_db()
    assert national_day.source == DaySource.PACKAGE
    assert not AuditEntry.objects.filter(action="calendar.day_update").exists()


def test_deleting_an_entry_brings_back_the_monday_to_friday_rule(world):
    national_day = DayOverride.objects.get(date=date(2026, 10, 7))  # a Wednesday
    day_override_delete(actor=world.users["admin"], override=national_day)
    assert is_working_day(date(2026, 10, 7))
    audit = AuditEntry.objects.get(action="calendar.day_delete")
    assert audit.detail["source"] == "package"
    assert audit.target_id == str(national_day.pk)


# --- Refilling from the package -----------------------------------------------------------------


def test_a_refill_restores_the_package_and_keeps_every_entry_made_by_hand(world):
    admin = world.users["admin"]
    deleted = DayOverride.objects.get(date=date(2026, 10, 6))
    day_override_delete(actor=admin, override=deleted)
    edited = day_override_update(
        actor=admin,
        override=DayOverride.objects.get(date=date(2026, 10, 7)),
        kind=DayKind.HOLIDAY,
        name="本地假日",
    )
    DayOverride.objects.filter(date=date(2026, 10, 5)).update(name="旧名称")  # an older package
    DayOverride.objects.create(  # a package entry the package no longer lists
        date=date(2026, 3, 2), kind=DayKind.HOLIDAY, name="旧条目", source=DaySource.PACKAGE
    )
    own = day_override_create(actor=admin, date=date(2026, 12, 31), kind="holiday", name="自定")

    (result,) = holidays_refill(actor=admin, years=[2026])

    assert (result.added, result.updated, result.removed, result.kept) == (1, 1, 1, 1)
    assert DayOverride.objects.get(date=date(2026, 10, 6)).source == DaySource.PACKAGE
    assert DayOverride.objects.get(date=date(2026, 10, 5)).name == "国庆节"
    assert DayOverride.objects.get(pk=edited.pk).name == "本地假日"
    assert not DayOverride.objects.filter(date=date(2026, 3, 2)).exists()
    assert DayOverride.objects.get(pk=own.pk).name == "自定"
    audit = AuditEntry.objects.get(action="calendar.refill")
    assert audit.target_id == "2026"
    assert audit.detail["added"] == 1
    assert set(
        DayOverride.objects.filter(date__year=2026, source=DaySource.PACKAGE).values_list(
            "date", flat=True
        )
    ) == set(package_days(2026)) - {date(2026, 10, 7)}


def test_a_refill_twice_changes_nothing_the_second_time(world):
    holidays_refill(actor=world.users["admin"], years=[2025, 2026])
    second = holidays_refill(actor=world.users["admin"], years=[2025, 2026])
    assert [r.changed for r in second] == [False, False]


def test_a_year_the_package_does_not_cover_cannot_be_refilled(world):
    with pytest.raises(ValidationError) as excinfo:
        holidays_refill(actor=world.users["admin"], years=[2026, 2027])
    assert "covers 2004-2026, not 2027" in errors_of(excinfo)["year"][0]
    assert CalendarYear.objects.filter(year=2027).count() == 0


# --- Working hours ------------------------------------------------------------------------------


def test_without_a_saved_setting_the_working_hours_are_08_30_to_12_and_14_to_17_30(db):
    WorkingHours.objects.all().delete()
    assert working_periods() == [(time(8, 30), time(12)), (time(14), time(17, 30))]


def test_an_admin_sets_the_working_hours_and_the_audit_trail_keeps_both_versions(world):
    periods = [(time(9), time(12)), (time(13), time(18))]
    working_hours_set(actor=world.users["admin"], periods=periods)
    assert working_periods() == [(time(9), time(12)), (time(13), time(18))]
    audit = AuditEntry.objects.get(action="calendar.hours_set")
    assert audit.detail == {
        "before": [["08:30", "12:00"], ["14:00", "17:30"]],
        "after": [["09:00", "12:00"], ["13:00", "18:00"]],
    }


@pytest.mark.parametrize(
    ("periods", "field", "message"),
    [
        ([], "start_1", "at least one"),
        ([(time(9), time(8))], "end_1", "end after it starts"),
        ([(time(8), time(12)), (time(11), time(17))], "start_2", "before the previous one ends"),
        ([(time(14), time(17)), (time(8), time(12))], "start_2", "before the previous one ends"),
        ([(time(8, 0, 30), time(12))], "start_1", "whole minutes"),
    ],
)
def test_bad_working_hours_are_refused_at_the_period_they_concern(world, periods, field, message):
    with pytest.raises(ValidationError) as excinfo:
        working_hours_set(actor=world.users["admin"], periods=periods)
    assert message in " ".join(errors_of(excinfo)[field])
    assert working_periods() == [(time(8, 30), time(12)), (time(14), time(17, 30))]
