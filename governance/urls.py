"""Top-level URLs."""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.decorators.cache import cache_page
from django.views.i18n import JavaScriptCatalog, set_language

from governance import views


def _autodiscover_admin() -> None:
    """Import every app's admin module except django-leaflet's.

    leaflet.admin imports GeoDjango, which needs the GDAL library at start-up; this project
    keeps geometry in JSON fields (shapely), so it registers no leaflet admin (see the
    SimpleAdminConfig note in settings).
    """
    from importlib import import_module

    from django.utils.module_loading import module_has_submodule

    for config in apps.get_app_configs():
        if config.name == "leaflet":
            continue
        if module_has_submodule(config.module, "admin"):
            import_module(f"{config.name}.admin")


_autodiscover_admin()

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", views.PasswordChange.as_view(), name="password_change"),
    # The language switch and the JS catalogue also serve the login page.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # Loaded by every page: built once an hour per language, and cached by the browser (the
    # page asks for it with ?l=<language>, so switching language fetches the other one).
    path(
        "jsi18n/",
        login_not_required(cache_page(3600, key_prefix="jsi18n")(JavaScriptCatalog.as_view())),
        name="jsi18n",
    ),
    path("", include("grids.urls")),
    path("", include("residents.urls")),
    path("staff/", include("governance.accounts.urls")),
    path("audit/", include("governance.audit.urls")),
    path("", include("events.urls")),
    path("notifications/", include("governance.notifications.urls")),
    path("calendar/", include("governance.worktime.urls")),
    path("api/v1/", include("governance.api_urls")),
    path("admin/", admin.site.urls),
]
