"""``manage.py seed_demo``: load the demo district, its units and one account per role."""

import time
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.accounts.models import User
from governance.demo import (
    DEFAULT_SEED,
    DISTRICT_CODE,
    DISTRICT_NAME,
    build_demo,
    demo_accounts,
    demo_counts,
    demo_present,
)


class Command(BaseCommand):
    # A property, not a lazy string: argparse needs a real str, in the active language.
    @property
    def help(self) -> str:
        return _(
            "Create the demo district (西陵区) with its streets, communities, grids, units and "
            "one account per role, all in one transaction."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=_("Random seed: the same seed gives the same demo (default: %(default)s)."),
        )
        parser.add_argument(
            "--password",
            default=None,
            help=_("Password of every demo account (default: the DEMO_PASSWORD setting)."),
        )
        parser.add_argument(
            "--territory-only",
            action="store_true",
            help=_("Only the territory, units and accounts: no sample residents or events."),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=_("Do nothing if the demo district is already there."),
        )

    def handle(self, *args, seed, password, if_empty, territory_only, **options):
        password = password or settings.DEMO_PASSWORD
        started = time.monotonic()
        with transaction.atomic():
            if demo_present():
                if not if_empty:
                    raise CommandError(
                        _(
                            "The demo district %(name)s (%(code)s) is already in the database. "
                            "Use --if-empty to skip seeding when it is present."
                        )
                        % {"name": DISTRICT_NAME, "code": DISTRICT_CODE}
                    )
                self.stdout.write(_("The demo data is already present; nothing was created."))
                self._print_accounts(password=password if _still_works(password) else None)
                self._print_counts(
                    _(
                        "The database holds %(streets)s streets, %(communities)s communities, "
                        "%(grids)s grids, %(units)s units and %(users)s users."
                    ),
                    {},
                )
                return
            try:
                build_demo(
                    seed=seed,
                    password=password,
                    stdout=self.stdout,
                    territory_only=territory_only,
                )
            except ValidationError as exc:
                raise CommandError(
                    _("The demo data could not be created: %(problems)s")
                    % {"problems": " ".join(exc.messages)}
                ) from exc
        elapsed = time.monotonic() - started
        self._print_accounts(password=password)
        self._print_counts(
            _(
                "Created %(streets)s streets, %(communities)s communities, %(grids)s grids, "
                "%(units)s units and %(users)s users in %(seconds).1f s (seed %(seed)s)."
            ),
            {"seconds": elapsed, "seed": seed},
        )

    def _print_counts(self, message: str, extra: dict) -> None:
        self.stdout.write(self.style.SUCCESS(message % {**demo_counts(), **extra}))

    def _print_accounts(self, *, password: str | None) -> None:
        """The fixed accounts as a table; ``None`` when the password is not known here."""
        shown = password if password is not None else _("(as set when seeded)")
        header = [_("Username"), _("Name"), _("Role"), _("Scope"), _("Password")]
        rows = [[a.username, a.full_name, a.role, a.scope, shown] for a in demo_accounts()]
        widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(_("Demo accounts")))
        for number, row in enumerate([header, *rows]):
            self.stdout.write(
                "  ".join(_pad(cell, width) for cell, width in zip(row, widths, strict=True))
            )
            if number == 0:
                self.stdout.write("  ".join("-" * width for width in widths))


def _still_works(password: str) -> bool:
    """Whether the demo admin still logs in with ``password`` (so the table may show it)."""
    admin = User.objects.filter(username="admin").first()
    return admin is not None and admin.check_password(password)


def _width(text: str) -> int:
    """Columns the text takes in a terminal (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
