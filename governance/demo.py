"""Demo data: a plausible district (西陵区, Yichang) with its units and one account per role.

``build_demo`` runs the steps below in order inside one transaction and returns a ``Demo``
holding what it made. Every step takes the ``Demo`` and adds to it, so a later app adds its
own step (residents, events…) by writing ``build_residents(demo)`` and calling it at the end of
``build_demo``. Each step draws from its own ``random.Random`` seeded from the demo seed and the
step's name, so adding a step never changes what the earlier steps produce.

Every write goes through the services (``area_create``, ``unit_create``, ``user_create``,
``role_assign``), so the demo passes the same checks and leaves the same audit trail as an
administrator's edits would.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

import shapely
from django.contrib.auth import base_user
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.translation import gettext as _
from shapely.geometry import MultiPoint, MultiPolygon, Polygon
from shapely.geometry import shape as geojson_shape
from shapely.geometry.polygon import orient

from governance.accounts.models import User
from governance.accounts.roles import Role
from governance.accounts.services import role_assign, user_create
from governance.audit.services import audit_record
from grids.choices import AreaLevel, DepartmentType, GridType, UnitKind
from grids.models import Area, Unit
from grids.services import area_create, unit_create

DEFAULT_SEED = 2026

# --- The territory as data --------------------------------------------------------------------

DISTRICT_CODE = "420502"
DISTRICT_NAME = "西陵区"
CENTRE_LAT, CENTRE_LNG = 30.696, 111.287
# Half-width and half-height of the district in metres: roughly 6 x 5 km.
DISTRICT_HALF_WIDTH_M, DISTRICT_HALF_HEIGHT_M = 3000.0, 2500.0

# (code, name, short name used in unit names, community names) in code order.
STREETS = [
    (
        "420502001",
        "西陵街道",
        "西陵",
        ["解放路社区", "南门社区", "二马路社区", "北山坡社区", "铁路坝社区", "胜利四路社区"],
    ),
    (
        "420502002",
        "学院街道",
        "学院",
        ["大学路社区", "珍珠路社区", "西陵二路社区", "桃花岭社区", "樵湖岭社区"],
    ),
    (
        "420502003",
        "云集街道",
        "云集",
        ["云集路社区", "四方堰社区", "锁堂路社区", "黄河路社区", "福绥路社区", "中书街社区"],
    ),
    (
        "420502004",
        "叶挺街道",
        "叶挺",
        ["夜明珠社区", "叶挺路社区", "东山社区", "营盘社区", "沙河社区"],
    ),
]
GRIDS_PER_COMMUNITY = (5, 7)

# Dedicated grids (专属网格): the last grid of these communities covers one site.
DEDICATED_GRIDS = {
    "解放路社区": (GridType.OFFICE_TOWER, "国贸大厦"),
    "南门社区": (GridType.MARKET, "南门农贸市场"),
    "大学路社区": (GridType.SCHOOL, "三峡大学"),
    "桃花岭社区": (GridType.HOSPITAL, "宜昌市中心人民医院"),
    "云集路社区": (GridType.OFFICE_TOWER, "万达广场写字楼"),
    "四方堰社区": (GridType.MARKET, "四方堰农贸市场"),
    "中书街社区": (GridType.SCHOOL, "宜昌市第一中学"),
    "叶挺路社区": (GridType.HOSPITAL, "宜昌市第一人民医院"),
    "东山社区": (GridType.INDUSTRIAL_PARK, "东山产业园"),
}

# District-level functional departments: (key, name after the district's, department type).
DISTRICT_DEPARTMENTS = [
    ("urban_management", "城管局", DepartmentType.URBAN_MANAGEMENT),
    ("civil_affairs", "民政局", DepartmentType.CIVIL_AFFAIRS),
    ("justice", "司法局", DepartmentType.JUSTICE),
    ("human_resources", "人社局", DepartmentType.HUMAN_RESOURCES),
    ("health", "卫健局", DepartmentType.HEALTH),
    ("housing", "住建局", DepartmentType.HOUSING),
    ("market_regulation", "市场监管局", DepartmentType.MARKET_REGULATION),
    ("fire", "消防救援大队", DepartmentType.FIRE),
    ("emergency", "应急管理局", DepartmentType.EMERGENCY),
    ("environment", "生态环境分局", DepartmentType.ENVIRONMENT),
]

# The fixed accounts, one per role (usernames are what the README and the tests log in as).
FIXED_ACCOUNTS = {
    "admin": ("周文斌", Role.ADMIN),
    "leader": ("王建国", Role.LEADER),
    "district": ("李明华", Role.DISTRICT_DISPATCHER),
    "street": ("张晓燕", Role.STREET_DISPATCHER),
    "community": ("刘芳", Role.COMMUNITY_STAFF),
    "worker": ("陈志强", Role.GRID_WORKER),
    "worker2": ("杨丽娟", Role.GRID_WORKER),
    "dept": ("赵刚", Role.DEPARTMENT_HANDLER),
    "mediator": ("黄秀英", Role.MEDIATOR),
    "petition": ("吴海涛", Role.PETITION_OFFICER),
}

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林欢阳建国志海峰文松"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀英慧巧美玲桂兰萍红燕琳雪倩婷颖洁琴云莉晶欣悦佳梅蓉月"

# Degrees per metre at the district's latitude (local equirectangular projection).
_M_PER_DEG = 111_320.0
_DEG_LAT_PER_M = 1 / _M_PER_DEG
_DEG_LNG_PER_M = 1 / (_M_PER_DEG * math.cos(math.radians(CENTRE_LAT)))
_DECIMALS = 7  # about 1 cm
_SEGMENT_M = 40.0  # longest edge of a stored boundary


# --- The demo object --------------------------------------------------------------------------


@dataclass
class Demo:
    """What the demo steps share: the seed and password going in, the created objects coming out."""

    seed: int
    password: str
    stdout: TextIO | None = None
    admin: User | None = None
    district: Area | None = None
    streets: list[Area] = field(default_factory=list)
    communities: list[Area] = field(default_factory=list)
    grids: list[Area] = field(default_factory=list)
    # Units by a stable key: "district_centre", "street_centre:<code>", "station:<code>",
    # "dept:<key>" (district departments), "police:<street code>", "justice:<street code>",
    # "mediation:<street code>", "joint_mediation".
    units: dict[str, Unit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def rng(self, step: str) -> random.Random:
        """A generator for one step, seeded from the demo seed and the step's name."""
        return random.Random(f"{self.seed}:{step}")  # noqa: S311 (demo data, not secrets)

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message + "\n")

    @property
    def street_a(self) -> Area:
        return self.streets[0]

    @property
    def community_a(self) -> Area:
        """The first community of the first street (the ``community`` account's)."""
        return self.children(self.street_a)[0]

    @property
    def grid_a(self) -> Area:
        """The first grid of the first community (the ``worker`` account's)."""
        return self.children(self.community_a)[0]

    @property
    def grid_b(self) -> Area:
        """The first grid of the first community of the second street (``worker2``'s)."""
        return self.children(self.children(self.streets[1])[0])[0]

    def children(self, area: Area) -> list[Area]:
        level = {AreaLevel.DISTRICT: self.streets, AreaLevel.STREET: self.communities}
        candidates = level.get(area.level, self.grids)
        return [child for child in candidates if child.parent_id == area.pk]


@transaction.atomic
def build_demo(
    *,
    seed: int = DEFAULT_SEED,
    password: str,
    stdout: TextIO | None = None,
    territory_only: bool = False,
) -> Demo:
    """Build the whole demo in one transaction and return what was made.

    ``territory_only`` stops after the territory, the units and the accounts: no sample
    residents or events (for a real deployment's first accounts, and for quick tests).
    """
    demo = Demo(seed=seed, password=password, stdout=stdout)
    with _one_hash_for(password):
        build_admin(demo)
        build_territory(demo)
        build_units(demo)
        build_accounts(demo)
    if territory_only:
        return demo
    # Domain apps' steps (imported here: their demo modules import this one).
    from residents.demo import build_residents

    build_residents(demo)
    from events.demo import build_events

    build_events(demo)
    return demo


def demo_present() -> bool:
    """Whether the demo district is already in the database."""
    return Area.objects.filter(code=DISTRICT_CODE).exists()


@contextmanager
def _one_hash_for(password: str) -> Iterator[None]:
    """Hash the demo password once and reuse the hash for every demo account.

    Django's default hasher spends about 0.3 s on each password by design; the demo opens some
    200 accounts that share one password, which would take a minute. The accounts still get a
    real salted PBKDF2 hash (shared, as the password is), and ``user_create`` still validates
    the password and writes the audit row. Other passwords are hashed as usual.
    """
    validate_password(password)
    hashed = make_password(password)
    original = base_user.make_password

    def reuse(raw_password, *args, **kwargs):
        if raw_password == password and not args and not kwargs:
            return hashed
        return original(raw_password, *args, **kwargs)

    base_user.make_password = reuse
    try:
        yield
    finally:
        base_user.make_password = original


# --- Step 1: the administrator ----------------------------------------------------------------


def build_admin(demo: Demo) -> None:
    """The ``admin`` account, a superuser, which every later write names as its actor."""
    full_name, _role = FIXED_ACCOUNTS["admin"]
    admin = User(username="admin", full_name=full_name, is_superuser=True, is_staff=True)
    admin.full_clean(exclude=["password"])
    validate_password(demo.password, admin)
    admin.set_password(demo.password)
    admin.save()
    # No one exists yet to open this account: it records itself as the actor, as
    # ``createsuperuser`` would if it wrote audit rows.
    audit_record(actor=admin, action="user.create", target=admin)
    role_assign(actor=admin, user=admin, role=Role.ADMIN)
    demo.admin = admin
    demo.users["admin"] = admin


# --- Step 2: the territory --------------------------------------------------------------------


def build_territory(demo: Demo) -> None:
    """District → 4 streets → 5-6 communities each → 5-7 grids each, tiled by Voronoi cells."""
    rng = demo.rng("territory")
    demo.district = _create_area(
        demo,
        level=AreaLevel.DISTRICT,
        code=DISTRICT_CODE,
        name=DISTRICT_NAME,
        parent=None,
        shape=_district_shape(rng),
    )
    street_cells = split_polygon(_shape_of(demo.district), len(STREETS), rng)
    for (code, name, _short, community_names), cell in zip(STREETS, street_cells, strict=True):
        street = _create_area(
            demo, level=AreaLevel.STREET, code=code, name=name, parent=demo.district, shape=cell
        )
        demo.streets.append(street)
        community_cells = split_polygon(cell, len(community_names), rng)
        for number, (community_name, community_cell) in enumerate(
            zip(community_names, community_cells, strict=True), start=1
        ):
            community = _create_area(
                demo,
                level=AreaLevel.COMMUNITY,
                code=f"{code}{number:03d}",
                name=community_name,
                parent=street,
                shape=community_cell,
            )
            demo.communities.append(community)
            _build_grids(demo, community, rng)
    demo.say(
        _("Territory: %(streets)s streets, %(communities)s communities, %(grids)s grids.")
        % {
            "streets": len(demo.streets),
            "communities": len(demo.communities),
            "grids": len(demo.grids),
        }
    )


def _build_grids(demo: Demo, community: Area, rng: random.Random) -> None:
    count = rng.randint(*GRIDS_PER_COMMUNITY)
    cells = split_polygon(_shape_of(community), count, rng)
    dedicated = DEDICATED_GRIDS.get(community.name)
    for number, cell in enumerate(cells, start=1):
        if dedicated and number == count:
            grid_type, site = dedicated
            name = f"{site}专属网格"
        else:
            grid_type, name = GridType.BASIC, f"{community.name}第{number}网格"
        demo.grids.append(
            _create_area(
                demo,
                level=AreaLevel.GRID,
                code=f"{community.code}{number:03d}",
                name=name,
                parent=community,
                shape=cell,
                grid_type=grid_type,
            )
        )


def _create_area(demo: Demo, *, shape, **fields) -> Area:
    return area_create(actor=demo.admin, boundary=to_geojson(shape), **fields)


def _shape_of(area: Area):
    """The boundary as saved (rounded), so children are cut from exactly what was stored."""
    return geojson_shape(area.boundary)


# --- Geometry ---------------------------------------------------------------------------------


def _district_shape(rng: random.Random) -> Polygon:
    """An irregular, star-shaped outline of roughly 6 x 5 km around the district centre."""
    corners = 20
    points = []
    for i in range(corners):
        # Jitter the angle by less than half a step, so the outline never crosses itself.
        angle = 2 * math.pi * (i + rng.uniform(-0.35, 0.35)) / corners
        reach = rng.uniform(0.82, 1.12)
        points.append(
            (
                CENTRE_LNG + DISTRICT_HALF_WIDTH_M * reach * math.cos(angle) * _DEG_LNG_PER_M,
                CENTRE_LAT + DISTRICT_HALF_HEIGHT_M * reach * math.sin(angle) * _DEG_LAT_PER_M,
            )
        )
    return _snap(_densify(Polygon(points)))


def split_polygon(parent, count: int, rng: random.Random, *, relax: int = 3) -> list:
    """Cut ``parent`` into ``count`` non-overlapping cells that tile it, in reading order.

    1. Scatter ``count`` seed points inside the parent.
    2. Take their Voronoi cells clipped to the parent; move each point to its cell's centroid
       and repeat ``relax`` times (Lloyd's relaxation), so the cells come out of similar size.
    3. Snap the cells to a 1e-7 degree grid (shared edges stay shared) and keep their polygonal
       parts; a cell that a concave parent cut in two stays one MultiPolygon, so no gap opens.
    4. Sort north to south in rows, west to east within a row, so codes read like a map.
    """
    points = _points_inside(parent, count, rng)
    for _round in range(relax + 1):
        cells = _voronoi_cells(parent, points)
        points = [_inner_point(cell) for cell in cells]
    cells = [_polygonal(_snap(_densify(cell))) for cell in cells]
    return _reading_order(cells)


def _points_inside(parent, count: int, rng: random.Random) -> list[tuple[float, float]]:
    minx, miny, maxx, maxy = parent.bounds
    shapely.prepare(parent)
    points: list[tuple[float, float]] = []
    while len(points) < count:
        point = (rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if parent.contains(shapely.Point(point)) and point not in points:
            points.append(point)
    return points


def _voronoi_cells(parent, points) -> list:
    diagram = shapely.voronoi_polygons(MultiPoint(points), extend_to=parent, ordered=True)
    return [cell.intersection(parent) for cell in diagram.geoms]


def _inner_point(cell) -> tuple[float, float]:
    centroid = cell.centroid
    point = centroid if cell.contains(centroid) else cell.representative_point()
    return (point.x, point.y)


def _densify(geometry):
    """Add vertices every few tens of metres. A child's corner that lies on its parent's edge
    is rounded by up to half a centimetre; on a short edge that leaves a sliver of a fraction
    of a square metre, on a kilometre-long one a sliver of several."""
    return shapely.segmentize(geometry, _SEGMENT_M * _DEG_LAT_PER_M)


def _snap(geometry):
    return shapely.set_precision(geometry, 10**-_DECIMALS)


def _polygonal(geometry):
    """The polygon or polygons of a clipped cell (a clip can leave lines or points behind)."""
    if isinstance(geometry, Polygon | MultiPolygon):
        parts = [geometry] if isinstance(geometry, Polygon) else list(geometry.geoms)
    else:
        parts = [g for g in getattr(geometry, "geoms", []) if isinstance(g, Polygon)]
    parts = [p for p in parts if not p.is_empty and p.area > 0]
    if not parts:
        raise ValueError("a Voronoi cell vanished while being clipped")
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def _reading_order(cells: list) -> list:
    rows = max(1, round(math.sqrt(len(cells))))
    miny = min(cell.bounds[1] for cell in cells)
    maxy = max(cell.bounds[3] for cell in cells)
    height = (maxy - miny) / rows or 1.0

    def key(cell):
        point = cell.representative_point() if not cell.centroid.within(cell) else cell.centroid
        row = min(rows - 1, int((maxy - point.y) / height))
        return (row, point.x)

    return sorted(cells, key=key)


def to_geojson(geometry) -> dict:
    """A GeoJSON geometry with counter-clockwise outer rings and coordinates rounded to 1 cm."""

    def ring(coords) -> list[list[float]]:
        return [[round(x, _DECIMALS), round(y, _DECIMALS)] for x, y in coords]

    def polygon(p: Polygon) -> list:
        p = orient(p, sign=1.0)
        return [ring(p.exterior.coords), *(ring(r.coords) for r in p.interiors)]

    if isinstance(geometry, MultiPolygon):
        return {"type": "MultiPolygon", "coordinates": [polygon(p) for p in geometry.geoms]}
    return {"type": "Polygon", "coordinates": polygon(geometry)}


# --- Step 3: units ----------------------------------------------------------------------------


def build_units(demo: Demo) -> None:
    """Dispatch centres, community stations, departments and mediation bodies."""
    rng = demo.rng("units")
    district = demo.district

    def add(key: str, name: str, kind: str, area: Area, department_type: str = "") -> None:
        demo.units[key] = unit_create(
            actor=demo.admin,
            name=name,
            kind=kind,
            area=area,
            department_type=department_type,
            phone=f"0717-6{rng.randint(0, 999999):06d}",
        )

    add("district_centre", f"{district.name}网格化服务管理中心", UnitKind.DISTRICT_CENTRE, district)
    for key, name, department_type in DISTRICT_DEPARTMENTS:
        add(f"dept:{key}", f"{district.name}{name}", UnitKind.DEPARTMENT, district, department_type)
    for street, (_code, _name, short, _communities) in zip(demo.streets, STREETS, strict=True):
        code = street.code
        add(
            f"street_centre:{code}",
            f"{street.name}网格化服务管理中心",
            UnitKind.STREET_CENTRE,
            street,
        )
        add(f"police:{code}", f"{short}派出所", UnitKind.DEPARTMENT, street, DepartmentType.POLICE)
        add(
            f"justice:{code}", f"{short}司法所", UnitKind.DEPARTMENT, street, DepartmentType.JUSTICE
        )
        add(
            f"mediation:{code}",
            f"{street.name}人民调解委员会",
            UnitKind.MEDIATION_BODY,
            street,
        )
    first_police = demo.units[f"police:{demo.street_a.code}"]
    add("joint_mediation", f"{first_police.name}警民联调室", UnitKind.MEDIATION_BODY, demo.street_a)
    for community in demo.communities:
        add(
            f"station:{community.code}",
            f"{community.name}工作站",
            UnitKind.COMMUNITY_STATION,
            community,
        )
    demo.say(_("Units: %(n)s.") % {"n": len(demo.units)})


# --- Step 4: accounts -------------------------------------------------------------------------


def build_accounts(demo: Demo) -> None:
    """One account per role, a grid worker for every grid and grid leaders for every grid."""
    rng = demo.rng("accounts")
    street_a, community_a = demo.street_a, demo.community_a
    grid_a, grid_b = demo.grid_a, demo.grid_b
    units = demo.units
    # username: (area, unit the account belongs to, unit the role is held in)
    placements = {
        "leader": (demo.district, units["district_centre"], None),
        "district": (demo.district, units["district_centre"], None),
        "street": (street_a, units[f"street_centre:{street_a.code}"], None),
        "community": (community_a, units[f"station:{community_a.code}"], None),
        "worker": (grid_a, units[f"station:{community_a.code}"], None),
        "worker2": (grid_b, units[f"station:{grid_b.parent.code}"], None),
        # The department handler works at the first street's police station (派出所).
        "dept": (None, units[f"police:{street_a.code}"], units[f"police:{street_a.code}"]),
        "mediator": (
            street_a,
            units[f"mediation:{street_a.code}"],
            units[f"mediation:{street_a.code}"],
        ),
        "petition": (demo.district, units["district_centre"], None),
    }
    for username, (area, unit, role_unit) in placements.items():
        full_name, role = FIXED_ACCOUNTS[username]
        _open_account(demo, username, full_name, unit, role, [area], role_unit=role_unit)

    names = _NameMaker(rng, taken={name for name, _role in FIXED_ACCOUNTS.values()})
    staffed = {grid_a.pk, grid_b.pk}
    for community in demo.communities:
        grids = demo.children(community)
        station = units[f"station:{community.code}"]
        for grid in grids:
            if grid.pk not in staffed:
                _open_account(
                    demo, f"gw{grid.code}", names.next(), station, Role.GRID_WORKER, [grid]
                )
        for group in _leader_groups(grids):
            _open_account(
                demo, f"gl{group[0].code}", names.next(), station, Role.GRID_LEADER, group
            )
    demo.say(_("Accounts: %(n)s.") % {"n": len(demo.users)})


def _open_account(demo: Demo, username, full_name, unit, role, areas, *, role_unit=None) -> User:
    user = user_create(
        actor=demo.admin,
        username=username,
        password=demo.password,
        full_name=full_name,
        unit=unit,
    )
    for area in areas:
        role_assign(actor=demo.admin, user=user, role=role, area=area, unit=role_unit)
    demo.users[username] = user
    return user


def _leader_groups(grids: list[Area]) -> list[list[Area]]:
    """Consecutive groups of 2-3 grids, one per grid leader (5 → 3+2, 6 → 3+3, 7 → 3+2+2)."""
    leaders = math.ceil(len(grids) / 3)
    groups, start = [], 0
    for i in range(leaders):
        size = len(grids) // leaders + (1 if i < len(grids) % leaders else 0)
        groups.append(grids[start : start + size])
        start += size
    return groups


class _NameMaker:
    """Plausible, distinct Chinese full names (data, not translated strings)."""

    def __init__(self, rng: random.Random, taken: set[str]):
        self.rng = rng
        self.taken = set(taken)

    def next(self) -> str:
        while True:
            pool = self.rng.choice((GIVEN_MALE, GIVEN_FEMALE))
            given = "".join(self.rng.choice(pool) for _ in range(self.rng.choice((1, 2, 2, 2))))
            name = self.rng.choice(SURNAMES) + given
            if name not in self.taken:
                self.taken.add(name)
                return name


# --- Reporting --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountRow:
    """One line of the demo account table."""

    username: str
    full_name: str
    role: str
    scope: str


def demo_accounts() -> list[AccountRow]:
    """The fixed demo accounts as they are in the database (the generated staff left out)."""
    users = User.objects.filter(username__in=FIXED_ACCOUNTS).prefetch_related(
        "role_assignments__area", "role_assignments__unit"
    )
    by_username = {user.username: user for user in users}
    rows = []
    for username, (_name, role) in FIXED_ACCOUNTS.items():
        user = by_username.get(username)
        if user is None:
            continue
        assignment = next((a for a in user.role_assignments.all() if a.role == role), None)
        if assignment is None or assignment.area is None:
            scope = _("Everywhere")
        elif assignment.unit is not None:
            scope = f"{assignment.area.name} · {assignment.unit.name}"
        else:
            scope = assignment.area.name
        rows.append(AccountRow(username, user.full_name, str(Role(role).label), scope))
    return rows


def demo_counts() -> dict[str, int]:
    """How many streets, communities, grids, units and users the database holds."""
    levels = Area.objects.filter(code__startswith=DISTRICT_CODE)
    return {
        "streets": levels.filter(level=AreaLevel.STREET).count(),
        "communities": levels.filter(level=AreaLevel.COMMUNITY).count(),
        "grids": levels.filter(level=AreaLevel.GRID).count(),
        "units": Unit.objects.filter(area__code__startswith=DISTRICT_CODE).count(),
        "users": User.objects.count(),
    }
