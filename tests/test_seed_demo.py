"""The demo data command: a plausible district, one account per role, deterministic, idempotent."""

import random
import re
from io import StringIO

import pytest
import shapely
from django.contrib.auth import base_user, hashers
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation
from shapely.geometry import Polygon, shape

from governance.accounts.models import RoleAssignment, User
from governance.accounts.roles import Role
from governance.audit.models import AuditEntry
from governance.demo import DISTRICT_CODE, FIXED_ACCOUNTS, build_demo, split_polygon, to_geojson
from grids.choices import AreaLevel, DepartmentType, GridType, UnitKind
from grids.geometry import area_m2, parse_boundary
from grids.models import Area, Unit
from grids.spatial import grid_at

PASSWORD = "demo-pass-2026"


# A memory cache, so the grid locator's version token stays out of var/cache.
TEST_SETTINGS = {
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    "DEMO_PASSWORD": PASSWORD,
}


@pytest.fixture(autouse=True)
def _test_settings(settings):
    for name, value in TEST_SETTINGS.items():
        setattr(settings, name, value)


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    """One seeded database for a class of read-only tests (seeding takes a few seconds).

    The seed runs in a transaction that is rolled back after the class; each test's own
    ``db`` transaction nests inside it as a savepoint.
    """
    with override_settings(**TEST_SETTINGS), django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            output = seed()
            yield output
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def seed(*args) -> str:
    """Run the command in English (the source strings) and return what it printed."""
    out = StringIO()
    with translation.override("en"):
        call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def areas(level: str) -> list[Area]:
    return list(Area.objects.filter(level=level))


def role_area(username: str, role: str) -> Area | None:
    return RoleAssignment.objects.get(user__username=username, role=role).area


@pytest.mark.usefixtures("seeded")
class TestTheSeededDemo:
    """What one run of ``seed_demo`` leaves in an empty database."""

    def test_seed_demo_builds_one_district_of_streets_communities_and_grids(self, db):
        assert [a.code for a in areas(AreaLevel.DISTRICT)] == [DISTRICT_CODE]
        assert len(areas(AreaLevel.STREET)) == 4
        assert 20 <= len(areas(AreaLevel.COMMUNITY)) <= 24
        grids = areas(AreaLevel.GRID)
        assert 100 <= len(grids) <= 170
        assert not Area.objects.filter(boundary__isnull=True).exists()
        for area in Area.objects.exclude(level=AreaLevel.DISTRICT).select_related("parent"):
            assert area.code.startswith(area.parent.code), area
        for community in areas(AreaLevel.COMMUNITY):
            assert 5 <= community.children.count() <= 7, community
        dedicated = [g for g in grids if g.grid_type != GridType.BASIC]
        assert 3 <= len(dedicated) <= len(grids) // 5
        assert {g.grid_type for g in dedicated} == set(GridType.values) - {GridType.BASIC}

    def test_every_grid_has_one_grid_worker_and_a_grid_leader_of_at_most_three_grids(self, db):
        for grid in areas(AreaLevel.GRID):
            workers = RoleAssignment.objects.filter(area=grid, role=Role.GRID_WORKER)
            assert workers.count() == 1, grid
            assert RoleAssignment.objects.filter(area=grid, role=Role.GRID_LEADER).count() == 1
        for leader in User.objects.filter(role_assignments__role=Role.GRID_LEADER).distinct():
            held = leader.role_assignments.filter(role=Role.GRID_LEADER)
            assert 2 <= held.count() <= 3, leader.username
            assert len({a.area.parent_id for a in held}) == 1  # all in one community

    def test_the_units_cover_dispatch_stations_departments_and_mediation(self, db):
        district = Area.objects.get(code=DISTRICT_CODE)
        assert Unit.objects.filter(kind=UnitKind.DISTRICT_CENTRE, area=district).count() == 1
        assert Unit.objects.filter(kind=UnitKind.STREET_CENTRE).count() == 4
        assert Unit.objects.filter(kind=UnitKind.COMMUNITY_STATION).count() == len(
            areas(AreaLevel.COMMUNITY)
        )
        district_departments = Unit.objects.filter(kind=UnitKind.DEPARTMENT, area=district)
        assert district_departments.count() == 10
        for street in areas(AreaLevel.STREET):
            here = Unit.objects.filter(area=street)
            assert here.filter(department_type=DepartmentType.POLICE).count() == 1
            assert here.filter(department_type=DepartmentType.JUSTICE).count() == 1
            assert here.filter(name__endswith="人民调解委员会").count() == 1
        assert Unit.objects.filter(
            kind=UnitKind.MEDIATION_BODY, name__contains="警民联调室"
        ).exists()

    def test_every_demo_account_exists_with_its_role_and_the_demo_password(self, db):
        district = Area.objects.get(code=DISTRICT_CODE)
        street_a = Area.objects.get(code=f"{DISTRICT_CODE}001")
        community_a = Area.objects.get(code=f"{street_a.code}001")
        grid_a = Area.objects.get(code=f"{community_a.code}001")
        for username, (full_name, role) in FIXED_ACCOUNTS.items():
            user = User.objects.get(username=username)
            assert user.full_name == full_name
            assert role in user.roles, username

        admin = User.objects.get(username="admin")
        assert admin.is_superuser
        assert admin.is_staff
        assert admin.check_password(PASSWORD)
        assert role_area("leader", Role.LEADER) == district
        assert role_area("district", Role.DISTRICT_DISPATCHER) == district
        assert User.objects.get(username="district").unit.kind == UnitKind.DISTRICT_CENTRE
        assert role_area("street", Role.STREET_DISPATCHER) == street_a
        assert role_area("community", Role.COMMUNITY_STAFF) == community_a
        assert role_area("worker", Role.GRID_WORKER) == grid_a
        grid_b = role_area("worker2", Role.GRID_WORKER)
        assert grid_b.level == AreaLevel.GRID
        assert not grid_b.code.startswith(street_a.code)
        dept = RoleAssignment.objects.get(user__username="dept", role=Role.DEPARTMENT_HANDLER)
        assert dept.unit.department_type == DepartmentType.POLICE
        assert dept.area == street_a
        mediator = User.objects.get(username="mediator")
        assert role_area("mediator", Role.MEDIATOR) == street_a
        assert mediator.unit.kind == UnitKind.MEDIATION_BODY
        assert mediator.unit.area == street_a
        assert role_area("petition", Role.PETITION_OFFICER) == district
        # The fixed grid workers are their grids' only workers.
        assert not User.objects.filter(
            username__in=[f"gw{grid_a.code}", f"gw{grid_b.code}"]
        ).exists()

    def test_the_output_lists_the_accounts_counts_and_time(self, db, seeded):
        out = seeded
        for username in FIXED_ACCOUNTS:
            assert f"\n{username} " in out
        assert out.count(PASSWORD) == len(FIXED_ACCOUNTS)
        assert "Department handler" in out
        assert "西陵街道 · 西陵派出所" in out
        communities, grids = len(areas(AreaLevel.COMMUNITY)), len(areas(AreaLevel.GRID))
        assert (
            f"Created 4 streets, {communities} communities, {grids} grids, {Unit.objects.count()} "
            f"units and {User.objects.count()} users in "
        ) in out
        assert re.search(r" in \d+\.\d s \(seed 2026\)\.", out)

    def test_sibling_areas_do_not_overlap_and_tile_their_parent(self, db, settings):
        shapes = {a.pk: shape(a.boundary) for a in Area.objects.all()}
        for parent in Area.objects.exclude(level=AreaLevel.GRID):
            children = list(parent.children.all())
            assert children, parent
            for i, child in enumerate(children):
                outside = area_m2(shapes[child.pk].difference(shapes[parent.pk]))
                assert outside <= settings.BOUNDARY_OUTSIDE_TOLERANCE_M2, (child, outside)
                for other in children[:i]:
                    overlap = area_m2(shapes[child.pk].intersection(shapes[other.pk]))
                    assert overlap <= settings.BOUNDARY_OVERLAP_TOLERANCE_M2, (
                        child,
                        other,
                        overlap,
                    )
            union = shapely.union_all([shapes[c.pk] for c in children])
            gap = area_m2(shapes[parent.pk].difference(union))
            assert gap <= settings.BOUNDARY_OVERLAP_TOLERANCE_M2, (parent, gap)

    def test_grid_at_finds_grid_a_for_a_point_inside_it(self, db):
        grid_a = role_area("worker", Role.GRID_WORKER)
        grid_b = role_area("worker2", Role.GRID_WORKER)
        for grid in (grid_a, grid_b):
            point = shape(grid.boundary).representative_point()
            assert grid_at(point.x, point.y) == grid
        assert grid_at(0.0, 0.0) is None


def test_the_password_option_overrides_the_demo_password(db):
    out = seed("--password", "another-pass-77", "--territory-only")

    assert User.objects.get(username="worker").check_password("another-pass-77")
    assert "another-pass-77" in out


class _Rollback(Exception):
    pass


def _snapshot() -> dict:
    return {
        "areas": list(Area.objects.values_list("code", "name", "grid_type", "boundary")),
        "units": list(
            Unit.objects.order_by("area__code", "name").values_list(
                "area__code", "name", "kind", "department_type", "phone"
            )
        ),
        "users": list(User.objects.values_list("username", "full_name", "unit__name")),
        "roles": sorted(RoleAssignment.objects.values_list("user__username", "role", "area__code")),
    }


def _build_and_roll_back(seed_value: int) -> dict:
    try:
        with transaction.atomic():
            demo = build_demo(seed=seed_value, password=PASSWORD, territory_only=True)
            assert demo.grid_a.code == f"{DISTRICT_CODE}001001001"
            assert demo.grid_b == Area.objects.get(role_assignments__user__username="worker2")
            assert demo.district.code == DISTRICT_CODE
            snapshot = _snapshot()
            raise _Rollback
    except _Rollback:
        pass
    assert not Area.objects.exists()
    return snapshot


def test_the_same_seed_gives_the_same_demo_and_another_seed_a_different_one(db):
    first = _build_and_roll_back(2026)
    second = _build_and_roll_back(2026)
    other = _build_and_roll_back(7)

    assert first == second
    assert len(first["areas"]) > 100
    assert first["areas"] != other["areas"]
    assert first["users"] != other["users"]
    # The password hash is shared only while the demo is built.
    assert base_user.make_password is hashers.make_password


def test_if_empty_on_a_seeded_database_creates_nothing(db):
    seed("--territory-only")
    before = [m.objects.count() for m in (Area, Unit, User, RoleAssignment, AuditEntry)]

    out = seed("--if-empty")

    assert [m.objects.count() for m in (Area, Unit, User, RoleAssignment, AuditEntry)] == before
    assert "The demo data is already present; nothing was created." in out
    assert "\nworker2 " in out
    assert out.count(PASSWORD) == len(FIXED_ACCOUNTS)


def test_if_empty_on_an_empty_database_seeds(db):
    seed("--if-empty", "--territory-only")

    assert Area.objects.filter(code=DISTRICT_CODE).exists()


def test_seeding_a_seeded_database_again_is_refused(db):
    seed("--territory-only")
    users = User.objects.count()

    with pytest.raises(CommandError, match="--if-empty"):
        seed("--territory-only")
    assert User.objects.count() == users


def test_territory_only_leaves_out_the_sample_residents_and_events(db):
    from events.models import Event
    from residents.models import Resident

    seed("--territory-only")

    assert Area.objects.filter(code=DISTRICT_CODE).exists()
    assert User.objects.filter(username="worker").exists()
    assert not Resident.objects.exists()
    assert not Event.objects.exists()


def test_a_failure_part_way_leaves_nothing_behind(db):
    User.objects.create_user(username="dept", password="x-irrelevant-1")

    with pytest.raises(CommandError):
        seed()

    assert not Area.objects.exists()
    assert not Unit.objects.exists()
    assert list(User.objects.values_list("username", flat=True)) == ["dept"]


def test_split_polygon_tiles_a_concave_parent_even_when_a_cell_falls_apart():
    # A U shape: a Voronoi cell straddling the notch is cut into two pieces.
    u_shape = Polygon(
        [(0, 0), (0.03, 0), (0.03, 0.03), (0.02, 0.03), (0.02, 0.01), (0.01, 0.01), (0.01, 0.03),
         (0, 0.03), (0, 0)]
    )  # fmt: skip
    kinds = set()
    for attempt in range(5):
        cells = split_polygon(u_shape, 3, random.Random(attempt))
        assert len(cells) == 3
        for cell in cells:
            kinds.add(cell.geom_type)
            _clean, parsed = parse_boundary(to_geojson(cell))  # the project's own validator
            assert parsed.normalize().equals_exact(cell.normalize(), tolerance=1e-7)
        assert sum(c.area for c in cells) == pytest.approx(u_shape.area, rel=1e-6)
        assert shapely.union_all(cells).symmetric_difference(u_shape).area < 1e-12
    assert kinds == {"Polygon", "MultiPolygon"}
