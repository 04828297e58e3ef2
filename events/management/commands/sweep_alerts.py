"""``manage.py sweep_alerts``: run the overdue-alert sweep once, then notify what it raised.

    manage.py sweep_alerts                                   # as the beat task does, now
    manage.py sweep_alerts --at 2026-12-01T10:00:00+08:00    # as if it were that moment

The same code as the beat task (``events.services.sweep_alerts``); the notifications are
written here instead of by a worker, so the command works without one. A moment without a
UTC offset is read in the TIME_ZONE setting's zone.
"""

from __future__ import annotations

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from events.choices import AlertLevel
from events.services import alerts_notify, sweep_alerts


def _moment(text: str) -> datetime:
    try:
        value = parse_datetime(text.strip())
    except ValueError:
        value = None
    if value is None:
        raise CommandError(
            _("%(text)r is not a moment. Write it as 2026-12-01T10:00:00+08:00.") % {"text": text}
        )
    return timezone.make_aware(value) if timezone.is_naive(value) else value


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("Raise the overdue alert colours whose thresholds have passed, once.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--at",
            metavar="MOMENT",
            help=_("Sweep as if it were this moment, e.g. 2026-12-01T10:00:00+08:00."),
        )
        parser.add_argument(
            "--no-notify",
            action="store_true",
            help=_("Record the alerts but leave the notifications to the worker."),
        )

    def handle(self, *args, at: str | None, no_notify: bool, **options):
        now = _moment(at) if at else timezone.now()
        result = sweep_alerts(now=now, enqueue=False)
        raised = ", ".join(
            f"{AlertLevel(level).label}: {result.raised['task'][level]}+"
            f"{result.raised['event'][level]}"
            for level in sorted(result.raised["task"])
        )
        self.stdout.write(
            _("Swept at %(now)s: %(alerts)s new alert(s); raised (tasks+events) %(raised)s.")
            % {
                "now": timezone.localtime(now).isoformat(),
                "alerts": result.alerts,
                "raised": raised,
            }
        )
        if not no_notify:
            sent = alerts_notify(now=now)
            self.stdout.write(_("%(n)s notification(s) written.") % {"n": sent})
