"""Helpers every web view uses: scoped lookups, permission checks, calling services from forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _

from governance.scoping import object_allowed, perm_name


def require_perm(user, model: type[models.Model], action: str = "view") -> None:
    """403 unless some role of ``user`` grants ``action`` on ``model`` somewhere."""
    if not user.has_perm(perm_name(model, action)):
        raise PermissionDenied(_("Your role does not allow this."))


def scoped_get(user, queryset: models.QuerySet, pk, action: str = "view"):
    """The object, if ``user`` may see it (else 404) and may ``action`` it (else 403)."""
    model = queryset.model
    require_perm(user, model, "view")
    try:
        obj = queryset.restrict(user, "view").get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if action != "view" and not object_allowed(user, obj, action):
        raise PermissionDenied(_("Your role does not allow this."))
    return obj


def scoped_list(user, queryset: models.QuerySet, action: str = "view") -> models.QuerySet:
    """Rows of ``queryset`` the user may ``action`` (403 if their roles never allow it)."""
    require_perm(user, queryset.model, action)
    return queryset.restrict(user, action)


def call_service(form, service: Callable[..., Any], /, **kwargs) -> Any | None:
    """Run a service; put its ValidationError on the form's fields and return None instead."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                target = field if field in form.fields else None
                for error in errors:
                    form.add_error(target, error)
        else:
            form.add_error(None, exc)
        return None


def paginate(request, queryset, per_page: int = 50):
    """A page of ``queryset`` from ``?page=`` (out-of-range pages give the last page)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
