"""Fixtures shared by the whole suite: the test territory, personas, logged-in clients, a real
browser and a real Celery worker."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connections
from django.test import Client
from django.utils import translation

from tests.factories import PASSWORD, PERSONAS, World, build_world

# --- Database, cache, personas ---------------------------------------------------------------


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Each test starts with an empty in-memory cache (no state leaks through the cache)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english_messages(settings):
    """Tests read messages in the source language (English); the product defaults to zh-hans.

    Tests about the Chinese interface set ``settings.LANGUAGE_CODE = "zh-hans"`` (or a language
    cookie) themselves; browser pages from ``page_as`` are Chinese, as users see them.
    """
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hash test passwords with a cheap hasher: PBKDF2's deliberate cost is ~0.3 s per user."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # hashes made outside a test
    ]


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def client_for(world):
    """``client_for("worker")``: a test client logged in as that persona."""

    def make(persona: str) -> Client:
        assert persona in PERSONAS, persona
        client = Client()
        if persona != "anonymous":
            client.force_login(world.users[persona])
        return client

    return make


# --- A real browser (Playwright driving Debian's chromium) -----------------------------------

CHROMIUM = Path("/usr/bin/chromium")
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORTS = {"phone": (390, 844), "desktop": (1366, 900)}
SCREENSHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture
def browser(monkeypatch):
    """A headless chromium; skipped where Debian's chromium is missing (CI installs it)."""
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium (apt install chromium)")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous (Django's documented escape hatch for browser tests).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        yield chromium
        chromium.close()
        # A query made while Playwright's loop runs opens its own connection (Django keys
        # connections by context there); close it, or PostgreSQL cannot drop the test database.
        connections.close_all()


@pytest.fixture
def page_as(browser, live_server):
    """``page_as("worker", viewport="phone")``: a page logged in through the login form.

    The page collects browser errors (console errors, uncaught exceptions, CSP refusals) in
    ``page.problems``; tests assert it is empty at the end.
    """

    def make(
        username: str | None,
        *,
        viewport: str = "desktop",
        password: str = PASSWORD,
        language: str = "zh-hans",
    ):
        width, height = VIEWPORTS[viewport]
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        cookie = {"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language}
        context.add_cookies([{**cookie, "url": live_server.url}])
        page = context.new_page()
        page.problems = []
        page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: page.problems.append(str(exc)))
        page.base_url = live_server.url
        if username is not None:
            page.goto(f"{live_server.url}/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", password)
            page.click("form button[type=submit]")
            page.wait_for_url(f"{live_server.url}/")
        return page

    return make


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot as ``var/screenshots/<name>.png`` and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# --- A real Celery worker --------------------------------------------------------------------


@pytest.fixture
def celery_worker(transactional_db):
    """A Celery worker consuming the configured broker (Redis in CI) in a thread of this process.

    It runs the project's real tasks against the test database; tests that use it must commit
    their data (hence ``transactional_db``). Results go through the configured backend, so
    ``task.delay(...).get(timeout=...)`` waits for the worker for real.
    """
    from celery.contrib.testing.worker import start_worker

    from governance.celery import app, ensure_queue_folders

    ensure_queue_folders()
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker
