"""Template context shared by every page: the navigation the user may see, map settings."""

from django.conf import settings

from governance.navigation import navigation_for


def shell(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "nav_items": navigation_for(request) if user is not None and user.is_authenticated else [],
        "map_has_tiles": bool(settings.MAP_TILE_URL),
    }
