"""The background worker for real: a Celery worker consuming the configured broker (Redis in CI,
the file-system queue otherwise) runs the project's tasks against the test database."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
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


def test_a_fresh_var_folder_can_queue_a_task_on_the_zero_setup_queue(tmp_path):
    """`make run` on a fresh clone: seed_demo queues notifications before any worker ever
    started, so the file-system queue's folders must exist for every process, not only for the
    worker."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["VAR_DIR"] = str(tmp_path / "var")
    queued = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); "
         "from governance.tasks import ping; print(ping.delay('网格').id)"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip

    assert queued.returncode == 0, queued.stderr
    messages = list((tmp_path / "var" / "celery" / "queue").iterdir())
    assert len(messages) == 1
