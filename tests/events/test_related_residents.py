"""An event may concern residents of the registry: linked only by someone who may see them,
shown (masked) only to those who may see them."""

import pytest
from django.core.exceptions import ValidationError

from tests.events.helpers import report
from tests.residents.conftest import build_registry


@pytest.fixture
def registry(world):
    return build_registry(world)


def test_a_worker_links_a_resident_of_their_grid(world, police_item, registry, client_for):
    event = report(world, police_item, related_residents=[registry.resident_a])
    assert list(event.related_residents.all()) == [registry.resident_a]
    page = client_for("worker").get(f"/events/{event.pk}/").content.decode()
    assert registry.resident_a.id_number_masked in page
    api = client_for("worker").get(f"/api/v1/events/{event.pk}/").json()
    assert api["related_residents"] == [registry.resident_a.pk]


def test_a_resident_the_reporter_cannot_see_is_refused(world, police_item, registry):
    with pytest.raises(ValidationError) as caught:
        report(world, police_item, related_residents=[registry.resident_b])
    assert "related_residents" in caught.value.message_dict


def test_a_viewer_who_may_not_see_residents_sees_no_names(world, police_item, registry,
                                                          client_for):  # fmt: skip
    event = report(world, police_item, related_residents=[registry.resident_a])
    page = client_for("mediator").get(f"/events/{event.pk}/").content.decode()
    assert registry.resident_a.id_number_masked not in page
