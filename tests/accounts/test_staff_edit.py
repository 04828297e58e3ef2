"""Editing an account, setting its password, deactivating and reactivating it."""

from governance.accounts.models import User
from governance.audit.models import AuditEntry
from tests.factories import PASSWORD

GOOD_PASSWORD = "Xq7-lantern-2026"


def page(world, username="worker") -> str:
    return f"/staff/{world.users[username].pk}/"


def test_the_edit_form_starts_from_the_current_details(world, client_for):
    form = client_for("admin").get(f"{page(world)}edit/").context["form"]
    assert form.initial["full_name"] == "张三"
    assert form.initial["is_active"] is True


def test_the_admin_edits_an_account_and_the_audit_trail_records_the_change(world, client_for):
    station = world.units["station_a"]
    response = client_for("admin").post(
        f"{page(world)}edit/",
        {"full_name": "张三丰", "phone": "13700000000", "email": "z@example.cn",
         "unit": station.pk, "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    worker = User.objects.get(username="worker")
    assert (worker.full_name, worker.phone, worker.unit) == ("张三丰", "13700000000", station)
    entry = AuditEntry.objects.get(action="user.update", target_id=str(worker.pk))
    assert entry.detail["full_name"] == ["张三", "张三丰"]


def test_an_invalid_email_is_refused_at_the_email(world, english_client_for):
    response = english_client_for("admin").post(
        f"{page(world)}edit/", {"full_name": "x", "email": "nope", "is_active": "on"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["Enter a valid email address."]
    assert User.objects.get(username="worker").full_name == "张三"


def test_the_admin_cannot_deactivate_their_own_account_from_the_edit_form(
    world, english_client_for
):
    response = english_client_for("admin").post(
        f"{page(world, 'admin')}edit/", {"full_name": "系统管理员"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["is_active"] == [
        "You cannot deactivate your own account."
    ]
    assert User.objects.get(username="admin").is_active


def test_the_admin_deactivates_and_reactivates_an_account(world, client_for):
    client = client_for("admin")
    assert client.post(f"{page(world)}active/", {"is_active": "0"}).status_code == 302
    assert not User.objects.get(username="worker").is_active
    assert client.post(f"{page(world)}active/", {"is_active": "1"}).status_code == 302
    assert User.objects.get(username="worker").is_active
    changes = AuditEntry.objects.filter(
        action="user.update", target_id=str(world.users["worker"].pk), actor=world.users["admin"]
    ).order_by("id")
    assert [entry.detail for entry in changes] == [
        {"is_active": ["True", "False"]},
        {"is_active": ["False", "True"]},
    ]


def test_a_deactivated_account_can_no_longer_sign_in(world, client_for):
    client_for("admin").post(f"{page(world)}active/", {"is_active": "0"})
    response = client_for("anonymous").post("/login/", {"username": "worker", "password": PASSWORD})
    assert response.status_code == 200  # the login form again, not a redirect home


def test_deactivating_oneself_with_the_button_is_refused_on_the_page(world, english_client_for):
    response = english_client_for("admin").post(
        f"{page(world, 'admin')}active/", {"is_active": "0"}
    )
    assert response.status_code == 200
    assert "You cannot deactivate your own account." in response.content.decode()
    assert User.objects.get(username="admin").is_active


def test_a_status_post_without_a_value_changes_nothing(world, client_for):
    response = client_for("admin").post(f"{page(world)}active/", {})
    assert response.status_code == 200
    assert User.objects.get(username="worker").is_active


def test_the_admin_sets_a_password(world, client_for):
    response = client_for("admin").post(
        f"{page(world)}password/", {"password": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )
    assert response.status_code == 302
    assert User.objects.get(username="worker").check_password(GOOD_PASSWORD)
    assert AuditEntry.objects.filter(
        action="user.set_password",
        actor=world.users["admin"],
        target_id=str(world.users["worker"].pk),
    ).exists()


def test_passwords_that_do_not_match_are_refused_at_the_second(world, english_client_for):
    response = english_client_for("admin").post(
        f"{page(world)}password/", {"password": GOOD_PASSWORD, "password2": "other-thing-2026"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password2"] == ["The two passwords do not match."]
    assert not User.objects.get(username="worker").check_password(GOOD_PASSWORD)


def test_a_password_like_the_username_is_refused_at_the_password(world, english_client_for):
    response = english_client_for("admin").post(
        f"{page(world)}password/", {"password": "worker123", "password2": "worker123"}
    )
    assert response.status_code == 200
    assert (
        "The password is too similar to the username."
        in (response.context["form"].errors["password"])
    )
    assert not User.objects.get(username="worker").check_password("worker123")


def test_the_admin_setting_their_own_password_stays_signed_in(world, client_for):
    client = client_for("admin")
    response = client.post(
        f"{page(world, 'admin')}password/", {"password": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200


def test_a_unit_outside_the_choices_is_refused_at_the_unit(world, client_for):
    response = client_for("admin").post(
        f"{page(world)}edit/", {"full_name": "张三", "unit": "999999", "is_active": "on"}
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
