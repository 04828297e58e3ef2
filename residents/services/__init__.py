"""Writes to the registry. Views, the API, commands, the admin and the demo all call these."""

from residents.services.access import log_export, may_export, may_reveal, reveal
from residents.services.care import (
    interval_set,
    membership_change_level,
    membership_create,
    membership_end,
    membership_helper_add,
    membership_helper_remove,
    membership_update,
    visit_record,
)
from residents.services.households import (
    household_add_member,
    household_create,
    household_remove_member,
    household_set_head,
    household_split,
    household_update,
)
from residents.services.importer import (
    HEADERS,
    ImportReport,
    RowProblem,
    residents_import,
    residents_import_file,
)
from residents.services.people import (
    may_move,
    resident_create,
    resident_move,
    resident_set_status,
    resident_update,
)
from residents.services.places import building_create, building_update, house_create, house_update
from residents.services.rentals import rental_create, rental_end, rental_inspect
from residents.services.venues import venue_create, venue_inspect, venue_update

__all__ = [
    "HEADERS",
    "ImportReport",
    "RowProblem",
    "building_create",
    "building_update",
    "house_create",
    "house_update",
    "household_add_member",
    "household_create",
    "household_remove_member",
    "household_set_head",
    "household_split",
    "household_update",
    "interval_set",
    "log_export",
    "may_export",
    "may_move",
    "may_reveal",
    "membership_change_level",
    "membership_create",
    "membership_end",
    "membership_helper_add",
    "membership_helper_remove",
    "membership_update",
    "rental_create",
    "rental_end",
    "rental_inspect",
    "resident_create",
    "resident_move",
    "resident_set_status",
    "resident_update",
    "residents_import",
    "residents_import_file",
    "reveal",
    "venue_create",
    "venue_inspect",
    "venue_update",
    "visit_record",
]  # fmt: skip
