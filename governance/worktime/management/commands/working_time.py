"""``manage.py working_time``: check the calendar an administrator entered.

    manage.py working_time add 2026-09-30T15:00+08:00 3d      -> 2026-10-10T15:00:00+08:00 (...)
    manage.py working_time add "2026-09-30 15:00" 4h --calendar
    manage.py working_time between 2026-09-30T15:00 2026-10-10T15:00   -> 21h = 3d

A moment without a UTC offset is read in the TIME_ZONE setting's zone; results are printed in it.
"""

from __future__ import annotations

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from governance.worktime.calendar import add_time, describe, parse_duration, time_between


def _moment(text: str) -> datetime:
    try:
        value = parse_datetime(text.strip())
    except ValueError:
        value = None
    if value is None:
        try:
            value = datetime.fromisoformat(text.strip())
        except ValueError:
            raise CommandError(
                _(
                    "%(text)r is not a moment. Write it as 2026-09-30T15:00+08:00, or "
                    "2026-09-30T15:00 for the local time zone."
                )
                % {"text": text}
            ) from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _(
            "Add working time to a moment, or measure the working time between two moments, "
            "with the calendar and working hours in the database."
        )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="add|between")
        add = commands.add_parser("add", help=_("Print the moment a duration after START."))
        add.add_argument("start", help=_("e.g. 2026-09-30T15:00+08:00"))
        add.add_argument(
            "duration", help=_("e.g. 3d (working days), 4h (hours), 90m (minutes), 1d 4h")
        )
        add.add_argument(
            "--calendar",
            action="store_true",
            help=_("Count elapsed (calendar) time instead of working time; a day is 24 hours."),
        )
        between = commands.add_parser(
            "between", help=_("Print the working time from A to B, in hours and working days.")
        )
        between.add_argument("a")
        between.add_argument("b")
        between.add_argument(
            "--calendar", action="store_true", help=_("Count elapsed (calendar) time instead.")
        )

    def handle(self, *args, action: str, calendar: bool, **options):
        if action == "add":
            start = _moment(options["start"])
            try:
                amount = parse_duration(options["duration"])
                result = add_time(start, amount, calendar=calendar)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            weekday = formats.date_format(result, "l")
            self.stdout.write(f"{result.isoformat()} ({weekday})")
            return
        a, b = _moment(options["a"]), _moment(options["b"])
        amount = time_between(a, b, calendar=calendar)
        self.stdout.write(describe(amount))
