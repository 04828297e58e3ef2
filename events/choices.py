"""Choices of the event pipeline (the workflow states live in ``events.workflow``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    IMPORTANT = "important", _("Important")
    URGENT = "urgent", _("Important and urgent")


# Most urgent first, for sorting consoles (a CASE expression over these ranks).
URGENCY_RANK = {Urgency.URGENT: 3, Urgency.IMPORTANT: 2, Urgency.NORMAL: 1}


class Source(models.TextChoices):
    GRID_PATROL = "grid_patrol", _("Grid patrol")
    RESIDENT = "resident", _("Resident")
    HOTLINE = "hotline", _("Hotline 12345")
    PETITION = "petition", _("Petition")
    VIDEO = "video", _("Video or sensor alert")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    """The clocked stages of an event or task (their time limits live on the service item)."""

    SIGN = "sign", _("Sign for")
    HANDLE = "handle", _("Handle")
    VERIFY = "verify", _("Verify")


class ClosingLevel(models.TextChoices):
    """The lowest level that may close an event of a service item."""

    GRID = "grid", _("Grid")
    COMMUNITY = "community", _("Community")
    STREET = "street", _("Street")
    DISTRICT = "district", _("District")


CLOSING_ORDER = [
    ClosingLevel.GRID,
    ClosingLevel.COMMUNITY,
    ClosingLevel.STREET,
    ClosingLevel.DISTRICT,
]


class ResponsibleKind(models.TextChoices):
    """Who normally handles a service item (used to suggest a unit)."""

    COMMUNITY_STATION = "community_station", _("Community station of the grid")
    STREET_CENTRE = "street_centre", _("Street centre")
    DEPARTMENT = "department", _("Department of a type")
    DEFAULT_UNIT = "default_unit", _("A named unit")


class OwnerLevel(models.TextChoices):
    """Which dispatch centre holds an event that is not with a handling unit."""

    STREET = "street", _("Street")
    DISTRICT = "district", _("District")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")
    NOT_RATED = "not_rated", _("Not rated (closed automatically)")


GIVEN_RATINGS = [Rating.SATISFIED, Rating.BASICALLY_SATISFIED, Rating.UNSATISFIED]


class PhotoKind(models.TextChoices):
    REPORT = "report", pgettext_lazy("photo kind", "Report")
    RESULT = "result", pgettext_lazy("photo kind", "Result")
    VERIFICATION = "verification", _("Verification")
    SUPPLEMENT = "supplement", _("Supplement")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ClockStage(models.TextChoices):
    """The stage whose clock runs on an event or a task (issue 5: deadlines as columns).

    An event's own clock runs while it waits at a dispatch centre (dispatch) and while its
    result waits for verification on site (verify). While units hold it, the event mirrors its
    open tasks' clocks (sign for, handle): its colour is the worst of theirs. A task runs the
    sign-for clock, then the handling clock.
    """

    NONE = "", _("No clock")
    DISPATCH = "dispatch", _("Dispatch")
    SIGN = "sign", _("Sign for")
    HANDLE = "handle", _("Handle")
    VERIFY = "verify", _("Verify")


class AlertLevel(models.IntegerChoices):
    """How far the current stage's clock has run (the overdue colour, never the risk grade)."""

    NONE = 0, _("On time")
    BLUE = 1, _("Blue alert")
    YELLOW = 2, _("Yellow alert")
    ORANGE = 3, _("Orange alert")
    RED = 4, _("Red alert")


# The levels a clock climbs through, in order, and their codes in the API and in URLs.
RAISED_LEVELS = (AlertLevel.BLUE, AlertLevel.YELLOW, AlertLevel.ORANGE, AlertLevel.RED)
ALERT_CODES = {
    AlertLevel.NONE: "none",
    AlertLevel.BLUE: "blue",
    AlertLevel.YELLOW: "yellow",
    AlertLevel.ORANGE: "orange",
    AlertLevel.RED: "red",
}
LEVEL_OF_CODE = {code: level for level, code in ALERT_CODES.items()}
