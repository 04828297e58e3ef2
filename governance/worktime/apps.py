from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WorktimeConfig(AppConfig):
    name = "governance.worktime"
    label = "worktime"
    verbose_name = _("Working-time calendar")

    def ready(self) -> None:
        from governance.worktime.holidays import load_after_migrate

        # After every migrate (and every flush, which tests do), the years the
        # chinese-calendar package covers and the database has not loaded yet are loaded.
        post_migrate.connect(load_after_migrate, sender=self, dispatch_uid="worktime-holidays")
