"""The registry's models, one module per part (places, people, rentals, care, venues, access)."""

from residents.models.access import AccessLog, AppendOnlyError
from residents.models.care import (
    CareGroup,
    CareGroupAccess,
    CareHelper,
    CareInterval,
    CareLevelChange,
    CareMembership,
    Visit,
)
from residents.models.people import Household, Resident
from residents.models.places import Building, House
from residents.models.rentals import Rental, RentalInspection
from residents.models.venues import Venue, VenueInspection

__all__ = [
    "AccessLog",
    "AppendOnlyError",
    "Building",
    "CareGroup",
    "CareGroupAccess",
    "CareHelper",
    "CareInterval",
    "CareLevelChange",
    "CareMembership",
    "House",
    "Household",
    "Rental",
    "RentalInspection",
    "Resident",
    "Venue",
    "VenueInspection",
    "Visit",
]  # fmt: skip
