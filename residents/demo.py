# ruff: noqa: RUF001 (demo text is Chinese, with Chinese punctuation)
"""Demo data for the registry: buildings on the map, houses, a few thousand residents, rentals
(some expired), special-care memberships (some overdue) and venues (some not inspected this
month). Called at the end of ``governance.demo.build_demo``; every write goes through the
services (residents through the same set-based importer that reads Excel files), so the demo
passes the same checks and leaves the same audit trail as real work would.
"""

from __future__ import annotations

import datetime
import random

import shapely
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import shape

from governance.demo import GIVEN_FEMALE, GIVEN_MALE, SURNAMES, Demo
from governance.excel import SheetRow
from residents import services
from residents.choices import (
    ETHNICITY_ZH,
    REGISTRATION_ZH,
    RELATION_ZH,
    CareLevel,
    InspectionResult,
    Relation,
    VenueType,
    VisitMethod,
)
from residents.defaults import install_default_groups
from residents.identity import check_digit
from residents.models import Building, CareGroup, House, Resident
from residents.services.importer import HEADERS

# Buildings per grid: the fixed accounts' grids get a full registry, the others a sample.
BUSY_GRID_BUILDINGS = 8
OTHER_GRID_BUILDINGS = (2, 3)
ROADS = [
    "解放路", "夷陵大道", "云集路", "东山大道", "西陵一路", "西陵二路", "珍珠路", "胜利四路",
    "沿江大道", "北山坡路",
]  # fmt: skip
FINDINGS = (
    "情况稳定，生活正常。", "家中无异常，已提醒按时服药。", "反映水管漏水，已联系物业。",
    "身体状况良好，情绪稳定。",
)  # fmt: skip
# Regions of people born elsewhere (floating population): Hubei, Sichuan, Henan, Jiangxi…
HOME_REGIONS = ["420502", "420503", "420506", "420581", "420106", "421081"]
AWAY_REGIONS = ["511321", "411323", "362502", "430602", "500228", "522422"]
OTHER_ETHNICITIES = ["15", "03", "06"]  # 土家, 回, 苗: Yichang's largest minorities
VENUES = [
    (VenueType.HOTEL, "{road}如家快捷酒店"), (VenueType.INTERNET_CAFE, "网鱼网咖({road}店)"),
    (VenueType.ENTERTAINMENT, "{road}欢唱KTV"), (VenueType.CONSTRUCTION, "{road}安置房二期工地"),
    (VenueType.HOTEL, "{road}宾馆"),
]  # fmt: skip


def _point_in(grid, rng: random.Random) -> tuple[float, float]:
    polygon = shape(grid.boundary)
    shapely.prepare(polygon)
    minx, miny, maxx, maxy = polygon.bounds
    while True:
        lng, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if polygon.contains(shapely.Point(lng, lat)):
            return round(lng, 6), round(lat, 6)


class _People:
    """Plausible names, valid ID numbers and phones, never the same twice."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.ids: set[str] = set()

    def name(self, male: bool, surname: str | None = None) -> str:
        pool = GIVEN_MALE if male else GIVEN_FEMALE
        given = "".join(self.rng.choice(pool) for _ in range(self.rng.choice((1, 2, 2))))
        return (surname or self.rng.choice(SURNAMES)) + given

    def id_number(self, birth: datetime.date, male: bool, away: bool) -> str:
        while True:
            region = self.rng.choice(AWAY_REGIONS if away else HOME_REGIONS)
            sequence = self.rng.randrange(0, 500) * 2 + (1 if male else 0)
            first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
            number = first17 + check_digit(first17)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def phone(self) -> str:
        prefix = self.rng.choice(("138", "139", "137", "150", "152", "158", "186", "187", "133"))
        return f"{prefix}{self.rng.randrange(10**8):08d}"

    def birth(self, lo: int, hi: int, today: datetime.date) -> datetime.date:
        return today - datetime.timedelta(days=self.rng.randint(lo * 365, hi * 365))


def build_residents(demo: Demo) -> None:
    """Buildings, houses and residents in every grid; rentals, special care and venues."""
    rng = demo.rng("residents")
    admin = demo.admin
    today = timezone.localdate()
    people = _People(rng)
    busy = {demo.grid_a.pk, demo.grid_b.pk}
    rows: list[SheetRow] = []
    number = 1
    for grid in demo.grids:
        count = BUSY_GRID_BUILDINGS if grid.pk in busy else rng.randint(*OTHER_GRID_BUILDINGS)
        road = rng.choice(ROADS)
        for index in range(1, count + 1):
            lng, lat = _point_in(grid, rng)
            floors, units = rng.choice(((6, 2), (7, 2), (11, 1), (18, 2), (5, 3)))
            building = services.building_create(
                actor=admin, name=f"{index}栋", grid=grid, lng=lng, lat=lat, floors=floors,
                units=units, address=f"{road}{rng.randint(1, 200)}号",
            )  # fmt: skip
            rooms = (4 if grid.pk in busy else 2) * units
            for _room in range(rooms):
                unit = rng.randint(1, units)
                floor = rng.randint(1, floors)
                room = f"{floor}{rng.randint(1, 4):02d}"
                for cells in _household(people, rng, today):
                    number += 1
                    rows.append(SheetRow(number, {
                        **cells, "网格编码": grid.code, "楼栋": building.name, "单元": str(unit),
                        "房号": room,
                    }))  # fmt: skip
    rows = _one_household_per_room(rows)
    report = services.residents_import(actor=admin, rows=rows, skip_invalid=True)
    demo.say(
        _("Residents: %(n)s in %(b)s buildings.")
        % {"n": report.created, "b": Building.objects.filter(grid__in=demo.grids).count()}
    )
    _rentals(demo, rng, today)
    _care(demo, rng, today)
    _venues(demo, rng, today, people)


def _household(people: _People, rng: random.Random, today) -> list[dict]:
    """One household as template rows: a head, often a spouse, children, a grandparent."""
    away = rng.random() < 0.2
    surname = rng.choice(SURNAMES)
    registration = REGISTRATION_ZH["floating" if away else "local"]
    ethnicity = ETHNICITY_ZH[rng.choice(OTHER_ETHNICITIES)] if rng.random() < 0.08 else "汉"
    male = rng.random() < 0.6
    members = [(Relation.HEAD, male, surname, people.birth(28, 75, today))]
    if rng.random() < 0.75:
        members.append((Relation.SPOUSE, not male, None, people.birth(26, 72, today)))
    for _child in range(rng.choice((0, 1, 1, 2))):
        members.append((Relation.CHILD, rng.random() < 0.5, surname, people.birth(1, 25, today)))
    if rng.random() < 0.15:
        members.append((Relation.PARENT, rng.random() < 0.4, surname, people.birth(70, 90, today)))
    rows = []
    for relation, is_male, family, born in members:
        rows.append({
            "姓名": people.name(is_male, family),
            "公民身份号码": people.id_number(born, is_male, away),
            "联系电话": people.phone() if relation in (Relation.HEAD, Relation.SPOUSE) else "",
            "民族": ethnicity, "户籍类型": registration, "与户主关系": RELATION_ZH[relation],
            "备注": "",
        })  # fmt: skip
    return rows


def _one_household_per_room(rows: list[SheetRow]) -> list[SheetRow]:
    """Random rooms can repeat; keep the first household drawn for each room."""
    owner: dict[tuple, str] = {}
    kept = []
    for row in rows:
        key = (row.cells["网格编码"], row.cells["楼栋"], row.cells["单元"], row.cells["房号"])
        household = row.cells["公民身份号码"] if row.cells["与户主关系"] == "户主" else None
        if household:
            owner.setdefault(key, household)
            current = household
        if owner.get(key) == current:
            kept.append(SheetRow(row.number, {h: row.cells.get(h, "") for h in HEADERS}))
    return kept


def _rentals(demo: Demo, rng: random.Random, today) -> None:
    """One house in eight is let; a quarter of those contracts have run out."""
    houses = list(
        House.objects.filter(building__grid__in=demo.grids).select_related("building__grid")
    )
    rng.shuffle(houses)
    people = _People(rng)
    made = 0
    for house in houses[: len(houses) // 8]:
        tenants = list(Resident.objects.filter(house=house))
        start = today - datetime.timedelta(days=rng.randint(30, 700))
        end = start + datetime.timedelta(days=rng.choice((180, 365, 730)))
        signed = rng.random() < 0.8
        services.rental_create(
            actor=demo.admin, house=house, landlord_name=people.name(rng.random() < 0.5),
            landlord_phone=people.phone(), tenants=tenants, contract_start=start,
            contract_end=end, letter_signed=signed, letter_signed_on=start if signed else None,
        )  # fmt: skip
        made += 1
    demo.say(_("Rentals: %(n)s.") % {"n": made})


def _care(demo: Demo, rng: random.Random, today) -> None:
    """About one resident in twenty-five in a special-care group; some visited recently, some
    overdue; the fixed grid workers' grids get several of each."""
    install_default_groups()
    groups = list(CareGroup.objects.filter(is_active=True))
    elderly = next(g for g in groups if g.code == "empty_nest_elderly")
    residents = list(Resident.objects.filter(grid__in=demo.grids).select_related("grid"))
    rng.shuffle(residents)
    chosen = residents[: len(residents) // 25]
    made = 0
    for resident in chosen:
        group = elderly if resident.age and resident.age >= 65 else rng.choice(groups)
        level = rng.choice(list(CareLevel.values))
        started = today - datetime.timedelta(days=rng.randint(40, 400))
        membership = services.membership_create(
            actor=demo.admin, resident=resident, group=group, level=level, started_on=started,
            helpers=[{"kind": "family", "name": _("family member")}] if level == 1 else [],
        )  # fmt: skip
        made += 1
        if rng.random() < 0.6:  # the rest stay overdue
            days_ago = rng.randint(0, membership.interval_days - 1)
            visited = timezone.now() - datetime.timedelta(days=days_ago, hours=rng.randint(1, 8))
            if timezone.localdate(visited) >= started:
                services.visit_record(
                    actor=demo.admin, membership=membership, visited_at=visited,
                    method=rng.choice(list(VisitMethod.values)),
                    finding=rng.choice(FINDINGS),
                )  # fmt: skip
    demo.say(_("Special-care memberships: %(n)s.") % {"n": made})


def _venues(demo: Demo, rng: random.Random, today, people: _People) -> None:
    """Venues in one grid of three (and in the fixed workers' grids); most inspected this
    month, the rest waiting."""
    made = 0
    for index, grid in enumerate(demo.grids):
        if index % 3 and grid.pk not in (demo.grid_a.pk, demo.grid_b.pk):
            continue
        road = rng.choice(ROADS)
        for venue_type, pattern in rng.sample(VENUES, 2):
            venue = services.venue_create(
                actor=demo.admin, grid=grid, name=pattern.format(road=road),
                venue_type=venue_type, address=f"{road}{rng.randint(1, 300)}号",
                contact_name=people.name(rng.random() < 0.5), contact_phone=people.phone(),
                licence_number=f"4205{rng.randrange(10**10):010d}",
            )  # fmt: skip
            made += 1
            if rng.random() < 0.65 and today.day > 1:
                services.venue_inspect(
                    actor=demo.admin, venue=venue,
                    inspected_on=today - datetime.timedelta(days=rng.randint(0, today.day - 1)),
                    result=rng.choice(list(InspectionResult.values)),
                    signed_off_by=venue.contact_name,
                )  # fmt: skip
    demo.say(_("Venues: %(n)s.") % {"n": made})
