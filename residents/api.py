"""API of the registry: CRUD through the services, scoped like the pages, masked values only.

One POST action per operation that is not plain CRUD: ``reveal`` (needs a reason, logged),
``end`` of a rental or membership, ``inspect`` of a rental or venue, a membership's
``change-level``, ``add-helper`` and ``remove-helper``, a resident's ``move`` and
``set-status``, a household's ``set-head``, ``add-member``, ``remove-member`` and ``split``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from governance.accounts.models import User
from governance.api import ScopedViewSetMixin
from grids.choices import AreaLevel
from grids.models import Area
from residents import filters, selectors, services
from residents.choices import (
    BuildingType,
    CareLevel,
    DocumentType,
    EndReason,
    Ethnicity,
    HelperKind,
    HouseUse,
    InspectionResult,
    ProtectedField,
    RegistrationType,
    Relation,
    ResidentStatus,
    VenueType,
    VisitMethod,
)
from residents.models import (
    Building,
    CareGroup,
    CareLevelChange,
    CareMembership,
    House,
    Household,
    Rental,
    Resident,
    Venue,
    Visit,
)
from residents.selectors import search_q

# --- Shared pieces ---------------------------------------------------------------------------


def _restricted(model, context, action: str = "view"):
    request = context.get("request")
    if request is None:
        return model.objects.none()
    return model.objects.restrict(request.user, action)


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A related object the caller may see (others do not exist for them)."""

    def __init__(self, model, **kwargs):
        self.scoped_model = model
        kwargs.setdefault("queryset", model.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        return _restricted(self.scoped_model, self.context)


class GridField(ScopedRelatedField):
    def __init__(self, **kwargs):
        super().__init__(Area, **kwargs)

    def get_queryset(self):
        return super().get_queryset().filter(level=AreaLevel.GRID, is_active=True)


class WriteMixin:
    """Validate an input serializer, call a service, answer with the output serializer."""

    def _valid(self, serializer_class, data, **kwargs):
        serializer = serializer_class(data=data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _answer(self, obj, code=status.HTTP_200_OK):
        obj = self.get_queryset().get(pk=obj.pk) if code != status.HTTP_201_CREATED else obj
        return Response(self.get_serializer_class()(obj).data, status=code)


class RevealSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=ProtectedField.choices)
    reason = serializers.CharField(
        max_length=200, help_text=_("Why the full value is needed; it is logged.")
    )


class RevealedSerializer(serializers.Serializer):
    field = serializers.CharField()
    value = serializers.CharField()


class RevealMixin:
    @extend_schema(request=RevealSerializer, responses=RevealedSerializer)
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        """The full value of a protected field, for a role allowed to see it; logged with
        the reason."""
        obj = self.get_object()
        data = self._valid(RevealSerializer, request.data)
        value = services.reveal(
            actor=request.user, obj=obj, field=data["field"], reason=data["reason"],
            ip_address=request.META.get("REMOTE_ADDR"),
        )  # fmt: skip
        response = Response({"field": data["field"], "value": value})
        response["Cache-Control"] = "no-store"
        return response


class EndSerializer(serializers.Serializer):
    ended_on = serializers.DateField()


# --- Buildings and houses --------------------------------------------------------------------


class BuildingSerializer(serializers.ModelSerializer):
    grid_code = serializers.CharField(source="grid.code", read_only=True)

    class Meta:
        model = Building
        fields = ["id", "grid", "grid_code", "name", "address", "lng", "lat",
                  "grid_fixed_by_staff", "floors", "units", "building_type", "created_at",
                  "updated_at"]  # fmt: skip


class BuildingWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    grid = GridField(required=False, allow_null=True)
    lng = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    lat = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    floors = serializers.IntegerField(min_value=1, max_value=200, required=False)
    units = serializers.IntegerField(min_value=1, max_value=50, required=False)
    building_type = serializers.ChoiceField(choices=BuildingType.choices, required=False)


class BuildingViewSet(
    WriteMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet,
):  # fmt: skip
    """Buildings the caller may see; the grid comes from the point unless one is given."""

    queryset = Building.objects.select_related("grid").order_by("grid__code", "name")
    serializer_class = BuildingSerializer
    filterset_class = filters.BuildingFilter

    @extend_schema(request=BuildingWriteSerializer, responses={201: BuildingSerializer})
    def create(self, request):
        data = self._valid(BuildingWriteSerializer, request.data)
        building = services.building_create(actor=request.user, **data)
        return self._answer(building, status.HTTP_201_CREATED)

    @extend_schema(request=BuildingWriteSerializer, responses=BuildingSerializer)
    def update(self, request, pk=None, partial=False):
        building = self.get_object()
        data = self._valid(BuildingWriteSerializer, request.data, partial=partial)
        if data.get("grid", "") is None:
            data.pop("grid")
        building = services.building_update(actor=request.user, building=building, **data)
        return self._answer(building)

    @extend_schema(request=BuildingWriteSerializer, responses=BuildingSerializer)
    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)


class HouseSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = House
        fields = ["id", "building", "unit", "floor", "room", "label", "area_m2", "use",
                  "created_at", "updated_at"]  # fmt: skip


class HouseWriteSerializer(serializers.Serializer):
    building = ScopedRelatedField(Building)
    unit = serializers.IntegerField(min_value=1, max_value=50, required=False)
    floor = serializers.IntegerField(min_value=-5, max_value=200, required=False)
    room = serializers.CharField(max_length=20)
    area_m2 = serializers.DecimalField(
        max_digits=8, decimal_places=2, min_value=1, required=False, allow_null=True
    )
    use = serializers.ChoiceField(choices=HouseUse.choices, required=False)


class HouseUpdateSerializer(HouseWriteSerializer):
    building = None


class HouseViewSet(
    WriteMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet,
):  # fmt: skip
    """Houses (dwellings and shops) in the buildings the caller may see."""

    queryset = House.objects.select_related("building").order_by("building_id", "unit", "room")
    serializer_class = HouseSerializer
    filterset_class = filters.HouseFilter

    @extend_schema(request=HouseWriteSerializer, responses={201: HouseSerializer})
    def create(self, request):
        data = self._valid(HouseWriteSerializer, request.data)
        house = services.house_create(actor=request.user, **data)
        return self._answer(house, status.HTTP_201_CREATED)

    @extend_schema(request=HouseUpdateSerializer, responses=HouseSerializer)
    def update(self, request, pk=None, partial=False):
        house = self.get_object()
        data = self._valid(HouseUpdateSerializer, request.data, partial=partial)
        house = services.house_update(actor=request.user, house=house, **data)
        return self._answer(house)

    @extend_schema(request=HouseUpdateSerializer, responses=HouseSerializer)
    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)


# --- Residents -------------------------------------------------------------------------------


class ResidentSerializer(serializers.ModelSerializer):
    """A resident as the API shows it: ID number and phone masked, never in full."""

    grid_code = serializers.CharField(source="grid.code", read_only=True)
    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    phone = serializers.CharField(source="phone_masked", read_only=True)

    class Meta:
        model = Resident
        fields = ["id", "name", "name_initials", "document_type", "id_number", "nationality",
                  "sex", "birth_date", "phone", "ethnicity", "registration_type", "grid",
                  "grid_code", "house", "household", "relation", "status", "moved_in_on",
                  "moved_out_on", "notes", "created_at", "updated_at"]  # fmt: skip


class SearchSerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=60,
        help_text=_("Name, pinyin initials, last digits of the phone, a full phone or ID number"),
    )


class ResidentWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    document_type = serializers.ChoiceField(choices=DocumentType.choices, required=False)
    id_number = serializers.CharField(max_length=40)
    house = ScopedRelatedField(House, required=False, allow_null=True)
    grid = GridField(required=False, allow_null=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    ethnicity = serializers.ChoiceField(choices=Ethnicity.choices, required=False, allow_blank=True)
    registration_type = serializers.ChoiceField(choices=RegistrationType.choices, required=False)
    relation = serializers.ChoiceField(choices=Relation.choices, required=False)
    new_household = serializers.BooleanField(required=False)
    moved_in_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(max_length=500, required=False, allow_blank=True)
    sex = serializers.ChoiceField(
        choices=Resident._meta.get_field("sex").choices, required=False, allow_blank=True
    )
    birth_date = serializers.DateField(required=False, allow_null=True)
    nationality = serializers.CharField(max_length=50, required=False, allow_blank=True)


class ResidentUpdateSerializer(ResidentWriteSerializer):
    """Changes to the record. A new ``house`` (or ``grid``) is a move of the resident alone;
    use the ``move`` action to move a household; the status changes with ``set-status``."""

    new_household = None
    id_number = serializers.CharField(max_length=40, required=False)


class MoveSerializer(serializers.Serializer):
    house = serializers.IntegerField(
        required=False, allow_null=True,
        help_text=_("A house you may move residents into; any other is 404."),
    )  # fmt: skip
    grid = serializers.IntegerField(
        required=False, allow_null=True,
        help_text=_("Without a house: a grid you may move residents into."),
    )  # fmt: skip
    moved_on = serializers.DateField(required=False, allow_null=True)
    relation = serializers.ChoiceField(choices=Relation.choices, required=False)
    new_household = serializers.BooleanField(required=False, default=False)
    with_household = serializers.BooleanField(required=False, default=False)

    def validate(self, data):
        if not data.get("house") and not data.get("grid"):
            raise serializers.ValidationError({"house": _("Give a house or a grid.")})
        return data


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ResidentStatus.choices)
    on = serializers.DateField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ResidentViewSet(
    WriteMixin, RevealMixin, ScopedViewSetMixin, mixins.ListModelMixin,
    mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """Residents the caller may see. ``?q=`` searches by name, pinyin initials (``zs``), the
    last digits of the phone, or a full ID number (exact, through the keyed hash)."""

    queryset = Resident.objects.select_related("grid").order_by("name", "id")
    serializer_class = ResidentSerializer
    filterset_class = filters.ResidentFilter
    action_permissions = {"reveal": "view", "search": "view", "move": "view",
                          "set_status": "change"}  # fmt: skip

    @extend_schema(request=SearchSerializer, responses=ResidentSerializer(many=True))
    @action(detail=False, methods=["post"])
    def search(self, request):
        """Search with the query in the body: the way to look up a full ID number or phone,
        which are never accepted in a URL. Other filters may still go in the query string."""
        data = self._valid(SearchSerializer, request.data)
        residents = self.filter_queryset(self.get_queryset()).filter(search_q(data["q"]))
        page = self.paginate_queryset(residents)
        return self.get_paginated_response(ResidentSerializer(page, many=True).data)

    @extend_schema(request=ResidentWriteSerializer, responses={201: ResidentSerializer})
    def create(self, request):
        data = self._valid(ResidentWriteSerializer, request.data)
        resident = services.resident_create(actor=request.user, **data)
        return self._answer(resident, status.HTTP_201_CREATED)

    @extend_schema(request=ResidentUpdateSerializer, responses=ResidentSerializer)
    def update(self, request, pk=None, partial=False):
        resident = self.get_object()
        data = self._valid(ResidentUpdateSerializer, request.data, partial=partial)
        resident = services.resident_update(actor=request.user, resident=resident, **data)
        return self._answer(resident)

    @extend_schema(request=ResidentUpdateSerializer, responses=ResidentSerializer)
    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)

    @extend_schema(request=MoveSerializer, responses=ResidentSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the resident (``with_household``: their whole household) to a house or grid
        inside the caller's move scope. A target outside it is 404, like one that does not
        exist."""
        resident = self.get_object()
        if not services.may_move(request.user, resident):
            raise PermissionDenied(_("Your role does not allow this."))
        data = self._valid(MoveSerializer, request.data)
        house = grid = None
        if data.get("house"):
            house = selectors.movable_houses(request.user).filter(pk=data["house"]).first()
            if house is None:
                raise NotFound(_("No such house among those you may move residents to."))
        else:
            grid = selectors.move_grids(request.user).filter(pk=data["grid"]).first()
            if grid is None:
                raise NotFound(_("No such grid among those you may move residents to."))
        resident = services.resident_move(
            actor=request.user, resident=resident, house=house, grid=grid,
            moved_on=data.get("moved_on"), relation=data.get("relation"),
            new_household=data["new_household"], with_household=data["with_household"],
        )  # fmt: skip
        return self._answer(resident)

    @extend_schema(request=StatusSerializer, responses=ResidentSerializer)
    @action(detail=True, methods=["post"], url_path="set-status")
    def set_status(self, request, pk=None):
        """Record moving out (``note``: where to), death, or a return, with the date. Moving
        out or death ends the resident's special-care memberships on that date."""
        resident = self.get_object()
        data = self._valid(StatusSerializer, request.data)
        return self._answer(services.resident_set_status(actor=request.user, resident=resident,
                                                         **data))  # fmt: skip


# --- Households ------------------------------------------------------------------------------


class MemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = Resident
        fields = ["id", "name", "relation", "status", "house"]


class HouseholdSerializer(serializers.ModelSerializer):
    members = MemberSerializer(many=True, read_only=True)

    class Meta:
        model = Household
        fields = ["id", "number", "grid", "house", "head", "members", "created_at"]


class HouseholdCreateSerializer(serializers.Serializer):
    house = ScopedRelatedField(House)
    head = ScopedRelatedField(Resident, help_text=_("A resident of the house"))
    number = serializers.CharField(max_length=30, required=False, allow_blank=True)


class HouseholdUpdateSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=30, allow_blank=True)


class SetHeadSerializer(serializers.Serializer):
    head = ScopedRelatedField(Resident, help_text=_("A member of the household"))
    former_head_relation = serializers.ChoiceField(choices=Relation.choices, required=False)


class MemberWriteSerializer(serializers.Serializer):
    resident = ScopedRelatedField(Resident)
    relation = serializers.ChoiceField(choices=Relation.choices, required=False)


class SplitSerializer(serializers.Serializer):
    resident = ScopedRelatedField(Resident)
    number = serializers.CharField(max_length=30, required=False, allow_blank=True)


class HouseholdViewSet(
    WriteMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet,
):  # fmt: skip
    """Households (户) with their members; one head each. Actions: ``set-head``,
    ``add-member``, ``remove-member``, ``split`` (分户)."""

    queryset = (
        Household.objects.select_related("grid")
        .prefetch_related("members")
        .order_by("grid__code", "id")
    )
    serializer_class = HouseholdSerializer
    filterset_class = filters.HouseholdFilter
    action_permissions = {"set_head": "change", "add_member": "change",
                          "remove_member": "change", "split": "change"}  # fmt: skip

    @extend_schema(request=HouseholdCreateSerializer, responses={201: HouseholdSerializer})
    def create(self, request):
        data = self._valid(HouseholdCreateSerializer, request.data)
        household = services.household_create(actor=request.user, **data)
        return self._answer(self.get_queryset().get(pk=household.pk), status.HTTP_201_CREATED)

    @extend_schema(request=HouseholdUpdateSerializer, responses=HouseholdSerializer)
    def update(self, request, pk=None, partial=False):
        household = self.get_object()
        data = self._valid(HouseholdUpdateSerializer, request.data)
        return self._answer(
            services.household_update(actor=request.user, household=household, **data)
        )

    @extend_schema(request=HouseholdUpdateSerializer, responses=HouseholdSerializer)
    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)

    @extend_schema(request=SetHeadSerializer, responses=HouseholdSerializer)
    @action(detail=True, methods=["post"], url_path="set-head")
    def set_head(self, request, pk=None):
        """Make a member the head; the former head takes ``former_head_relation``."""
        household = self.get_object()
        data = self._valid(SetHeadSerializer, request.data)
        return self._answer(
            services.household_set_head(actor=request.user, household=household, **data)
        )

    @extend_schema(request=MemberWriteSerializer, responses=HouseholdSerializer)
    @action(detail=True, methods=["post"], url_path="add-member")
    def add_member(self, request, pk=None):
        """Add a resident with their relation to the head (they leave their household)."""
        household = self.get_object()
        data = self._valid(MemberWriteSerializer, request.data)
        data.setdefault("relation", Relation.OTHER)
        services.household_add_member(actor=request.user, household=household, **data)
        return self._answer(household)

    @extend_schema(request=SplitSerializer, responses=HouseholdSerializer)
    @action(detail=True, methods=["post"], url_path="remove-member")
    def remove_member(self, request, pk=None):
        """Take a member out of the household (the head goes last)."""
        household = self.get_object()
        data = self._valid(SplitSerializer, request.data)
        services.household_remove_member(
            actor=request.user, household=household, resident=data["resident"]
        )
        return self._answer(household)

    @extend_schema(request=SplitSerializer, responses={201: HouseholdSerializer})
    @action(detail=True, methods=["post"])
    def split(self, request, pk=None):
        """Split a member off into a new household of the same house, at its head; answers
        with the new household."""
        household = self.get_object()
        data = self._valid(SplitSerializer, request.data)
        new = services.household_split(actor=request.user, household=household, **data)
        return self._answer(self.get_queryset().get(pk=new.pk), status.HTTP_201_CREATED)


# --- Rentals ---------------------------------------------------------------------------------


class InspectionSerializer(serializers.Serializer):
    inspected_on = serializers.DateField()
    result = serializers.ChoiceField(choices=InspectionResult.choices)
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class RentalSerializer(serializers.ModelSerializer):
    landlord_phone = serializers.CharField(source="landlord_phone_masked", read_only=True)
    landlord_id_number = serializers.CharField(source="landlord_id_number_masked", read_only=True)
    expired = serializers.SerializerMethodField()

    class Meta:
        model = Rental
        fields = ["id", "house", "landlord", "landlord_name", "landlord_phone",
                  "landlord_id_number", "tenants", "contract_start", "contract_end", "expired",
                  "letter_signed", "letter_signed_on", "ended_on", "notes",
                  "created_at"]  # fmt: skip

    def get_expired(self, rental) -> bool:
        return rental.is_expired()


class RentalWriteSerializer(serializers.Serializer):
    house = ScopedRelatedField(House)
    landlord = ScopedRelatedField(Resident, required=False, allow_null=True)
    landlord_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    landlord_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    landlord_id_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    tenants = ScopedRelatedField(Resident, many=True, required=False)
    contract_start = serializers.DateField()
    contract_end = serializers.DateField()
    letter_signed = serializers.BooleanField(required=False)
    letter_signed_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(max_length=500, required=False, allow_blank=True)


class RentalViewSet(
    WriteMixin, RevealMixin, ScopedViewSetMixin, mixins.ListModelMixin,
    mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet,
):  # fmt: skip
    """Rental registrations; ``?state=expired`` lists contracts that ran out."""

    queryset = Rental.objects.select_related("house").prefetch_related("tenants").order_by("-id")
    serializer_class = RentalSerializer
    filterset_class = filters.RentalFilter
    action_permissions = {"reveal": "view", "end": "change", "inspect": "view"}

    @extend_schema(request=RentalWriteSerializer, responses={201: RentalSerializer})
    def create(self, request):
        data = self._valid(RentalWriteSerializer, request.data)
        rental = services.rental_create(actor=request.user, **data)
        return self._answer(rental, status.HTTP_201_CREATED)

    @extend_schema(request=EndSerializer, responses=RentalSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End the registration (the tenants left)."""
        rental = self.get_object()
        data = self._valid(EndSerializer, request.data)
        return self._answer(services.rental_end(actor=request.user, rental=rental, **data))

    @extend_schema(request=InspectionSerializer, responses={201: InspectionSerializer})
    @action(detail=True, methods=["post"])
    def inspect(self, request, pk=None):
        """Record an inspection of the rented house."""
        rental = self.get_object()
        data = self._valid(InspectionSerializer, request.data)
        inspection = services.rental_inspect(actor=request.user, rental=rental, **data)
        return Response(InspectionSerializer(inspection).data, status=status.HTTP_201_CREATED)


# --- Special care ----------------------------------------------------------------------------


class HelperSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=HelperKind.choices)
    user = serializers.IntegerField(source="user_id", required=False, allow_null=True)
    name = serializers.CharField(max_length=50, required=False, allow_blank=True)


class LevelChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = CareLevelChange
        fields = ["from_level", "to_level", "interval_days", "reason", "changed_by", "changed_at"]


class MembershipSerializer(serializers.ModelSerializer):
    resident_name = serializers.CharField(source="resident.name", read_only=True)
    group_code = serializers.CharField(source="group.code", read_only=True)
    helpers = HelperSerializer(many=True, read_only=True)
    level_changes = LevelChangeSerializer(many=True, read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = CareMembership
        fields = ["id", "resident", "resident_name", "group", "group_code", "level",
                  "started_on", "ended_on", "end_reason", "end_note", "interval_days",
                  "last_visited_on", "next_due_on", "overdue", "helpers", "level_changes",
                  "notes", "created_at"]  # fmt: skip

    def get_overdue(self, membership) -> bool:
        return membership.ended_on is None and membership.due_state() == "overdue"


class HelperWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=HelperKind.choices)
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True,
        help_text=_("A staff member working where the resident lives"),
    )  # fmt: skip
    name = serializers.CharField(max_length=50, required=False, allow_blank=True)


class MembershipEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField()
    reason = serializers.ChoiceField(choices=EndReason.choices)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class LevelSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=CareLevel.choices)
    reason = serializers.CharField(max_length=200)


class HelperRemoveSerializer(serializers.Serializer):
    helper = serializers.IntegerField()


class MembershipWriteSerializer(serializers.Serializer):
    resident = ScopedRelatedField(Resident)
    group = serializers.PrimaryKeyRelatedField(queryset=CareGroup.objects.filter(is_active=True))
    level = serializers.ChoiceField(choices=CareLevel.choices)
    started_on = serializers.DateField()
    notes = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    helpers = HelperWriteSerializer(many=True, required=False)


class MembershipViewSet(
    WriteMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
    mixins.CreateModelMixin, viewsets.GenericViewSet,
):  # fmt: skip
    """Special-care memberships of the groups the caller's roles may see;
    ``?state=overdue`` lists those whose visit is overdue."""

    queryset = (
        CareMembership.objects.select_related("resident", "group")
        .prefetch_related("helpers", "level_changes")
        .order_by("next_due_on", "id")
    )
    serializer_class = MembershipSerializer
    filterset_class = filters.MembershipFilter
    action_permissions = {"end": "change", "change_level": "change", "add_helper": "change",
                          "remove_helper": "change"}  # fmt: skip

    @extend_schema(request=MembershipWriteSerializer, responses={201: MembershipSerializer})
    def create(self, request):
        data = self._valid(MembershipWriteSerializer, request.data)
        membership = services.membership_create(actor=request.user, **data)
        return self._answer(membership, status.HTTP_201_CREATED)

    @extend_schema(request=MembershipEndSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """Close the membership with the date and why; it no longer falls due."""
        membership = self.get_object()
        data = self._valid(MembershipEndSerializer, request.data)
        membership = services.membership_end(actor=request.user, membership=membership, **data)
        return self._answer(membership)

    @extend_schema(request=LevelSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"], url_path="change-level")
    def change_level(self, request, pk=None):
        """Change the care or risk level with a reason (kept in ``level_changes``); the visit
        interval and the next due date follow the new level."""
        membership = self.get_object()
        data = self._valid(LevelSerializer, request.data)
        return self._answer(
            services.membership_change_level(actor=request.user, membership=membership, **data)
        )

    @extend_schema(request=HelperWriteSerializer, responses={201: HelperSerializer})
    @action(detail=True, methods=["post"], url_path="add-helper")
    def add_helper(self, request, pk=None):
        """Add a helper: a staff member working where the resident lives, or a named person
        (family member, doctor, cadre or officer)."""
        membership = self.get_object()
        data = self._valid(HelperWriteSerializer, request.data)
        helper = services.membership_helper_add(
            actor=request.user, membership=membership, kind=data["kind"],
            user=data.get("user"), name=data.get("name", ""),
        )  # fmt: skip
        return Response(HelperSerializer(helper).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=HelperRemoveSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"], url_path="remove-helper")
    def remove_helper(self, request, pk=None):
        """Take a helper off the team."""
        membership = self.get_object()
        data = self._valid(HelperRemoveSerializer, request.data)
        helper = membership.helpers.filter(pk=data["helper"]).first()
        if helper is None:
            raise NotFound(_("This helper is not on the team."))
        services.membership_helper_remove(actor=request.user, membership=membership, helper=helper)
        return self._answer(membership)


class VisitSerializer(serializers.ModelSerializer):
    has_photo = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = ["id", "membership", "visitor", "visited_at", "method", "finding", "has_photo",
                  "created_at"]  # fmt: skip

    def get_has_photo(self, visit) -> bool:
        return bool(visit.photo)


class VisitWriteSerializer(serializers.Serializer):
    membership = ScopedRelatedField(CareMembership)
    visited_at = serializers.DateTimeField()
    method = serializers.ChoiceField(choices=VisitMethod.choices)
    finding = serializers.CharField(max_length=2000)
    photo = serializers.FileField(required=False, allow_null=True)


class VisitViewSet(
    WriteMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
    mixins.CreateModelMixin, viewsets.GenericViewSet,
):  # fmt: skip
    """Visits to special-care residents; POST as multipart to attach a photo."""

    queryset = Visit.objects.select_related("membership").order_by("-visited_at", "-id")
    serializer_class = VisitSerializer
    filterset_class = filters.VisitFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=VisitWriteSerializer, responses={201: VisitSerializer})
    def create(self, request):
        data = self._valid(VisitWriteSerializer, request.data)
        visit = services.visit_record(actor=request.user, **data)
        return self._answer(visit, status.HTTP_201_CREATED)


# --- Venues ----------------------------------------------------------------------------------


class VenueSerializer(serializers.ModelSerializer):
    contact_phone = serializers.CharField(source="contact_phone_masked", read_only=True)
    inspected_this_month = serializers.SerializerMethodField()

    class Meta:
        model = Venue
        fields = ["id", "grid", "name", "venue_type", "address", "licence_number",
                  "contact_name", "contact_phone", "is_active", "last_inspected_on",
                  "inspected_this_month", "created_at"]  # fmt: skip

    def get_inspected_this_month(self, venue) -> bool:
        return venue.inspected_this_month()


class VenueWriteSerializer(serializers.Serializer):
    grid = GridField()
    name = serializers.CharField(max_length=100)
    venue_type = serializers.ChoiceField(choices=VenueType.choices)
    address = serializers.CharField(max_length=200)
    licence_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=50)
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)


class VenueInspectionSerializer(InspectionSerializer):
    signed_off_by = serializers.CharField(max_length=50)


class VenueViewSet(
    WriteMixin, RevealMixin, ScopedViewSetMixin, mixins.ListModelMixin,
    mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """Venues under watch; ``?uninspected=true`` lists those not inspected this month."""

    queryset = Venue.objects.select_related("grid").order_by("grid__code", "name")
    serializer_class = VenueSerializer
    filterset_class = filters.VenueFilter
    action_permissions = {"reveal": "view", "inspect": "view"}

    @extend_schema(request=VenueWriteSerializer, responses={201: VenueSerializer})
    def create(self, request):
        data = self._valid(VenueWriteSerializer, request.data)
        venue = services.venue_create(actor=request.user, **data)
        return self._answer(venue, status.HTTP_201_CREATED)

    @extend_schema(request=VenueWriteSerializer, responses=VenueSerializer)
    def update(self, request, pk=None, partial=False):
        venue = self.get_object()
        data = self._valid(VenueWriteSerializer, request.data, partial=partial)
        return self._answer(services.venue_update(actor=request.user, venue=venue, **data))

    @extend_schema(request=VenueWriteSerializer, responses=VenueSerializer)
    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)

    @extend_schema(request=VenueInspectionSerializer, responses={201: VenueInspectionSerializer})
    @action(detail=True, methods=["post"])
    def inspect(self, request, pk=None):
        """Record this month's inspection, signed off by the venue's person in charge."""
        venue = self.get_object()
        data = self._valid(VenueInspectionSerializer, request.data)
        inspection = services.venue_inspect(actor=request.user, venue=venue, **data)
        return Response(VenueInspectionSerializer(inspection).data, status=status.HTTP_201_CREATED)
