"""/api/v1/: one router for every app's viewsets, the OpenAPI schema and its browsable docs."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from governance.accounts.api import MeView, UserViewSet
from grids.api import AreaViewSet, UnitViewSet

router = DefaultRouter()
router.register("areas", AreaViewSet, basename="area")
router.register("units", UnitViewSet, basename="unit")
router.register("users", UserViewSet, basename="user")

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file, so the page needs no inline script
    # (content security policy); the Swagger UI assets come from drf-spectacular-sidecar.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
]
