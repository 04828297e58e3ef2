"""One way to scope rows: ``Model.objects.restrict(user, action)``.

A user's reach comes from their role assignments (``governance.accounts.roles``): each role grants
a set of permissions over the area the assignment names. The territory's codes are paths (a grid's
code extends its community's, which extends its street's), so "everything under an area" is
"everything whose area code starts with the area's code". A model opts in by naming the foreign key
that places a row in the territory::

    class Building(ScopedModel):
        scope_area_field = "grid"          # Building.grid is a ForeignKey to grids.Area
        objects = RestrictedQuerySet.as_manager()

    Building.objects.restrict(request.user, "view")    # the buildings the user may see
    Building.objects.restrict(request.user, "change")  # ... and may edit

Explicit per-object grants made with django-guardian are added on top. Views turn "not in the
view scope" into 404 (existence does not leak) and "visible but not allowed" into 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, ClassVar

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import BigIntegerField, Q
from django.db.models.functions import Cast

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

ACTIONS = ("view", "add", "change", "delete")


@dataclass(frozen=True)
class Scope:
    """Where a user holds one permission: everywhere, or under a set of area codes."""

    everywhere: bool = False
    prefixes: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return self.everywhere or bool(self.prefixes)

    def covers(self, code: str | None) -> bool:
        if self.everywhere:
            return True
        return bool(code) and any(code.startswith(prefix) for prefix in self.prefixes)

    def q(self, code_path: str) -> Q:
        """A filter on ``code_path`` (e.g. ``"grid__code"``) matching rows inside the scope."""
        if self.everywhere:
            return Q()
        return code_filter(code_path, self.prefixes)


NOWHERE = Scope()
EVERYWHERE = Scope(everywhere=True)


def code_filter(code_path: str, prefixes) -> Q:
    """Rows whose area code starts with one of ``prefixes`` (no prefix: no rows)."""
    minimal = _drop_covered(prefixes)
    if not minimal:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{code_path}__startswith": prefix}) for prefix in minimal))


def _drop_covered(prefixes) -> list[str]:
    """Leave out prefixes already covered by a shorter one (a street covers its grids)."""
    kept: list[str] = []
    for prefix in sorted(set(prefixes), key=len):
        if not any(prefix.startswith(shorter) for shorter in kept):
            kept.append(prefix)
    return kept


def perm_name(model: type[models.Model], action: str) -> str:
    opts = model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def user_scope(user: AbstractBaseUser | AnonymousUser, perm: str) -> Scope:
    """Where ``user`` holds ``perm`` ("app_label.codename") through their roles."""
    if not user.is_authenticated or not user.is_active:
        return NOWHERE
    if user.is_superuser:
        return EVERYWHERE
    cache = user.__dict__.setdefault("_scope_cache", {})
    if perm not in cache:
        from governance.accounts.roles import scope_from_assignments

        cache[perm] = scope_from_assignments(user.loaded_role_assignments(), perm)
    return cache[perm]


class ScopedModel:
    """Mixin for models placed in the territory through an Area foreign key.

    ``scope_area_field`` names that key ("" when the model is the Area itself). Override
    ``scope_q`` when rows reach the territory some other way (e.g. through a to-many relation).
    """

    scope_area_field: ClassVar[str]

    @classmethod
    def scope_code_path(cls) -> str:
        return f"{cls.scope_area_field}__code" if cls.scope_area_field else "code"

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        return scope.q(cls.scope_code_path())

    def scope_codes(self) -> list[str]:
        """Area codes this row sits in (to check one object without a query)."""
        area = getattr(self, self.scope_area_field) if self.scope_area_field else self
        return [area.code] if area is not None else []


class RestrictedQuerySet(models.QuerySet):
    """A queryset that can narrow itself to what a user may do."""

    def restrict(self, user, action: str = "view") -> RestrictedQuerySet:
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        perm = perm_name(self.model, action)
        scope = user_scope(user, perm)
        if scope.everywhere:
            return self
        if not user.is_authenticated or not user.is_active:
            return self.none()
        condition = self.model.scope_q(scope) if scope else Q(pk__in=[])
        return self.filter(condition | _granted(user, self.model, action))


def _granted(user, model: type[models.Model], action: str) -> Q:
    """Rows of ``model`` on which ``user`` holds an explicit guardian grant (user or group)."""
    from guardian.models import GroupObjectPermission, UserObjectPermission

    content_type = ContentType.objects.get_for_model(model)
    codename = f"{action}_{model._meta.model_name}"
    common = {"content_type": content_type, "permission__codename": codename}
    by_user = UserObjectPermission.objects.filter(user=user, **common)
    by_group = GroupObjectPermission.objects.filter(group__user=user, **common)
    as_key = Cast("object_pk", BigIntegerField())
    return Q(pk__in=by_user.annotate(key=as_key).values("key")) | Q(
        pk__in=by_group.annotate(key=as_key).values("key")
    )


def object_allowed(user, obj: models.Model, action: str) -> bool:
    """Whether ``user`` may perform ``action`` on ``obj`` (scope or explicit grant)."""
    scope = user_scope(user, perm_name(type(obj), action))
    if any(scope.covers(code) for code in obj.scope_codes()):
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    return type(obj).objects.restrict(user, action).filter(pk=obj.pk).exists()
