"""One way to scope rows: restrict(user, action), role scopes by code prefix, guardian grants."""

import pytest
from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm

from governance.scoping import Scope, object_allowed
from grids.models import Area, Unit


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def test_a_grid_worker_sees_their_grid_and_nothing_above_or_beside_it(world):
    assert codes(Area.objects.restrict(world.users["worker"], "view")) == {world.grid_a.code}


def test_community_staff_see_their_community_and_its_grids(world):
    visible = codes(Area.objects.restrict(world.users["community"], "view"))
    assert visible == {world.community_a.code, world.grid_a.code, world.grid_a2.code}


def test_a_street_dispatcher_sees_their_street_down_to_its_grids(world):
    visible = codes(Area.objects.restrict(world.users["street"], "view"))
    assert visible == {
        world.street_a.code, world.community_a.code, world.grid_a.code, world.grid_a2.code
    }  # fmt: skip


def test_a_leader_sees_the_area_they_lead_but_may_change_nothing(world):
    leader = world.users["leader"]
    assert Area.objects.restrict(leader, "view").count() == Area.objects.count()
    assert not Area.objects.restrict(leader, "change").exists()
    assert not object_allowed(leader, world.grid_a, "change")


def test_the_admin_sees_and_may_change_everything(world):
    admin = world.users["admin"]
    assert Area.objects.restrict(admin, "change").count() == Area.objects.count()


def test_an_anonymous_or_inactive_user_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Area.objects.restrict(AnonymousUser(), "view").exists()
    worker = world.users["worker"]
    worker.is_active = False
    worker.save()
    worker.refresh_from_db()
    assert not Area.objects.restrict(worker, "view").exists()


def test_a_department_handler_sees_units_in_and_above_their_jurisdiction(world):
    names = set(Unit.objects.restrict(world.users["dept"], "view").values_list("name", flat=True))
    assert "区城管局" in names  # a district department the street works with
    assert "西陵派出所" in names
    assert "学院派出所" not in names  # another street's police station


def test_a_guardian_grant_opens_one_object_outside_the_role_scope(world, client_for):
    worker = world.users["worker"]
    assert client_for("worker").get(f"/territory/{world.grid_b.pk}/").status_code == 404

    assign_perm("grids.view_area", worker, world.grid_b)

    assert codes(Area.objects.restrict(worker, "view")) == {world.grid_a.code, world.grid_b.code}
    assert client_for("worker").get(f"/territory/{world.grid_b.pk}/").status_code == 200
    assert not Area.objects.restrict(worker, "change").filter(pk=world.grid_b.pk).exists()


def test_a_grant_to_a_group_reaches_its_members(world):
    inspectors = Group.objects.create(name="专项检查组")
    world.users["worker2"].groups.add(inspectors)
    assign_perm("grids.change_area", inspectors, world.grid_a)

    worker2 = world.users["worker2"]
    assert codes(Area.objects.restrict(worker2, "change")) == {world.grid_a.code}
    assert object_allowed(worker2, world.grid_a, "change")


def test_restrict_costs_one_query_however_many_roles_the_user_holds(
    world, django_assert_num_queries
):
    from governance.accounts.models import User

    worker = User.objects.get(pk=world.users["worker"].pk)
    with django_assert_num_queries(2):  # the role assignments (once per request), then the rows
        list(Area.objects.restrict(worker, "view"))
    with django_assert_num_queries(1):
        list(Area.objects.restrict(worker, "view"))


def test_an_unknown_action_is_a_programming_error(world):
    with pytest.raises(ValueError, match="unknown action"):
        Area.objects.restrict(world.users["admin"], "approve")


def test_a_street_scope_covers_its_grids_but_not_a_sibling_street():
    scope = Scope(prefixes=frozenset({"420502001"}))
    assert scope.covers("420502001001001")
    assert not scope.covers("420502002001001")
    assert not scope.covers("42050")
