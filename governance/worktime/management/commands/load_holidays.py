"""``manage.py load_holidays``: load or refill years from the chinese-calendar package.

``migrate`` already loads every covered year once; this command refills chosen years (or all
covered years) so the package's entries match the package again. Entries made or changed by
hand are never touched.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from governance.worktime.holidays import package_version, package_years
from governance.worktime.services import holidays_refill


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _(
            "Refill statutory holidays and make-up workdays from the chinese-calendar package "
            "(every year it covers, or the years given). Entries made by hand are kept."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "years", nargs="*", type=int, help=_("Years to refill (default: all covered).")
        )

    def handle(self, *args, years: list[int], **options):
        years = years or package_years()
        try:
            results = holidays_refill(actor=None, years=years)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        for result in results:
            self.stdout.write(
                _(
                    "%(year)s: %(added)s added, %(updated)s updated, %(removed)s removed, "
                    "%(kept)s entered by hand kept."
                )
                % result.__dict__
            )
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Refilled %(count)s year from chinese-calendar %(version)s.",
                    "Refilled %(count)s years from chinese-calendar %(version)s.",
                    len(results),
                )
                % {"count": len(results), "version": package_version()}
            )
        )
