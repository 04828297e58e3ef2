"""Template filters shared by every app."""

from django import template

from governance.accounts.roles import Role

register = template.Library()


@register.filter
def role_label(role: str) -> str:
    """The translated name of a role value."""
    try:
        return Role(role).label
    except ValueError:
        return role
