"""Helpers the registry's services share."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from governance.scoping import perm_name, user_scope


def require_scope(actor, model, action: str, code: str) -> None:
    """Refuse unless ``actor`` may ``action`` rows of ``model`` placed at area ``code``."""
    if not user_scope(actor, perm_name(model, action)).covers(code):
        raise PermissionDenied(_("You may not do this in that part of the territory."))


def may(actor, model, action: str, code: str) -> bool:
    return user_scope(actor, perm_name(model, action)).covers(code)


def require_grid(grid) -> None:
    from grids.choices import AreaLevel

    if grid is None or grid.level != AreaLevel.GRID:
        raise ValidationError({"grid": _("Choose a grid.")})
    if not grid.is_active:
        raise ValidationError({"grid": _("This grid is no longer active.")})


class Errors:
    """Collects field errors so a form shows every problem at once, not the first one."""

    def __init__(self):
        self.fields: dict[str, list] = {}

    def add(self, field: str, error) -> None:
        messages = error.messages if isinstance(error, ValidationError) else [error]
        self.fields.setdefault(field, []).extend(messages)

    def check(self, field: str, function, *args, **kwargs):
        """``function(*args)``; a ValidationError it raises goes on ``field``."""
        try:
            return function(*args, **kwargs)
        except ValidationError as exc:
            self.add(field, exc)
            return None

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationError(self.fields)

    def __bool__(self) -> bool:
        return bool(self.fields)


def changed_fields(before: dict, after: dict) -> list[str]:
    """Names of the fields whose values differ (the audit trail records names, never values
    of personal data)."""
    return sorted(name for name in after if before.get(name) != after[name])
