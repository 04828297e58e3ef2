"""A small territory and one person per role, built through the services like real data.

District 420502 is cut in two streets; each street has one community; community A has grids
A and A2, community B has grid B::

    lng 111.20      111.24      111.28
    lat 30.68 +-----------+-----------+
              |  street A | street B  |
    lat 30.64 +-----+-----+-----------+
              | A   | A2  |  grid B   |   (communities A and B fill the southern halves)
    lat 30.60 +-----+-----+-----------+
"""

from __future__ import annotations

from dataclasses import dataclass, field

from governance.accounts.models import User
from governance.accounts.roles import Role
from governance.accounts.services import role_assign, user_create
from grids.choices import AreaLevel, DepartmentType, UnitKind
from grids.models import Area, Unit
from grids.services import area_create, unit_create

PASSWORD = "test-pass-2026"


def box(west: float, south: float, east: float, north: float) -> dict:
    """A rectangle as a GeoJSON Polygon (longitude, latitude)."""
    return {
        "type": "Polygon",
        "coordinates": [
            [[west, south], [east, south], [east, north], [west, north], [west, south]]
        ],
    }


@dataclass
class World:
    """The test territory, its units and a user per persona."""

    district: Area
    street_a: Area
    street_b: Area
    community_a: Area
    community_b: Area
    grid_a: Area
    grid_a2: Area
    grid_b: Area
    units: dict[str, Unit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)


PERSONAS = (
    "anonymous", "worker", "worker2", "community", "street", "district", "leader", "dept",
    "mediator", "petition", "admin",
)  # fmt: skip


def build_world() -> World:
    root = User.objects.create_superuser("root", "root@example.cn", PASSWORD)
    district = area_create(
        actor=root, level=AreaLevel.DISTRICT, code="420502", name="西陵区",
        boundary=box(111.20, 30.60, 111.28, 30.68),
    )  # fmt: skip
    street_a = area_create(
        actor=root, level=AreaLevel.STREET, code="420502001", name="西陵街道", parent=district,
        boundary=box(111.20, 30.60, 111.24, 30.68),
    )  # fmt: skip
    street_b = area_create(
        actor=root, level=AreaLevel.STREET, code="420502002", name="学院街道", parent=district,
        boundary=box(111.24, 30.60, 111.28, 30.68),
    )  # fmt: skip
    community_a = area_create(
        actor=root, level=AreaLevel.COMMUNITY, code="420502001001", name="四方堰社区",
        parent=street_a, boundary=box(111.20, 30.60, 111.24, 30.64),
    )  # fmt: skip
    community_b = area_create(
        actor=root, level=AreaLevel.COMMUNITY, code="420502002001", name="夜明珠社区",
        parent=street_b, boundary=box(111.24, 30.60, 111.28, 30.64),
    )  # fmt: skip
    grid_a = area_create(
        actor=root, level=AreaLevel.GRID, code="420502001001001", name="四方堰第一网格",
        parent=community_a, boundary=box(111.20, 30.60, 111.22, 30.64),
    )  # fmt: skip
    grid_a2 = area_create(
        actor=root, level=AreaLevel.GRID, code="420502001001002", name="四方堰第二网格",
        parent=community_a, boundary=box(111.22, 30.60, 111.24, 30.64),
    )  # fmt: skip
    grid_b = area_create(
        actor=root, level=AreaLevel.GRID, code="420502002001001", name="夜明珠第一网格",
        parent=community_b, boundary=box(111.24, 30.60, 111.28, 30.64),
    )  # fmt: skip
    world = World(district, street_a, street_b, community_a, community_b, grid_a, grid_a2, grid_b)

    def unit(key, name, kind, area, department_type=""):
        world.units[key] = unit_create(
            actor=root, name=name, kind=kind, area=area, department_type=department_type
        )

    unit("district_centre", "区网格化服务管理中心", UnitKind.DISTRICT_CENTRE, district)
    unit("street_centre_a", "西陵街道综治中心", UnitKind.STREET_CENTRE, street_a)
    unit("street_centre_b", "学院街道综治中心", UnitKind.STREET_CENTRE, street_b)
    unit("station_a", "四方堰社区工作站", UnitKind.COMMUNITY_STATION, community_a)
    unit("station_b", "夜明珠社区工作站", UnitKind.COMMUNITY_STATION, community_b)
    unit("police_a", "西陵派出所", UnitKind.DEPARTMENT, street_a, DepartmentType.POLICE)
    unit("police_b", "学院派出所", UnitKind.DEPARTMENT, street_b, DepartmentType.POLICE)
    unit("urban", "区城管局", UnitKind.DEPARTMENT, district, DepartmentType.URBAN_MANAGEMENT)
    unit("mediation_a", "西陵街道人民调解委员会", UnitKind.MEDIATION_BODY, street_a)

    def person(username, full_name, role, area=None, unit_key=None):
        user = user_create(actor=root, username=username, password=PASSWORD, full_name=full_name)
        unit_obj = world.units[unit_key] if unit_key else None
        role_assign(actor=root, user=user, role=role, area=area, unit=unit_obj)
        world.users[username] = user

    person("worker", "张三", Role.GRID_WORKER, grid_a)
    person("worker2", "李四", Role.GRID_WORKER, grid_b)
    person("community", "王芳", Role.COMMUNITY_STAFF, community_a)
    person("street", "赵强", Role.STREET_DISPATCHER, street_a)
    person("district", "孙敏", Role.DISTRICT_DISPATCHER, district)
    person("leader", "周建国", Role.LEADER, district)
    person("dept", "吴警官", Role.DEPARTMENT_HANDLER, unit_key="police_a")
    person("mediator", "郑调解", Role.MEDIATOR, street_a, "mediation_a")
    person("petition", "钱信访", Role.PETITION_OFFICER, district)
    person("admin", "系统管理员", Role.ADMIN)
    return world
