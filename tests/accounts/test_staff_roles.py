"""Granting and taking away roles from a person's page."""

from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape

from governance.accounts.forms import role_requirement
from governance.accounts.models import RoleAssignment
from governance.accounts.roles import ROLE_RULES, Role
from governance.accounts.services import role_assign
from governance.audit.models import AuditEntry
from grids.choices import AreaLevel, GridType
from grids.services import area_create


def page(world, username="worker") -> str:
    return f"/staff/{world.users[username].pk}/"


def test_the_admin_grants_a_role_and_the_audit_trail_records_it(world, client_for):
    worker = world.users["worker"]
    response = client_for("admin").post(
        f"{page(world)}roles/", {"role": Role.GRID_LEADER, "area": world.grid_a.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == page(world)
    assert RoleAssignment.objects.filter(user=worker, role=Role.GRID_LEADER, area=world.grid_a)
    entry = AuditEntry.objects.get(
        action="role.assign", target_id=str(worker.pk), actor=world.users["admin"]
    )
    assert entry.detail == {"role": Role.GRID_LEADER, "area": world.grid_a.code, "unit": None}


def test_the_admin_removes_a_role_and_the_audit_trail_records_it(world, client_for):
    worker = world.users["worker"]
    assignment = RoleAssignment.objects.get(user=worker)
    response = client_for("admin").post(f"{page(world)}roles/{assignment.pk}/remove/")
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    entry = AuditEntry.objects.get(action="role.revoke", target_id=str(worker.pk))
    assert entry.detail == {"role": Role.GRID_WORKER, "area": world.grid_a.code}


def test_the_detail_page_lists_the_roles_with_links_and_remove_buttons(world, client_for):
    worker = world.users["worker"]
    assignment = RoleAssignment.objects.get(user=worker)
    html = client_for("admin").get(page(world)).content.decode()
    assert f'href="/territory/{world.grid_a.pk}/"' in html
    assert f'action="/staff/{worker.pk}/roles/{assignment.pk}/remove/"' in html
    assert f'action="/staff/{worker.pk}/roles/"' in html
    assert "onclick" not in html


def test_a_viewer_who_may_not_change_staff_sees_no_buttons(world, client_for):
    html = client_for("street").get(page(world)).content.decode()
    assert "/remove/" not in html
    assert "/roles/" not in html
    assert "/edit/" not in html


def _refused(client, world, data, field: str, message: str | None = None, username="worker"):
    """The page comes back (200) with ``message`` at ``field``; no role and no audit row."""
    roles, audit = RoleAssignment.objects.count(), AuditEntry.objects.count()
    response = client.post(f"{page(world, username)}roles/", data)
    assert response.status_code == 200
    errors = response.context["role_form"].errors
    assert field in errors, errors
    if message is not None:
        assert message in errors[field], errors
    assert (RoleAssignment.objects.count(), AuditEntry.objects.count()) == (roles, audit)
    return response


def test_a_grid_worker_role_over_a_street_is_refused_at_the_area(world, english_client_for):
    response = _refused(
        english_client_for("admin"),
        world,
        {"role": Role.GRID_WORKER, "area": world.street_a.pk},
        "area",
        "A Grid worker covers a Grid.",
    )
    assert b"is-invalid" in response.content


def test_a_department_handler_without_a_unit_is_refused_at_the_unit(world, english_client_for):
    response = _refused(
        english_client_for("admin"),
        world,
        {"role": Role.DEPARTMENT_HANDLER, "area": world.street_a.pk},
        "unit",
        "Choose the unit this role works in.",
    )
    assert "area" not in response.context["role_form"].errors


def test_a_fourth_grid_for_a_grid_leader_is_refused_at_the_area(world, english_client_for):
    admin, worker = world.users["admin"], world.users["worker"]
    grid_b2 = area_create(
        actor=admin, level=AreaLevel.GRID, code="420502002001002", name="夜明珠第二网格",
        parent=world.community_b, grid_type=GridType.BASIC,
    )  # fmt: skip
    for grid in (world.grid_a, world.grid_a2, world.grid_b):
        role_assign(actor=admin, user=worker, role=Role.GRID_LEADER, area=grid)
    _refused(
        english_client_for("admin"),
        world,
        {"role": Role.GRID_LEADER, "area": grid_b2.pk},
        "area",
        "A Grid leader may hold at most 3 of these.",
    )


def test_a_role_held_already_is_refused_at_the_role(world, english_client_for):
    _refused(
        english_client_for("admin"),
        world,
        {"role": Role.GRID_WORKER, "area": world.grid_a.pk},
        "role",
        "The user already holds this role there.",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("role", ""), ("role", "overlord"), ("area", "abc"), ("area", "999999"), ("unit", "x")],
)
def test_malformed_input_is_refused_at_its_field(world, client_for, field, value):
    data = {"role": Role.MEDIATOR, "area": world.grid_a.pk} | {field: value}
    _refused(client_for("admin"), world, data, field)


def test_an_inactive_area_is_not_offered_and_is_refused_if_posted(world, client_for, deactivate):
    deactivate(world.grid_a2)
    client = client_for("admin")
    form = client.get(page(world)).context["role_form"]
    assert world.grid_a2 not in form.fields["area"].queryset
    _refused(client, world, {"role": Role.GRID_WORKER, "area": world.grid_a2.pk}, "area")


def test_a_scoped_manager_is_offered_only_the_areas_of_their_street(
    world, client_for, street_manages_staff
):
    form = client_for("street").get(page(world)).context["role_form"]
    codes = {area.code for area in form.fields["area"].queryset}
    assert codes == {world.street_a.code, world.community_a.code, world.grid_a.code,
                     world.grid_a2.code}  # fmt: skip
    assert Role.ADMIN not in dict(form.fields["role"].choices)


def test_an_area_outside_the_managers_scope_posted_by_hand_is_refused_at_the_area(
    world, english_client_for, street_manages_staff
):
    client = english_client_for("street")
    _refused(
        client,
        world,
        {"role": Role.MEDIATOR, "area": world.grid_b.pk},
        "area",
        "Select a valid choice. That choice is not one of the available choices.",
    )
    _refused(client, world, {"role": Role.ADMIN}, "role")
    ok = client.post(f"{page(world)}roles/", {"role": Role.MEDIATOR, "area": world.grid_a2.pk})
    assert ok.status_code == 302


def test_a_scoped_manager_cannot_open_the_page_of_staff_outside_their_street(
    world, client_for, street_manages_staff
):
    response = client_for("street").post(
        f"{page(world, 'worker2')}roles/", {"role": Role.MEDIATOR, "area": world.grid_a.pk}
    )
    assert response.status_code == 404


def test_the_admin_cannot_remove_their_own_administrator_role(world, english_client_for):
    admin = world.users["admin"]
    assignment = RoleAssignment.objects.get(user=admin, role=Role.ADMIN)
    response = english_client_for("admin").post(
        f"{page(world, 'admin')}roles/{assignment.pk}/remove/"
    )
    assert response.status_code == 200
    assert response.context["action_form"].non_field_errors() == [
        "You cannot remove your own administrator role."
    ]
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_the_role_help_is_derived_from_the_role_rules(world, english_client_for, monkeypatch):
    html = english_client_for("admin").get(page(world)).content.decode()
    with translation.override("en"):
        for role in ROLE_RULES:
            assert f"<strong>{Role(role).label}</strong>: {escape(role_requirement(role))}" in html
    widened = replace(
        ROLE_RULES[Role.GRID_WORKER], area_levels=(AreaLevel.COMMUNITY, AreaLevel.GRID)
    )
    monkeypatch.setitem(ROLE_RULES, Role.GRID_WORKER, widened)
    html = english_client_for("admin").get(page(world)).content.decode()
    assert "<strong>Grid worker</strong>: an area: Community or Grid" in html


def test_the_detail_page_costs_the_same_queries_however_many_roles_are_held(world, client_for):
    admin, worker = world.users["admin"], world.users["worker"]
    role_assign(
        actor=admin, user=worker, role=Role.DEPARTMENT_HANDLER, unit=world.units["police_a"]
    )
    client = client_for("street")
    client.get(page(world))  # warm per-process caches (content types)
    with CaptureQueriesContext(connection) as two_roles:
        client.get(page(world))
    role_assign(actor=admin, user=worker, role=Role.GRID_LEADER, area=world.grid_a)
    role_assign(actor=admin, user=worker, role=Role.GRID_LEADER, area=world.grid_a2)
    role_assign(
        actor=admin, user=worker, role=Role.MEDIATOR, area=world.street_a,
        unit=world.units["mediation_a"],
    )  # fmt: skip
    with CaptureQueriesContext(connection) as five_roles:
        response = client.get(page(world))
    assert len(response.context["rows"]) == 5
    assert len(five_roles) == len(two_roles)


def test_a_manager_who_removes_the_last_role_in_their_scope_goes_back_to_the_list(
    world, client_for, street_manages_staff
):
    assignment = RoleAssignment.objects.get(user=world.users["worker"])
    response = client_for("street").post(f"{page(world)}roles/{assignment.pk}/remove/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
