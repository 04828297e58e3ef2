"""The background worker for real: a Celery worker consuming the configured broker (Redis in CI,
the file-system queue otherwise) runs the project's tasks against the test database."""

import time

import pytest
from django.core.cache import cache

from governance.tasks import HEARTBEAT_KEY, heartbeat, ping

pytestmark = pytest.mark.celery


def test_a_worker_consumes_the_queue_and_returns_the_result(celery_worker):
    assert ping.delay("网格").get(timeout=20) == "网格"


def test_the_heartbeat_task_records_when_a_worker_last_ran(celery_worker):
    cache.delete(HEARTBEAT_KEY)

    heartbeat.delay()  # it keeps no result (it runs every minute): watch its effect instead

    deadline = time.monotonic() + 20
    while cache.get(HEARTBEAT_KEY) is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert cache.get(HEARTBEAT_KEY) is not None
