"""API for the territory and units: CRUD through the services, scoped like the web pages."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from governance.api import ScopedViewSetMixin
from grids import selectors, services
from grids.choices import AreaLevel, DepartmentType, GridType, UnitKind
from grids.models import Area, Unit
from grids.spatial import grid_locator


class AreaSerializer(serializers.ModelSerializer):
    has_boundary = serializers.SerializerMethodField()

    class Meta:
        model = Area
        fields = ["id", "level", "code", "name", "parent", "grid_type", "description",
                  "is_active", "has_boundary"]  # fmt: skip

    def get_has_boundary(self, area) -> bool:
        return area.boundary is not None


class AreaDetailSerializer(AreaSerializer):
    class Meta(AreaSerializer.Meta):
        fields = [*AreaSerializer.Meta.fields, "boundary", "created_at", "updated_at"]


class AreaCreateSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=AreaLevel.choices)
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.all(), required=False, allow_null=True
    )
    code = serializers.CharField(max_length=15)
    name = serializers.CharField(max_length=100)
    grid_type = serializers.ChoiceField(choices=GridType.choices, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    boundary = serializers.JSONField(required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:  # a parent outside the caller's scope does not exist for them
            self.fields["parent"].queryset = Area.objects.restrict(request.user, "view")


class AreaUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    grid_type = serializers.ChoiceField(choices=GridType.choices, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class BoundarySerializer(serializers.Serializer):
    boundary = serializers.JSONField(
        allow_null=True, help_text=_("A GeoJSON Polygon or MultiPolygon in WGS84; null clears it.")
    )


class AreaFilter(filters.FilterSet):
    code_prefix = filters.CharFilter(field_name="code", lookup_expr="startswith")
    q = filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Area
        fields = ["level", "parent", "is_active", "grid_type"]


class AreaViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Areas of the territory tree the caller may see."""

    queryset = Area.objects.order_by("code")
    filterset_class = AreaFilter
    action_permissions = {"boundary": "change", "geojson": "view", "locate": "view"}

    def get_serializer_class(self):
        return {
            "retrieve": AreaDetailSerializer,
            "create": AreaCreateSerializer,
            "update": AreaUpdateSerializer,
            "partial_update": AreaUpdateSerializer,
            "boundary": BoundarySerializer,
        }.get(self.action, AreaSerializer)

    @extend_schema(request=AreaCreateSerializer, responses={201: AreaDetailSerializer})
    def create(self, request):
        data = self._valid(AreaCreateSerializer, request.data)
        area = services.area_create(actor=request.user, **data)
        return Response(AreaDetailSerializer(area).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AreaUpdateSerializer, responses=AreaDetailSerializer)
    def update(self, request, pk=None, partial=False):
        area = self.get_object()
        data = self._valid(AreaUpdateSerializer, request.data, partial=partial)
        area = services.area_update(actor=request.user, area=area, **data)
        return Response(AreaDetailSerializer(area).data)

    @extend_schema(request=AreaUpdateSerializer, responses=AreaDetailSerializer)
    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)

    @extend_schema(request=BoundarySerializer, responses=AreaDetailSerializer)
    @action(detail=True, methods=["post"])
    def boundary(self, request, pk=None):
        """Set or clear the boundary, checked against the parent and the siblings."""
        area = self.get_object()
        data = self._valid(BoundarySerializer, request.data)
        area = services.area_set_boundary(actor=request.user, area=area, boundary=data["boundary"])
        return Response(AreaDetailSerializer(area).data)

    @extend_schema(
        parameters=[OpenApiParameter("within", int, description=_("Only grids under this area"))],
        responses={200: {"type": "object", "description": "GeoJSON FeatureCollection"}},
    )
    @action(detail=False, methods=["get"])
    def geojson(self, request):
        """The visible grids with boundaries as a GeoJSON FeatureCollection."""
        within = None
        if request.query_params.get("within"):
            within = self.get_queryset().filter(pk=request.query_params["within"]).first()
            if within is None:
                return Response({"type": "FeatureCollection", "features": []})
        return Response(selectors.grids_geojson(request.user, within=within))

    @extend_schema(
        parameters=[
            OpenApiParameter("lng", float, required=True, description=_("Longitude (WGS84)")),
            OpenApiParameter("lat", float, required=True, description=_("Latitude (WGS84)")),
        ],
        responses=AreaSerializer,
    )
    @action(detail=False, methods=["get"])
    def locate(self, request):
        """The grid containing a point (404 when it is in no grid the caller may see)."""
        params = self._valid(LocateSerializer, request.query_params)
        grid_id = grid_locator().locate(params["lng"], params["lat"])
        grid = self.get_queryset().filter(pk=grid_id).first() if grid_id else None
        if grid is None:
            raise NotFound(_("No grid you may see contains this point."))
        return Response(AreaSerializer(grid).data)

    def _valid(self, serializer_class, data, **kwargs):
        serializer = serializer_class(data=data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class LocateSerializer(serializers.Serializer):
    lng = serializers.FloatField(min_value=-180, max_value=180)
    lat = serializers.FloatField(min_value=-90, max_value=90)


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "kind", "department_type", "area", "phone", "address", "is_active"]


class UnitWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=UnitKind.choices)
    department_type = serializers.ChoiceField(
        choices=DepartmentType.choices, required=False, allow_blank=True
    )
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.all())
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["area"].queryset = Area.objects.restrict(request.user, "view")


class UnitFilter(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Unit
        fields = ["kind", "department_type", "area", "is_active"]


class UnitViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Units (dispatch centres, community stations, departments) the caller may see."""

    queryset = Unit.objects.select_related("area").order_by("area__code", "kind", "name")
    serializer_class = UnitSerializer
    filterset_class = UnitFilter

    @extend_schema(request=UnitWriteSerializer, responses={201: UnitSerializer})
    def create(self, request):
        serializer = UnitWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k != "is_active"}
        unit = services.unit_create(actor=request.user, **data)
        return Response(UnitSerializer(unit).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=UnitWriteSerializer, responses=UnitSerializer)
    def update(self, request, pk=None, partial=False):
        unit = self.get_object()
        serializer = UnitWriteSerializer(
            data=request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        unit = services.unit_update(actor=request.user, unit=unit, **serializer.validated_data)
        return Response(UnitSerializer(unit).data)

    @extend_schema(request=UnitWriteSerializer, responses=UnitSerializer)
    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)
