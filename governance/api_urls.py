"""/api/v1/: one router for every app's viewsets, the OpenAPI schema and its browsable docs."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.renderers import JSONRenderer
from rest_framework.routers import DefaultRouter

from events.api import EventViewSet, ServiceItemViewSet
from governance.accounts.api import MeView, UserViewSet
from grids.api import AreaViewSet, UnitViewSet
from residents.api import (
    BuildingViewSet,
    HouseholdViewSet,
    HouseViewSet,
    MembershipViewSet,
    RentalViewSet,
    ResidentViewSet,
    VenueViewSet,
    VisitViewSet,
)


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema; its errors use the JSON envelope, not the YAML schema renderer.

    (It lives here, not in governance.api: drf-spectacular's views import the API settings,
    which import governance.api.)
    """

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response


router = DefaultRouter()
router.register("areas", AreaViewSet, basename="area")
router.register("units", UnitViewSet, basename="unit")
router.register("users", UserViewSet, basename="user")
router.register("events", EventViewSet, basename="event")
router.register("service-items", ServiceItemViewSet, basename="serviceitem")
router.register("buildings", BuildingViewSet, basename="building")
router.register("houses", HouseViewSet, basename="house")
router.register("residents", ResidentViewSet, basename="resident")
router.register("households", HouseholdViewSet, basename="household")
router.register("rentals", RentalViewSet, basename="rental")
router.register("care-memberships", MembershipViewSet, basename="caremembership")
router.register("visits", VisitViewSet, basename="visit")
router.register("venues", VenueViewSet, basename="venue")

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file, so the page needs no inline script
    # (content security policy); the Swagger UI assets come from drf-spectacular-sidecar.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
]
