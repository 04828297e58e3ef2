"""Special care after enrolment: the level changes with a reason and the schedule follows, the
history keeps every change; helpers are staff of the resident's area or named people; a
membership ends with a date and a reason; the pages and the API do the same through one
service each."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from governance.audit.models import AuditEntry
from residents import services
from residents.choices import CareLevel, EndReason
from residents.models import CareGroup, CareInterval, CareLevelChange, CareMembership


def test_raising_the_level_moves_the_next_visit_to_the_new_interval_and_keeps_history(
    registry, world
):
    membership = services.membership_change_level(
        actor=world.users["community"], membership=registry.membership_a, level=CareLevel.LOW,
        reason="连续半年情况稳定",
    )  # fmt: skip

    days = CareInterval.objects.get(group=membership.group, level=CareLevel.LOW).days
    assert membership.interval_days == days
    assert membership.next_due_on == membership.started_on + datetime.timedelta(days=days)
    change = CareLevelChange.objects.get(membership=membership)
    assert (change.from_level, change.to_level, change.reason) == (1, 3, "连续半年情况稳定")
    assert change.changed_by == world.users["community"]
    assert AuditEntry.objects.filter(action="care.level", target_id=str(membership.pk)).exists()


def test_after_a_visit_the_new_interval_counts_from_the_last_visit(registry, world):
    visited = timezone.now() - datetime.timedelta(days=2)
    services.visit_record(
        actor=world.users["worker"], membership=registry.membership_a, visited_at=visited,
        method="home", finding="正常",
    )  # fmt: skip

    membership = services.membership_change_level(
        actor=world.users["community"], membership=registry.membership_a,
        level=CareLevel.MEDIUM, reason="调整",
    )  # fmt: skip

    assert membership.next_due_on == timezone.localdate(visited) + datetime.timedelta(
        days=membership.interval_days
    )


def test_a_level_change_needs_a_reason_and_a_different_level(registry, world):
    community = world.users["community"]
    with pytest.raises(ValidationError) as caught:
        services.membership_change_level(
            actor=community, membership=registry.membership_a, level=2, reason=""
        )
    assert "reason" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.membership_change_level(
            actor=community, membership=registry.membership_a, level=1, reason="同级"
        )
    assert "level" in caught.value.message_dict
    assert not CareLevelChange.objects.exists()


def test_a_grid_worker_may_not_change_the_level_by_service_page_or_api(registry, world, client_for):
    with pytest.raises(PermissionDenied):
        services.membership_change_level(
            actor=world.users["worker"], membership=registry.membership_a, level=2, reason="x"
        )
    page = client_for("worker").post(
        f"/care/{registry.membership_a.pk}/", {"action": "level", "level": 2, "reason": "调整"}
    )
    api = client_for("worker").post(
        f"/api/v1/care-memberships/{registry.membership_a.pk}/change-level/",
        {"level": 2, "reason": "调整"}, content_type="application/json",
    )  # fmt: skip
    assert page.status_code == 403
    assert api.status_code == 403
    assert CareMembership.objects.get(pk=registry.membership_a.pk).level == 1


def test_community_staff_change_the_level_on_the_page_and_see_it_in_the_history(
    registry, client_for
):
    client = client_for("community")
    url = f"/care/{registry.membership_a.pk}/"

    missing = client.post(url, {"action": "level", "level": 3, "reason": ""})
    done = client.post(url, {"action": "level", "level": 3, "reason": "情况好转"}, follow=True)

    assert missing.status_code == 200
    assert "reason" in missing.context["level_form"].errors
    assert done.status_code == 200
    assert [c.reason for c in done.context["history"]] == ["情况好转"]
    assert "情况好转" in done.content.decode()


def test_the_api_changes_the_level_and_lists_the_history(registry, client_for):
    client = client_for("community")
    url = f"/api/v1/care-memberships/{registry.membership_a.pk}/"

    response = client.post(
        f"{url}change-level/", {"level": 2, "reason": "复评"}, content_type="application/json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["level"] == 2
    assert body["level_changes"][0]["reason"] == "复评"
    bad = client.post(f"{url}change-level/", {"level": 2, "reason": "复评"},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 400
    assert "level" in bad.json()["error"]["fields"]


def test_a_three_helpers_for_one_team_is_built_from_staff_and_named_people(
    registry, world, client_for
):
    group = CareGroup.objects.get(code="severe_mental_illness")
    membership = services.membership_create(
        actor=world.users["community"], resident=registry.resident_a, group=group, level=1,
        started_on=timezone.localdate(),
    )  # fmt: skip
    client = client_for("community")
    url = f"/care/{membership.pk}/"
    assert len(client.get(url).context["missing"]) == 3

    client.post(url, {"action": "helper_add", "kind": "family", "name": "张母"})
    client.post(url, {"action": "helper_add", "kind": "doctor", "name": "王医生"})
    response = client.post(
        url, {"action": "helper_add", "kind": "police", "user": world.users["dept"].pk},
        follow=True,
    )  # fmt: skip

    assert sorted(str(h) for h in membership.helpers.all()) == ["吴警官", "张母", "王医生"]
    assert response.context["missing"] == []
    helper = membership.helpers.get(name="王医生")
    client.post(url, {"action": "helper_remove", "helper": helper.pk})
    assert not membership.helpers.filter(pk=helper.pk).exists()
    assert AuditEntry.objects.filter(action="care.helper_remove").count() == 1


def test_a_staff_helper_must_work_where_the_resident_lives(registry, world, client_for):
    with pytest.raises(ValidationError) as caught:
        services.membership_helper_add(
            actor=world.users["community"], membership=registry.membership_a, kind="cadre",
            user=world.users["worker2"],
        )  # fmt: skip
    assert "does not work where" in caught.value.message_dict["user"][0]
    response = client_for("community").post(
        f"/care/{registry.membership_a.pk}/",
        {"action": "helper_add", "kind": "cadre", "user": world.users["worker2"].pk},
    )  # fmt: skip
    assert "user" in response.context["helper_form"].errors  # not one of the choices
    empty = client_for("community").post(
        f"/care/{registry.membership_a.pk}/", {"action": "helper_add", "kind": "family"}
    )
    assert "name" in empty.context["helper_form"].errors
    assert not registry.membership_a.helpers.exists()


def test_the_api_adds_and_removes_helpers(registry, world, client_for):
    client = client_for("community")
    url = f"/api/v1/care-memberships/{registry.membership_a.pk}/"

    added = client.post(f"{url}add-helper/", {"kind": "family", "name": "张父"},
                        content_type="application/json")  # fmt: skip
    outsider = client.post(
        f"{url}add-helper/", {"kind": "cadre", "user": world.users["worker2"].pk},
        content_type="application/json",
    )  # fmt: skip
    removed = client.post(f"{url}remove-helper/", {"helper": added.json()["id"]},
                          content_type="application/json")  # fmt: skip

    assert added.status_code == 201, added.content
    assert outsider.status_code == 400
    assert "user" in outsider.json()["error"]["fields"]
    assert removed.status_code == 200
    assert removed.json()["helpers"] == []


def test_a_membership_ends_with_a_date_and_a_reason_and_stops_falling_due(
    registry, world, client_for
):
    client = client_for("community")
    url = f"/care/{registry.membership_a.pk}/"
    today = str(timezone.localdate())

    no_note = client.post(url, {"action": "end", "ended_on": today, "reason": "other"})
    assert "note" in no_note.context["end_form"].errors
    client.post(url, {"action": "end", "ended_on": today, "reason": EndReason.TERM_COMPLETED})

    membership = CareMembership.objects.get(pk=registry.membership_a.pk)
    assert (str(membership.ended_on), membership.end_reason) == (today, "term_completed")
    assert not CareMembership.objects.overdue().filter(pk=membership.pk).exists()
    with pytest.raises(ValidationError):
        services.membership_change_level(
            actor=world.users["community"], membership=membership, level=2, reason="x"
        )
    page = client.get(url)
    assert not page.context["can_change"]


def test_the_api_ends_a_membership_with_a_reason(registry, client_for):
    response = client_for("community").post(
        f"/api/v1/care-memberships/{registry.membership_a.pk}/end/",
        {"ended_on": str(timezone.localdate()), "reason": "moved_out"},
        content_type="application/json",
    )  # fmt: skip
    missing = client_for("community").post(
        f"/api/v1/care-memberships/{registry.membership_a.pk}/end/",
        {"ended_on": str(timezone.localdate())}, content_type="application/json",
    )  # fmt: skip

    assert response.status_code == 200, response.content
    assert response.json()["end_reason"] == "moved_out"
    assert missing.status_code == 400


# --- Which department types see which groups --------------------------------------------------


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


def _enrol(world, resident, code):
    return services.membership_create(
        actor=world.users["admin"], resident=resident, group=CareGroup.objects.get(code=code),
        level=2, started_on=timezone.localdate(),
    )  # fmt: skip


def test_a_police_handler_sees_severe_mental_illness_in_their_area_but_not_community_correction(
    registry, world, client_for
):
    mental_a = _enrol(world, registry.resident_a, "severe_mental_illness")
    mental_b = _enrol(world, registry.resident_b, "severe_mental_illness")
    correction = _enrol(world, registry.extra["tenant"], "community_correction")
    dept = _fresh(world.users["dept"])  # police of street A

    visible = set(CareMembership.objects.restrict(dept, "view").values_list("pk", flat=True))

    assert visible == {mental_a.pk}  # not street B's, not community correction, not elderly
    assert client_for("dept").get(f"/care/{mental_a.pk}/").status_code == 200
    assert client_for("dept").get(f"/care/{correction.pk}/").status_code == 404
    assert client_for("dept").get(f"/care/{mental_b.pk}/").status_code == 404


def test_a_judicial_office_sees_community_correction_and_an_admin_row_opens_more(registry, world):
    from governance.accounts.roles import Role
    from governance.accounts.services import role_assign, user_create
    from grids.services import unit_create
    from residents.models import CareGroupAccess

    root = world.users["admin"]
    justice = unit_create(actor=root, name="西陵司法所", kind="department", area=world.street_a,
                          department_type="justice")  # fmt: skip
    officer = user_create(actor=root, username="justice", password="pw-2026-long-enough",
                          full_name="司法所干部")  # fmt: skip
    role_assign(actor=root, user=officer, role=Role.DEPARTMENT_HANDLER, unit=justice)
    correction = _enrol(world, registry.extra["tenant"], "community_correction")
    mental = _enrol(world, registry.resident_a, "severe_mental_illness")

    seen = set(
        CareMembership.objects.restrict(_fresh(officer), "view").values_list("pk", flat=True)
    )
    assert seen == {correction.pk}

    CareGroupAccess.objects.create(
        group=mental.group, role=Role.DEPARTMENT_HANDLER, department_type="justice"
    )
    seen = set(
        CareMembership.objects.restrict(_fresh(officer), "view").values_list("pk", flat=True)
    )
    assert seen == {correction.pk, mental.pk}


def test_a_department_type_on_a_role_other_than_department_handler_is_refused(registry):
    from django.db import IntegrityError, transaction

    from residents.models import CareGroupAccess

    with pytest.raises(IntegrityError), transaction.atomic():
        CareGroupAccess.objects.create(
            group=registry.membership_a.group, role="grid_worker", department_type="police"
        )
