"""An authentication backend that answers ``has_perm`` from the user's roles."""

from django.contrib.auth.backends import BaseBackend

from governance.accounts.roles import role_grants
from governance.scoping import object_allowed


class RoleBackend(BaseBackend):
    """``user.has_perm(perm)``: some role grants it somewhere; with ``obj``: over that object.

    It authenticates nobody (ModelBackend does that); it only answers permission questions.
    """

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        if not user_obj.is_active or not user_obj.is_authenticated:
            return False
        if obj is None:
            return any(role_grants(a.role, perm) for a in user_obj.loaded_role_assignments())
        app_label, _dot, codename = perm.partition(".")
        action, _sep, model_name = codename.partition("_")
        meta = type(obj)._meta
        if (meta.app_label, meta.model_name) != (app_label, model_name):
            return False
        if not hasattr(obj, "scope_codes"):
            return False
        return object_allowed(user_obj, obj, action)
