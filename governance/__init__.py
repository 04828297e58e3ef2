"""The project package: settings, URLs, the Celery app and what cuts across apps."""

from governance.celery import app as celery_app

__all__ = ["celery_app"]
