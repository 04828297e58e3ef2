"""``manage.py import_residents PATH [--skip-invalid] --user USERNAME``: the web importer's
twin, for files too large to upload or for scheduled loads."""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from governance.accounts.models import User
from residents.services import residents_import_file


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _(
            "Import residents from an Excel file made from the template. Nothing is saved if "
            "any row is invalid, unless --skip-invalid is given. Exits with status 1 when any "
            "row was rejected."
        )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("The .xlsx file."))
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help=_("Save the valid rows and report the invalid ones."),
        )
        parser.add_argument(
            "--user",
            default="admin",
            help=_(
                "The account the import is made as: its scope limits the grids (default: admin)."
            ),
        )

    def handle(self, *args, path, skip_invalid, user, **options):
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(_("No active account is called %(user)s.") % {"user": user})
        file_path = Path(path)
        if not file_path.is_file():
            raise CommandError(_("%(path)s is not a file.") % {"path": path})
        try:
            with file_path.open("rb") as handle:
                upload = File(handle, name=file_path.name)
                upload.size = file_path.stat().st_size
                report = residents_import_file(
                    actor=actor, upload=upload, skip_invalid=skip_invalid
                )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        for problem in report.problems:
            self.stderr.write(
                _("Row %(row)s, %(column)s: %(reason)s")
                % {"row": problem.row, "column": problem.column, "reason": problem.reason}
            )
        summary = _(
            "%(total)s rows: %(created)s imported, %(unchanged)s already registered, "
            "%(rejected)s rejected."
        ) % {
            "total": report.total,
            "created": report.created,
            "unchanged": len(report.unchanged),
            "rejected": len(report.rejected_rows),
        }
        if report.problems:
            if not report.saved:
                summary += " " + _("Nothing was saved.")
            self.stderr.write(summary)
            raise CommandError(
                _("%(n)s rows were rejected.") % {"n": len(report.rejected_rows)}, returncode=1
            )
        self.stdout.write(self.style.SUCCESS(summary))
