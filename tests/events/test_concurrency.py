"""Races on PostgreSQL: two dispatchers grabbing the same event at the same moment, many
reports filed at once. Each thread has its own database connection; a barrier releases them
together."""

import pytest
from django.db import connection

from events import services
from events.catalogue import ensure_catalogue
from events.models import Event, FlowEntry, ServiceCategory
from events.services.guards import Conflict
from governance.accounts.roles import Role
from governance.accounts.services import role_assign, user_create
from tests.events.helpers import report, run_together
from tests.factories import PASSWORD, build_world

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are what is tested; SQLite serialises whole transactions instead",
)


@pytest.fixture
def committed_world(transactional_db):
    world = build_world()
    ensure_catalogue()
    root = world.users["admin"]
    second = user_create(actor=root, username="street2", password=PASSWORD, full_name="钱调度")
    role_assign(actor=root, user=second, role=Role.STREET_DISPATCHER, area=world.street_a)
    world.users["street2"] = second
    world.item = services.service_item_create(
        actor=root, code="T0002", category=ServiceCategory.objects.get(code="0102"),
        name="并发测试事项", responsible_kind="department", department_type="police",
        closing_level="street",
    )  # fmt: skip
    return world


def test_two_dispatchers_grabbing_at_once_one_wins_and_the_other_is_told(committed_world):
    world = committed_world
    event = report(world, world.item)

    def grab_as(username):
        def job():
            mine = Event.objects.get(pk=event.pk)  # what this dispatcher's page showed
            return services.event_grab(event=mine, actor=world.users[username]).status

        return job

    outcomes = run_together(grab_as("street"), grab_as("street2"))

    wins = [o for o in outcomes if o[0] == "ok"]
    losses = [o[1] for o in outcomes if o[0] == "error"]
    assert len(wins) == 1
    assert len(losses) == 1
    assert isinstance(losses[0], Conflict), losses[0]
    assert event.number in losses[0].messages[0]
    assert FlowEntry.objects.filter(event=event, action="grab").count() == 1
    assert Event.objects.get(pk=event.pk).status == "grabbed"


def test_reports_filed_at_the_same_moment_get_distinct_consecutive_numbers(committed_world):
    world = committed_world
    jobs = [lambda: report(world, world.item).number for _ in range(6)]

    outcomes = run_together(*jobs)

    numbers = sorted(o[1] for o in outcomes if o[0] == "ok")
    assert len(numbers) == 6, outcomes
    suffixes = [int(n.rsplit("-", 1)[1]) for n in numbers]
    assert suffixes == list(range(1, 7))
