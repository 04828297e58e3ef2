"""Choice sets of the working-time calendar."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    """How a dated entry departs from the Monday-Friday rule."""

    HOLIDAY = "holiday", _("Statutory holiday")
    WORKDAY = "workday", _("Make-up workday")


class DaySource(models.TextChoices):
    """Where an entry came from: a refill from the package never overwrites a hand-made one."""

    PACKAGE = "package", _("chinese-calendar package")
    MANUAL = "manual", _("Entered by hand")
