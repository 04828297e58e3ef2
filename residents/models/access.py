"""The access log: every reveal of a protected value and every export, append-only."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from residents.choices import AccessAction, ProtectedField


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an access-log row."""


class AccessLog(models.Model):
    """Who saw or took out personal data, when, which record, which field, and why."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("who"),
    )  # fmt: skip
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    field = models.CharField(_("field"), max_length=20, choices=ProtectedField.choices, blank=True)
    target_type = models.CharField(_("record type"), max_length=60)
    target_id = models.CharField(_("record id"), max_length=40, blank=True)
    target_repr = models.CharField(_("record"), max_length=200)
    reason = models.TextField(_("reason"), blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-created_at", "-id"]
        default_permissions = ("view",)
        indexes = [models.Index(fields=["target_type", "target_id"], name="access_log_target")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.target_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("access-log entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("access-log entries are never deleted")
