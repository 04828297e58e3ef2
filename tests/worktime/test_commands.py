"""``manage.py working_time`` and ``manage.py load_holidays``: answers and clear errors."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from governance.worktime.choices import DaySource
from governance.worktime.models import DayOverride


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


def test_adding_3_working_days_prints_the_make_up_saturday(db):
    assert run("working_time", "add", "2026-09-30T15:00+08:00", "3d") == (
        "2026-10-10T15:00:00+08:00 (Saturday)"
    )


def test_a_moment_in_utc_or_without_an_offset_is_understood(db):
    assert run("working_time", "add", "2026-09-30T07:00Z", "3d").startswith(
        "2026-10-10T15:00:00+08:00"
    )
    assert run("working_time", "add", "2026-09-30 15:00", "4h").startswith(
        "2026-10-08T10:00:00+08:00"
    )


def test_calendar_time_is_added_with_the_calendar_flag(db):
    assert run("working_time", "add", "2026-09-30T15:00+08:00", "4h", "--calendar").startswith(
        "2026-09-30T19:00:00+08:00"
    )


def test_the_working_time_between_two_moments_prints_in_hours_and_days(db):
    assert run("working_time", "between", "2026-09-30T15:00", "2026-10-10T15:00") == "21h = 3d"
    assert run("working_time", "between", "2026-11-24T11:00", "2026-11-24T15:00") == ("2h = 0.29d")
    assert run("working_time", "between", "2026-10-10T15:00", "2026-09-30T15:00") == "-21h = -3d"
    assert run("working_time", "between", "2026-09-30T15:00", "2026-10-10T15:00", "--calendar") == (
        "240h = 34.29d"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "yesterday", "3d"], "'yesterday' is not a moment"),
        (["add", "2026-13-01T10:00", "3d"], "is not a moment"),
        (["add", "2026-09-30T15:00", "3 days"], "is not a duration"),
        (["add", "9999-12-30T15:00", "30d"], "beyond the year 9999"),
        (["between", "2026-09-30T15:00", "later"], "'later' is not a moment"),
    ],
)
def test_bad_input_gets_a_clear_message(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("working_time", *args, stdout=StringIO())


def test_bad_input_on_the_command_line_prints_no_traceback():
    done = subprocess.run(
        [sys.executable, "manage.py", "working_time", "add", "soon", "3d"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    # In the product's language (zh-hans), without a traceback.
    assert "CommandError: 'soon' 不是有效的时间点" in done.stderr
    assert "Traceback" not in done.stderr


def test_load_holidays_refills_the_years_given_and_keeps_hand_made_entries(db):
    DayOverride.objects.filter(date=date(2026, 10, 1)).delete()
    DayOverride.objects.filter(date=date(2026, 10, 2)).update(source=DaySource.MANUAL, name="本地")
    output = run("load_holidays", "2026")
    assert "2026: 1 added, 0 updated, 0 removed, 1 entered by hand kept." in output
    assert "Refilled 1 year from chinese-calendar" in output
    assert DayOverride.objects.get(date=date(2026, 10, 2)).name == "本地"


def test_load_holidays_refuses_a_year_the_package_does_not_cover(db):
    with pytest.raises(CommandError, match="not 2027: enter those years by hand"):
        call_command("load_holidays", "2027", stdout=StringIO())
