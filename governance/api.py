"""What every API view shares: scoping, permissions, pagination, one error envelope."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, pagination, permissions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from governance.scoping import object_allowed, perm_name

ACTION_OF_METHOD = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class ScopedPermission(permissions.BasePermission):
    """Role permission for the method's action (else 403); the object must allow it too.

    Rows outside the caller's view scope never reach here: ``ScopedViewSetMixin`` leaves them
    out of the queryset, so they are 404. A view may name the action of a custom route in
    ``action_permissions`` (e.g. ``{"boundary": "change"}``).
    """

    def _action(self, request, view) -> str:
        custom = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        return custom or ACTION_OF_METHOD.get(request.method, "change")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        model = view.get_queryset().model
        return user.has_perm(perm_name(model, self._action(request, view)))

    def has_object_permission(self, request, view, obj) -> bool:
        action = self._action(request, view)
        return action == "view" or object_allowed(request.user, obj, action)


class ScopedViewSetMixin:
    """``queryset`` narrowed to the caller's view scope, checked by ``ScopedPermission``."""

    permission_classes = [ScopedPermission]

    def get_queryset(self):
        queryset = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return queryset.none()
        return queryset.restrict(self.request.user, "view")


def exception_handler(exc, context):
    """Every error as ``{"error": {"status", "code", "message", "fields"}}``.

    Services raise Django's ValidationError and PermissionDenied; they map to 400 and 403
    with the messages the services wrote (in the user's language).
    """
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    fields = {}
    message = ""
    code = getattr(exc, "default_code", "error")
    if isinstance(data, dict) and "detail" in data and len(data) == 1:
        message = str(data["detail"])
        code = getattr(data["detail"], "code", code)
    elif isinstance(data, dict):
        fields = {k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in data.items()}
        message = next(iter(fields.get("non_field_errors", [])), "") or str(exc.default_detail)
    elif isinstance(data, list):
        message = "; ".join(str(m) for m in data)
    return Response(
        {
            "error": {
                "status": response.status_code,
                "code": code,
                "message": message,
                "fields": fields,
            }
        },
        status=response.status_code,
        headers={k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After")},
    )


# The integer ranges database backends report for their column types (Django's
# ``integer_field_range``): SQLite reports 64-bit for every integer column, PostgreSQL 16-, 32- or
# 64-bit depending on the column. A bound equal to one of these says nothing about the domain.
_BACKEND_MAXIMA = {2**15 - 1, 2**31 - 1, 2**63 - 1}
_BACKEND_MINIMA = {-(2**15), -(2**31), -(2**63)}


def drop_backend_integer_bounds(result, generator, request, public):
    """drf-spectacular hook: remove integer bounds that only reflect the database backend.

    Bounds a field states itself (``MaxValueValidator(366)``) stay; so the schema generated on
    a laptop (SQLite) and in CI (PostgreSQL) is the same file.
    """

    def walk(node):
        if isinstance(node, dict):
            # (An integer choice field is an allOf of its enum, with the bounds beside it.)
            if node.get("type") == "integer" or "allOf" in node:
                if node.get("maximum") in _BACKEND_MAXIMA:
                    del node["maximum"]
                    if node.get("format") == "int64":
                        del node["format"]
                if node.get("minimum") in _BACKEND_MINIMA:
                    del node["minimum"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result
