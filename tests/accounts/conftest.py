"""Fixtures of the staff-page tests."""

from dataclasses import replace

import pytest
from django.conf import settings

from governance.accounts.roles import ROLE_RULES, Role
from grids.models import Area


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The world creates a dozen accounts; PBKDF2 would spend seconds per test hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def english_client_for(client_for):
    """``client_for`` with the interface in English, to compare messages word for word."""

    def make(persona: str):
        client = client_for(persona)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


@pytest.fixture
def street_manages_staff(monkeypatch):
    """Let street dispatchers manage the staff of their street (no role does so yet except
    the administrator, whose scope is everywhere; this shows how a scoped manager is held to
    their street)."""
    current = ROLE_RULES[Role.STREET_DISPATCHER]
    granted = current.permissions | {"accounts.change_user"}
    monkeypatch.setitem(ROLE_RULES, Role.STREET_DISPATCHER, replace(current, permissions=granted))


@pytest.fixture
def deactivate():
    """Retire an area for a test. Not through grids.services.area_update, which fails on
    PostgreSQL ("FOR UPDATE cannot be applied to the nullable side of an outer join": it locks
    the area with select_related("parent"), a nullable join)."""

    def retire(area: Area) -> None:
        Area.objects.filter(pk=area.pk).update(is_active=False)

    return retire
