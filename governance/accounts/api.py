"""API for staff accounts: who am I, and the staff directory within the caller's scope."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from governance.accounts.models import RoleAssignment, User
from governance.accounts.roles import Role
from governance.api import ScopedViewSetMixin


class RoleAssignmentSerializer(serializers.ModelSerializer):
    area_code = serializers.CharField(source="area.code", default=None, read_only=True)
    area_name = serializers.CharField(source="area.name", default=None, read_only=True)
    unit_name = serializers.CharField(source="unit.name", default=None, read_only=True)

    class Meta:
        model = RoleAssignment
        fields = ["id", "role", "area", "area_code", "area_name", "unit", "unit_name"]


class UserSerializer(serializers.ModelSerializer):
    roles = RoleAssignmentSerializer(source="role_assignments", many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "unit", "is_active", "roles"]


class MeView(APIView):
    """The caller's account and roles."""

    @extend_schema(responses=UserSerializer)
    def get(self, request):
        return Response(UserSerializer(request.user).data)


class UserFilter(filters.FilterSet):
    role = filters.ChoiceFilter(field_name="role_assignments__role", choices=Role.choices,
                                distinct=True)  # fmt: skip
    q = filters.CharFilter(field_name="full_name", lookup_expr="icontains")

    class Meta:
        model = User
        fields = ["unit", "is_active"]


class UserViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Staff holding a role inside the caller's scope (read-only; manage them on the web)."""

    queryset = User.objects.prefetch_related("role_assignments__area", "role_assignments__unit")
    serializer_class = UserSerializer
    filterset_class = UserFilter
