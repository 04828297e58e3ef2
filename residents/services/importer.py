"""Import residents from the Excel template: one importer for the web upload and the command.

1. Read the sheet (``governance.excel.read_xlsx`` checks the header row).
2. Check every cell of every row and collect every problem with its row number, column and
   reason (rows of the template for 境外/港澳台 residents carry a permit or passport in the
   optional columns after 备注 instead of a citizen ID number): invisible characters,
   formula-like text, names, ID numbers (GB 11643), permits and passports, phones, ethnicity,
   registration type, grid (known, and inside the importer's scope), building, unit and room,
   relation; duplicates inside the file and against the database.
3. A row whose person is already registered under the same name in the same grid is left
   alone (importing the same file twice adds nobody).
4. All or nothing by default: one bad row and nothing is saved. With ``skip_invalid`` the good
   rows are saved and the bad ones reported.
5. Saving is set-based: missing buildings, houses and households, then the residents, then the
   audit rows, each with one ``bulk_create``, so 10,000 rows take seconds.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.audit.models import AuditEntry
from governance.excel import looks_like_formula, read_xlsx
from governance.scoping import user_scope
from grids.choices import AreaLevel
from grids.models import Area
from residents.choices import (
    DOCUMENT_ALIASES,
    DOCUMENT_ZH,
    ETHNICITY_ZH,
    REGISTRATION_ZH,
    RELATION_ALIASES,
    RELATION_ZH,
    SEX_ZH,
    DocumentType,
    RegistrationType,
    Relation,
)
from residents.identity import (
    check_document_number,
    check_id_number,
    check_name,
    check_phone,
    invisible_characters,
)
from residents.models import Building, House, Household, Resident
from residents.services.common import may
from residents.services.people import NOTES_MAX, identity_lookup, pinyin_of

NAME, ID, PHONE, ETHNICITY, REGISTRATION, GRID, BUILDING, UNIT, ROOM, RELATION, NOTES = (
    "姓名", "公民身份号码", "联系电话", "民族", "户籍类型", "网格编码", "楼栋", "单元", "房号",
    "与户主关系", "备注",
)  # fmt: skip
HEADERS = [NAME, ID, PHONE, ETHNICITY, REGISTRATION, GRID, BUILDING, UNIT, ROOM, RELATION, NOTES]
WIDTHS = [12, 22, 16, 10, 10, 18, 14, 8, 10, 12, 30]
# The template for residents from outside the mainland (境外 / 港澳台) has the same columns in the
# same order, then these optional ones after 备注; 公民身份号码 stays empty on their rows.
DOC_TYPE, DOC_NUMBER, NATIONALITY, SEX, BIRTH = (
    "证件类型",
    "证件号码",
    "国籍或地区",
    "性别",
    "出生日期",
)
OPTIONAL_HEADERS = [DOC_TYPE, DOC_NUMBER, NATIONALITY, SEX, BIRTH]
OVERSEAS_HEADERS = [*HEADERS, *OPTIONAL_HEADERS]
OVERSEAS_WIDTHS = [*WIDTHS, 22, 20, 14, 6, 12]
BATCH = 1000
IMPORT_PERM = "residents.import_resident"

ETHNICITY_BY_TEXT = {
    **{name: code for code, name in ETHNICITY_ZH.items()},
    **{f"{name}族": code for code, name in ETHNICITY_ZH.items()},
    **{code: code for code in ETHNICITY_ZH},
}
REGISTRATION_BY_TEXT = {text: value for value, text in REGISTRATION_ZH.items()}
RELATION_BY_TEXT = {**{t: v for v, t in RELATION_ZH.items()}, **RELATION_ALIASES}
DOCUMENT_BY_TEXT = {**{t: v for v, t in DOCUMENT_ZH.items()}, **DOCUMENT_ALIASES}


@dataclass(frozen=True)
class RowProblem:
    """Why one cell of one row was rejected."""

    row: int
    column: str
    reason: str


@dataclass
class ImportReport:
    """What an import found and did."""

    total: int = 0
    created: int = 0
    unchanged: list[int] = field(default_factory=list)  # rows already registered as they are
    problems: list[RowProblem] = field(default_factory=list)
    saved: bool = False
    buildings_created: int = 0
    houses_created: int = 0

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems})

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {
            "total": self.total, "created": self.created, "unchanged": self.unchanged,
            "rejected_rows": self.rejected_rows, "saved": self.saved,
            "problems": [{"row": p.row, "column": p.column, "reason": p.reason}
                         for p in self.problems],
        }  # fmt: skip


@dataclass
class _Row:
    number: int
    name: str = ""
    id_number: str = ""
    phone: str = ""
    ethnicity: str = ""
    registration: str = ""
    grid: Area | None = None
    building: str = ""
    unit: int = 1
    room: str = ""
    floor: int = 1
    relation: str = ""
    notes: str = ""
    hash: str = ""
    document_type: str = DocumentType.MAINLAND_ID
    nationality: str = ""
    sex: str = ""
    birth_date: datetime.date | None = None


class _Checker:
    """Checks one row at a time, remembering what earlier rows claimed."""

    def __init__(self, actor, report: ImportReport, grids: dict[str, Area]):
        self.actor = actor
        self.report = report
        self.grids = grids
        self.seen_ids: dict[str, int] = {}
        self.bad_rows: set[int] = set()

    def problem(self, row: int, column: str, reason: str) -> None:
        self.report.problems.append(RowProblem(row, column, reason))
        self.bad_rows.add(row)

    def cell(self, number: int, cells: dict, column: str) -> str | None:
        """The cell's text, or None (with a problem noted) if it cannot be trusted at all."""
        text = cells.get(column, "")
        invisible = invisible_characters(text)
        if invisible:
            self.problem(
                number, column,
                _("Contains invisible characters (%(chars)s); retype the value.")
                % {"chars": ", ".join(dict.fromkeys(invisible))},
            )  # fmt: skip
            return None
        text = text.strip()
        if looks_like_formula(text):
            self.problem(
                number, column,
                _("Starts with %(char)s, which a spreadsheet runs as a formula; remove it.")
                % {"char": text[0]},
            )  # fmt: skip
            return None
        return text

    def check(self, number: int, cells: dict) -> _Row | None:
        row = _Row(number)
        values = {column: self.cell(number, cells, column) for column in OVERSEAS_HEADERS}

        def run(column, function, *args):
            try:
                return function(*args)
            except ValidationError as exc:
                self.problem(number, column, " ".join(exc.messages))
                return None

        if values[NAME] is not None:
            row.name = run(NAME, check_name, values[NAME]) or ""
        # A permit or passport (overseas template) or else the resident ID card number.
        if self._document(row, values) is None and values[ID] is not None:
            if not values[ID]:
                self.problem(number, ID, _("The ID number is empty."))
            else:
                facts = run(ID, check_id_number, values[ID])
                if facts is not None:
                    row.id_number = facts.number
                    earlier = self.seen_ids.get(facts.number)
                    if earlier is not None:
                        self.problem(
                            number, ID,
                            _("The same ID number is already on row %(row)s.") % {"row": earlier},
                        )  # fmt: skip
                    else:
                        self.seen_ids[facts.number] = number
        if values[PHONE]:
            row.phone = run(PHONE, check_phone, values[PHONE]) or ""
        self._choices(row, values)
        self._place(row, values)
        if values[NOTES] is not None:
            if len(values[NOTES]) > NOTES_MAX:
                self.problem(
                    number, NOTES, _("Notes hold at most %(n)s characters.") % {"n": NOTES_MAX}
                )
            row.notes = values[NOTES]
        return None if number in self.bad_rows else row

    def _document(self, row: _Row, values: dict) -> str | None:
        """For a row with a permit or passport (the overseas template): check the document
        columns and return the document type; None for a mainland ID row."""
        number = row.number
        kind_text, doc_number = values[DOC_TYPE], values[DOC_NUMBER]
        if kind_text is None or doc_number is None:
            return ""  # already reported as untrustworthy
        if not kind_text:
            if doc_number:
                self.problem(number, DOC_TYPE, _("Give the document type of this number."))
                return ""
            return None
        kind = DOCUMENT_BY_TEXT.get(kind_text)
        if kind is None:
            row.document_type = ""  # unknown: no other column is blamed for it
            self.problem(
                number, DOC_TYPE,
                _("Unknown document type; write one of: %(choices)s.")
                % {"choices": "、".join(DOCUMENT_ZH.values())},
            )  # fmt: skip
            return ""
        if kind == DocumentType.MAINLAND_ID:
            if doc_number:
                self.problem(
                    number, DOC_NUMBER, _("Put a resident ID card number in 公民身份号码.")
                )
                return ""
            return None
        row.document_type = kind
        if values[ID]:
            self.problem(
                number, ID,
                _(
                    "Leave 公民身份号码 empty for a permit or passport; its number goes in "
                    "证件号码."
                ),
            )  # fmt: skip
        if not doc_number:
            self.problem(number, DOC_NUMBER, _("The document number is empty."))
        else:
            try:
                row.id_number = check_document_number(doc_number)
            except ValidationError as exc:
                self.problem(number, DOC_NUMBER, " ".join(exc.messages))
            else:
                key = f"{kind}:{row.id_number}"
                earlier = self.seen_ids.get(key)
                if earlier is not None:
                    self.problem(
                        number, DOC_NUMBER,
                        _("The same document is already on row %(row)s.") % {"row": earlier},
                    )  # fmt: skip
                else:
                    self.seen_ids[key] = number
        self._person(row, values)
        return kind

    def _person(self, row: _Row, values: dict) -> None:
        """Nationality, sex and birth date of a permit or passport holder."""
        number = row.number
        nationality = values[NATIONALITY]
        if nationality is not None:
            if not nationality:
                self.problem(number, NATIONALITY, _("Give the nationality or region."))
            elif len(nationality) > 50:
                self.problem(number, NATIONALITY, _("At most 50 characters."))
            row.nationality = nationality or ""
        if values[SEX]:
            row.sex = SEX_ZH.get(values[SEX], "")
            if not row.sex:
                self.problem(number, SEX, _("Write 男 or 女, or leave it empty."))
        if values[BIRTH]:
            try:
                row.birth_date = datetime.date.fromisoformat(values[BIRTH])
            except ValueError:
                self.problem(number, BIRTH, _("Write the date as 1990-05-31."))
            else:
                if row.birth_date > timezone.localdate():
                    self.problem(number, BIRTH, _("The birth date is in the future."))

    def _choices(self, row: _Row, values: dict) -> None:
        number = row.number
        if values[ETHNICITY] is not None:
            row.ethnicity = ETHNICITY_BY_TEXT.get(values[ETHNICITY], "")
            overseas_without = (
                not values[ETHNICITY]
                and REGISTRATION_BY_TEXT.get(values[REGISTRATION] or "")
                == RegistrationType.OVERSEAS
            )
            if not row.ethnicity and not overseas_without:
                self.problem(
                    number, ETHNICITY,
                    _("Not one of the 56 nationalities (write e.g. 汉族 or 汉)."),
                )  # fmt: skip
        if values[REGISTRATION] is not None:
            row.registration = REGISTRATION_BY_TEXT.get(values[REGISTRATION], "")
            if not row.registration:
                self.problem(number, REGISTRATION, _("Write 户籍, 流动 or 境外."))
            elif (
                row.registration == RegistrationType.OVERSEAS
                and row.document_type == DocumentType.MAINLAND_ID
            ):
                self.problem(
                    number, REGISTRATION,
                    _("Residents from outside the mainland have no citizen ID number: use the "
                      "template for 境外/港澳台 residents and fill in 证件类型 and 证件号码."),
                )  # fmt: skip
        if values[RELATION] is not None:
            row.relation = RELATION_BY_TEXT.get(values[RELATION], "")
            if not row.relation:
                self.problem(
                    number, RELATION,
                    _("Unknown relation; write one of: %(choices)s.")
                    % {"choices": "、".join(RELATION_ZH.values())},
                )  # fmt: skip

    def _place(self, row: _Row, values: dict) -> None:
        number = row.number
        code = values[GRID]
        if code is not None:
            grid = self.grids.get(code)
            if not code:
                self.problem(number, GRID, _("The grid code is empty."))
            elif grid is None:
                self.problem(number, GRID, _("No grid has the code %(code)s.") % {"code": code})
            elif not may(self.actor, Resident, "import", grid.code):
                self.problem(
                    number, GRID,
                    _("Grid %(code)s is outside the area you may register residents in.")
                    % {"code": code},
                )  # fmt: skip
            else:
                row.grid = grid
        if values[BUILDING] is None or values[UNIT] is None or values[ROOM] is None:
            return
        row.building = values[BUILDING]
        if len(row.building) > 60:
            self.problem(number, BUILDING, _("At most 60 characters."))
        if not row.building:
            if values[UNIT] or values[ROOM]:
                self.problem(number, BUILDING, _("Give the building of this unit and room."))
            return
        unit_text = values[UNIT] or "1"
        if not (unit_text.isascii() and unit_text.isdigit() and 1 <= int(unit_text) <= 50):
            self.problem(number, UNIT, _("The unit is a number from 1 to 50."))
        else:
            row.unit = int(unit_text)
        row.room = values[ROOM]
        if not row.room:
            self.problem(number, ROOM, _("Give the room number."))
        elif len(row.room) > 20 or not row.room.isascii():
            self.problem(number, ROOM, _("A room number is at most 20 ordinary letters or digits."))
        else:
            digits = re.match(r"^(-?\d+?)(\d{2})$", row.room)
            row.floor = int(digits.group(1)) if digits and int(digits.group(1)) != 0 else 1


def _grids(rows) -> dict[str, Area]:
    codes = {r.cells.get(GRID, "").strip() for r in rows}
    found = Area.objects.filter(code__in=codes, level=AreaLevel.GRID, is_active=True)
    return {grid.code: grid for grid in found}


def read_rows(upload):
    """The rows of either template: the overseas one (the required columns, then the optional
    document columns) or the standard one; the standard header is what an error names."""
    try:
        return read_xlsx(upload, headers=OVERSEAS_HEADERS)
    except ValidationError as exc:
        if getattr(exc, "code", None) != "headers":
            raise
    return read_xlsx(upload, headers=HEADERS)


def residents_import_file(*, actor, upload, skip_invalid: bool = False) -> ImportReport:
    """Read an uploaded workbook and import it (see ``residents_import``)."""
    rows = read_rows(upload)
    return residents_import(actor=actor, rows=rows, skip_invalid=skip_invalid)


@transaction.atomic
def residents_import(*, actor, rows, skip_invalid: bool = False) -> ImportReport:
    """Check every row, then save all of them, or (``skip_invalid``) the valid ones."""
    if not user_scope(actor, IMPORT_PERM):
        raise PermissionDenied(_("Your role may not import residents."))
    report = ImportReport(total=len(rows))
    checker = _Checker(actor, report, _grids(rows))
    checked = [row for row in (checker.check(r.number, r.cells) for r in rows) if row]

    # Against the database: a person already registered is left alone if the record agrees
    # (same name, same grid), else the row is refused.
    for row in checked:
        row.hash = Resident.lookup_hash(
            "id_number", identity_lookup(row.document_type, row.id_number)
        )
    existing = {}
    hashes = [row.hash for row in checked]
    for start in range(0, len(hashes), BATCH):
        for found in Resident.objects.filter(id_number_hash__in=hashes[start : start + BATCH]).only(
            "id", "name", "grid_id", "id_number_hash"
        ):
            existing[found.id_number_hash] = found
    fresh = []
    for row in checked:
        found = existing.get(row.hash)
        if found is None:
            fresh.append(row)
        elif found.name == row.name and found.grid_id == row.grid.pk:
            report.unchanged.append(row.number)
        else:
            checker.problem(
                row.number, ID,
                _("This person is already registered elsewhere or under another name; "
                  "one person is one record."),
            )  # fmt: skip
    places = _Places(actor, checker)
    fresh = [row for row in fresh if places.check(row)]
    report.problems.sort(key=lambda p: (p.row, OVERSEAS_HEADERS.index(p.column)))
    if report.problems and not skip_invalid:
        return report
    try:
        with transaction.atomic():
            _save(actor, fresh, places, report)
    except IntegrityError:
        raise ValidationError(
            _(
                "Someone registered some of these people while the file was being imported; "
                "import it again."
            )
        ) from None
    report.saved = True
    return report


class _Places:
    """Buildings and houses the rows name: found, or to be made."""

    def __init__(self, actor, checker: _Checker):
        self.actor = actor
        self.checker = checker
        self.buildings: dict[tuple[int, str], Building] = {}
        self.houses: dict[tuple[int, str, int, str], House] = {}
        self.heads: dict[tuple, int] = {}
        self._loaded: set[int] = set()

    def _load(self, grid: Area) -> None:
        if grid.pk in self._loaded:
            return
        self._loaded.add(grid.pk)
        for building in Building.objects.filter(grid=grid):
            self.buildings[(grid.pk, building.name)] = building
        houses = House.objects.filter(building__grid=grid).select_related("building")
        with_head = set(
            Household.objects.filter(house__building__grid=grid, head__isnull=False).values_list(
                "house_id", flat=True
            )
        )
        for house in houses:
            key = (grid.pk, house.building.name, house.unit, house.room)
            self.houses[key] = house
            if house.pk in with_head:
                self.heads[key] = 0

    def check(self, row: _Row) -> bool:
        if not row.building:
            return True
        grid = row.grid
        self._load(grid)
        key = (grid.pk, row.building, row.unit, row.room)
        building = self.buildings.get((grid.pk, row.building))
        if building is None:
            if not may(self.actor, Building, "add", grid.code):
                self.checker.problem(
                    row.number, BUILDING, _("No such building, and you may not add one here.")
                )
                return False
        elif building.pk is not None:
            if row.unit > building.units:
                self.checker.problem(
                    row.number, UNIT,
                    _("%(building)s has %(n)s units.") % {"building": building.name,
                                                           "n": building.units},
                )  # fmt: skip
                return False
            if key not in self.houses and row.floor > building.floors:
                self.checker.problem(
                    row.number, ROOM,
                    _("Room %(room)s would be on floor %(floor)s; %(building)s has %(n)s floors.")
                    % {"room": row.room, "floor": row.floor, "building": building.name,
                       "n": building.floors},
                )  # fmt: skip
                return False
        if row.relation == Relation.HEAD:
            earlier = self.heads.get(key)
            if earlier is not None:
                reason = (
                    _("This house's household already has a head.")
                    if earlier == 0
                    else _("Row %(row)s already names the head of this house.") % {"row": earlier}
                )
                self.checker.problem(row.number, RELATION, reason)
                return False
            self.heads[key] = row.number
        return True

    def save(self, rows: list[_Row], report: ImportReport) -> dict:
        """Make the missing buildings, houses and households; {house key: (house, household)}."""
        new_buildings: dict[tuple[int, str], Building] = {}
        for row in rows:
            if not row.building:
                continue
            key = (row.grid.pk, row.building)
            if key in self.buildings:
                continue
            building = new_buildings.get(key)
            if building is None:
                building = new_buildings[key] = Building(grid=row.grid, name=row.building)
            building.units = max(building.units, row.unit)
            building.floors = max(building.floors, row.floor)
        Building.objects.bulk_create(new_buildings.values())
        self.buildings.update(new_buildings)
        report.buildings_created = len(new_buildings)

        new_houses = {}
        for row in rows:
            if not row.building:
                continue
            key = (row.grid.pk, row.building, row.unit, row.room)
            if key not in self.houses and key not in new_houses:
                new_houses[key] = House(
                    building=self.buildings[(row.grid.pk, row.building)],
                    unit=row.unit, floor=row.floor, room=row.room,
                )  # fmt: skip
        House.objects.bulk_create(new_houses.values())
        self.houses.update(new_houses)
        report.houses_created = len(new_houses)

        used = {self.houses[(r.grid.pk, r.building, r.unit, r.room)].pk for r in rows if r.building}
        households = {}
        for household in Household.objects.filter(house_id__in=used).order_by("-id"):
            households[household.house_id] = household  # the oldest wins
        new_households = [
            Household(grid_id=house.building.grid_id, house=house)
            for house in {self.houses[k].pk: self.houses[k] for k in self.houses}.values()
            if house.pk in used and house.pk not in households
        ]
        Household.objects.bulk_create(new_households)
        households.update({h.house_id: h for h in new_households})
        return households


def _save(actor, rows: list[_Row], places: _Places, report: ImportReport) -> None:
    households = places.save(rows, report)
    residents = []
    for row in rows:
        house = (
            places.houses[(row.grid.pk, row.building, row.unit, row.room)] if row.building else None
        )
        if row.document_type == DocumentType.MAINLAND_ID:
            facts = check_id_number(row.id_number)
            birth_date, sex = facts.birth_date, facts.sex
        else:
            birth_date, sex = row.birth_date, row.sex
        resident = Resident(
            grid=row.grid, house=house, household=households.get(house.pk) if house else None,
            relation=row.relation, name=row.name, document_type=row.document_type,
            birth_date=birth_date, sex=sex, ethnicity=row.ethnicity,
            nationality=row.nationality, registration_type=row.registration, notes=row.notes,
            created_by=actor,
        )  # fmt: skip
        resident.name_initials, resident.name_pinyin = pinyin_of(row.name)
        resident.protect(
            "id_number", row.id_number,
            lookup=identity_lookup(row.document_type, row.id_number),
        )  # fmt: skip
        resident.protect("phone", row.phone)
        residents.append(resident)
    Resident.objects.bulk_create(residents, batch_size=BATCH)
    heads = []
    for resident in residents:
        if resident.relation == Relation.HEAD and resident.household is not None:
            resident.household.head = resident
            heads.append(resident.household)
    Household.objects.bulk_update(heads, ["head"], batch_size=BATCH)
    grid_codes = defaultdict(int)
    entries = []
    for resident in residents:
        grid_codes[resident.grid.code] += 1
        entries.append(
            AuditEntry(
                actor=actor,
                action="resident.import",
                target_type="residents.resident",
                target_id=str(resident.pk),
                target_repr=resident.name,
                detail={"grid": resident.grid.code},
            )
        )
    AuditEntry.objects.bulk_create(entries, batch_size=BATCH)
    report.created = len(residents)
