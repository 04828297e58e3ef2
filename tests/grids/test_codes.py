"""Area codes are paths: each level has its length and extends its parent's code."""

import pytest
from django.core.exceptions import ValidationError

from grids.choices import AreaLevel
from grids.models import Area
from grids.services import area_create

FULL_WIDTH_GRID_CODE = "４２０５０２００１００１００３"  # looks right, is not ASCII digits


def create(world, **fields):
    return area_create(actor=world.users["admin"], **fields)


def test_a_grid_code_that_does_not_extend_its_community_code_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        create(world, level=AreaLevel.GRID, code="420502002001009", name="错位网格",
               parent=world.community_a)  # fmt: skip
    assert exc.value.message_dict["code"] == [
        "The code must start with the code of 四方堰社区: 420502001001."
    ]
    assert not Area.objects.filter(code="420502002001009").exists()


@pytest.mark.parametrize(
    ("level", "code", "parent_name", "field", "message"),
    [
        (AreaLevel.GRID, "42050200100100", "community_a", "code", "exactly 15 digits"),
        (AreaLevel.GRID, "42050200100100X", "community_a", "code", "exactly 15 digits"),
        (AreaLevel.GRID, FULL_WIDTH_GRID_CODE, "community_a", "code", "exactly 15 digits"),
        (AreaLevel.COMMUNITY, "420502001009", "district", "parent", "belongs to a Street"),
        (AreaLevel.STREET, "420502009", None, "parent", "must belong to a District"),
        (AreaLevel.DISTRICT, "420503", "district", "parent", "has no parent"),
    ],
)
def test_a_code_or_parent_that_does_not_fit_the_tree_is_refused_at_its_field(
    world, level, code, parent_name, field, message
):
    parent = getattr(world, parent_name) if parent_name else None
    with pytest.raises(ValidationError) as exc:
        create(world, level=level, code=code, name="测试", parent=parent)
    assert message in " ".join(exc.value.message_dict[field])


def test_a_code_already_taken_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        create(world, level=AreaLevel.GRID, code=world.grid_a.code, name="重复",
               parent=world.community_a)  # fmt: skip
    assert "code" in exc.value.message_dict


def test_a_grid_that_fits_is_created_as_a_basic_grid_by_default(world):
    grid = create(world, level=AreaLevel.GRID, code="420502001001003", name="四方堰第三网格",
                  parent=world.community_a)  # fmt: skip
    assert grid.grid_type == "basic"
    assert grid.ancestor_codes() == ["420502", "420502001", "420502001001"]


def test_the_database_refuses_a_code_of_the_wrong_length_even_past_the_services(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Area.objects.create(level=AreaLevel.GRID, code="4205", name="x",
                            parent=world.community_a, grid_type="basic")  # fmt: skip
