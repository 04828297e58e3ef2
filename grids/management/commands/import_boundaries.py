"""manage.py import_boundaries PATH: set area boundaries from a GeoJSON FeatureCollection."""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _

from governance.accounts.models import User
from governance.accounts.roles import Role
from grids.models import Area
from grids.services import boundaries_import


class Command(BaseCommand):
    help = (
        "Set area boundaries from a GeoJSON FeatureCollection. Features are matched to areas by "
        "their code property (or an unambiguous name). Nothing is saved if any feature is "
        "unmatched or invalid, unless --skip-invalid. Exits non-zero when a feature was rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--code-property", default="code")
        parser.add_argument("--name-property", default="name")
        parser.add_argument("--within", metavar="CODE", help="Only match areas under this code")
        parser.add_argument("--skip-invalid", action="store_true", help="Save the valid features")
        parser.add_argument("--dry-run", action="store_true", help="Check only, save nothing")
        parser.add_argument(
            "--actor", default=None, help="Username recorded in the audit trail (an administrator)"
        )

    def handle(self, *args, path: Path, **options):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc}
            ) from exc
        actor = self._actor(options["actor"])
        within = None
        if options["within"]:
            within = Area.objects.filter(code=options["within"]).first()
            if within is None:
                raise CommandError(
                    _("No area has the code %(code)s.") % {"code": options["within"]}
                )
        try:
            report = boundaries_import(
                actor=actor,
                collection=text,
                code_property=options["code_property"],
                name_property=options["name_property"],
                within=within,
                skip_invalid=options["skip_invalid"],
                dry_run=options["dry_run"],
            )
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc

        out = self.stdout
        out.write(
            _(
                "%(total)s features: %(updated)s updated, %(unchanged)s unchanged, "
                "%(unmatched)s not matched, %(invalid)s rejected."
            )
            % {
                "total": report.total,
                "updated": len(report.updated),
                "unchanged": len(report.unchanged),
                "unmatched": len(report.unmatched),
                "invalid": len(report.invalid),
            }
        )
        for title, problems in (
            (_("Not matched"), report.unmatched),
            (_("Rejected"), report.invalid),
        ):
            if problems:
                out.write(f"\n{title}:")
                for p in problems:
                    label = p.label or "—"
                    out.write(f"  #{p.number} {label}: {' '.join(p.reasons)}")
        if report.applied:
            out.write(self.style.SUCCESS(_("Saved.")))
        else:
            out.write(self.style.WARNING(_("Nothing saved.")))
        if not report.ok:
            raise CommandError(_("Some features were not imported."), returncode=1)

    def _actor(self, username: str | None):
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(_("No active user %(name)s.") % {"name": username})
            return user
        admins = User.objects.filter(Q(is_superuser=True) | Q(role_assignments__role=Role.ADMIN))
        user = admins.filter(is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError(_("Give --actor: no active administrator exists."))
        return user
