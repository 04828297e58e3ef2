"""Opening an account, optionally with its first role: both are saved, or neither."""

import pytest

from governance.accounts.models import RoleAssignment, User
from governance.accounts.roles import Role
from governance.audit.models import AuditEntry

GOOD_PASSWORD = "Xq7-lantern-2026"


def account(**extra) -> dict:
    data = {
        "username": "newbie",
        "full_name": "陈新",
        "phone": "13900000000",
        "email": "newbie@example.cn",
        "password": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
    }
    return data | extra


def test_the_admin_opens_an_account_with_a_first_role(world, client_for):
    response = client_for("admin").post(
        "/staff/new/",
        account(
            unit=world.units["station_a"].pk, role=Role.GRID_WORKER, role_area=world.grid_a2.pk
        ),
    )
    user = User.objects.get(username="newbie")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/{user.pk}/"
    assert (user.full_name, user.phone, user.unit) == (
        "陈新",
        "13900000000",
        world.units["station_a"],
    )
    assert user.check_password(GOOD_PASSWORD)
    assignment = RoleAssignment.objects.get(user=user)
    assert (assignment.role, assignment.area, assignment.created_by) == (
        Role.GRID_WORKER, world.grid_a2, world.users["admin"],
    )  # fmt: skip
    actions = set(
        AuditEntry.objects.filter(target_id=str(user.pk)).values_list("action", flat=True)
    )
    assert actions == {"user.create", "role.assign"}


def test_an_account_can_be_opened_without_a_role(world, client_for):
    response = client_for("admin").post("/staff/new/", account())
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user__username="newbie").exists()


def test_a_department_handler_takes_the_area_of_their_unit(world, client_for):
    police_b = world.units["police_b"]
    client_for("admin").post(
        "/staff/new/", account(role=Role.DEPARTMENT_HANDLER, role_unit=police_b.pk)
    )
    assignment = RoleAssignment.objects.get(user__username="newbie")
    assert (assignment.unit, assignment.area) == (police_b, world.street_b)


def _refused(client, data, field: str, message: str | None = None):
    """Post the form; it comes back (200) with ``message`` at ``field`` and nothing saved."""
    accounts, roles, audit = (
        User.objects.count(),
        RoleAssignment.objects.count(),
        AuditEntry.objects.count(),
    )
    response = client.post("/staff/new/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    if message is not None:
        assert message in errors[field], errors
    assert (User.objects.count(), RoleAssignment.objects.count(), AuditEntry.objects.count()) == (
        accounts, roles, audit,
    )  # fmt: skip
    assert not User.objects.filter(username="newbie").exists()
    return response


def test_an_invalid_first_role_saves_no_account_either(world, english_client_for):
    """The account is created, the role refused: the transaction takes the account back."""
    _refused(
        english_client_for("admin"),
        account(role=Role.GRID_WORKER, role_area=world.street_a.pk),
        "role_area",
        "A Grid worker covers a Grid.",
    )


def test_a_department_handler_without_a_unit_is_refused_at_the_unit(world, english_client_for):
    response = _refused(
        english_client_for("admin"),
        account(role=Role.DEPARTMENT_HANDLER, role_area=world.street_a.pk),
        "role_unit",
        "Choose the unit this role works in.",
    )
    assert "role_area" not in response.context["form"].errors


def test_a_department_handler_in_a_unit_that_is_no_department_is_refused(world, english_client_for):
    _refused(
        english_client_for("admin"),
        account(role=Role.DEPARTMENT_HANDLER, role_unit=world.units["station_a"].pk),
        "role_unit",
        "This role works in a Functional department.",
    )


def test_an_area_without_a_role_is_refused_at_the_role(world, english_client_for):
    _refused(
        english_client_for("admin"),
        account(role_area=world.grid_a.pk),
        "role",
        "Choose the role to grant over this area or unit.",
    )


def test_a_duplicate_username_is_refused_at_the_username(world, english_client_for):
    client = english_client_for("admin")
    response = client.post("/staff/new/", account(username="worker"))
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [
        "A user with that username already exists."
    ]
    assert User.objects.filter(username="worker").count() == 1


def test_passwords_that_do_not_match_are_refused_at_the_second(world, english_client_for):
    _refused(
        english_client_for("admin"),
        account(password2="something-else-2026"),
        "password2",
        "The two passwords do not match.",
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("123", "This password is too short. It must contain at least 8 characters."),
        ("password", "This password is too common."),
        ("12345678901", "This password is entirely numeric."),
    ],
)
def test_a_password_the_validators_refuse_is_refused_at_the_password(
    world, english_client_for, password, message
):
    _refused(
        english_client_for("admin"),
        account(password=password, password2=password),
        "password",
        message,
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("username", "bad name!"),
        ("username", ""),
        ("email", "not-an-email"),
        ("role", "overlord"),
        ("role_area", "abc"),
        ("role_area", "999999"),
        ("role_unit", "999999"),
        ("unit", "-1"),
    ],
)
def test_malformed_input_is_refused_at_its_field(world, client_for, field, value):
    data = account(role=Role.MEDIATOR, role_area=world.grid_a.pk) | {field: value}
    _refused(client_for("admin"), data, field)


def test_an_inactive_area_cannot_be_chosen(world, english_client_for, deactivate):
    deactivate(world.grid_a2)
    _refused(
        english_client_for("admin"),
        account(role=Role.GRID_WORKER, role_area=world.grid_a2.pk),
        "role_area",
        "Select a valid choice. That choice is not one of the available choices.",
    )


def test_the_create_form_explains_which_area_each_role_needs(world, english_client_for):
    html = english_client_for("admin").get("/staff/new/").content.decode()
    assert "<strong>Grid worker</strong>: an area: Grid" in html
    assert "<strong>Grid leader</strong>: an area: Grid; at most 3 per person" in html
    assert "<strong>Department handler</strong>: a unit (Functional department)" in html
