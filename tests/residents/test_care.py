"""Special care: a membership falls overdue exactly when its interval has passed; visits reset
the clock; intervals follow the group and level; which groups a role sees is data."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from residents import services
from residents.choices import CareLevel, DueState
from residents.models import CareGroup, CareGroupAccess, CareInterval, CareMembership
from residents.selectors import memberships_for

START = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def correction(registry, world):
    """张三 enrolled in community correction at level 1 (visit every 7 days) on 2026-03-02."""
    group = CareGroup.objects.get(code="community_correction")
    with time_machine.travel(START, tick=False):
        return services.membership_create(
            actor=world.users["community"], resident=registry.resident_a, group=group,
            level=CareLevel.HIGH, started_on=timezone.localdate(),
        )  # fmt: skip


def overdue_ids(user):
    return set(memberships_for(user, state="overdue").values_list("pk", flat=True))


def test_a_membership_becomes_overdue_exactly_when_its_interval_has_passed(correction, world):
    worker = world.users["worker"]
    assert correction.interval_days == 7
    assert correction.next_due_on == datetime.date(2026, 3, 9)

    with time_machine.travel(datetime.datetime(2026, 3, 9, 23, 59, tzinfo=datetime.UTC)):
        # 23:59 UTC is already 07:59 on the 10th in Shanghai: local dates count.
        assert correction.pk in overdue_ids(worker)
    with time_machine.travel(datetime.datetime(2026, 3, 9, 15, 59, tzinfo=datetime.UTC)):
        # 23:59 on the 9th in Shanghai: due today, not yet overdue.
        assert correction.pk not in overdue_ids(worker)
        assert correction.due_state() == DueState.DUE_SOON
    with time_machine.travel(datetime.datetime(2026, 3, 9, 16, 0, tzinfo=datetime.UTC)):
        assert correction.pk in overdue_ids(worker)
        assert CareMembership.objects.get(pk=correction.pk).days_overdue() == 1


def test_a_visit_moves_the_next_due_date_one_interval_on(correction, world):
    worker = world.users["worker"]
    with time_machine.travel(datetime.datetime(2026, 3, 12, 2, 0, tzinfo=datetime.UTC)):
        assert correction.pk in overdue_ids(worker)
        services.visit_record(
            actor=worker, membership=correction, visited_at=timezone.now(),
            method="home", finding="情况稳定",
        )  # fmt: skip
        assert correction.pk not in overdue_ids(worker)
    membership = CareMembership.objects.get(pk=correction.pk)
    assert membership.last_visited_on == datetime.date(2026, 3, 12)
    assert membership.next_due_on == datetime.date(2026, 3, 19)
    with time_machine.travel(datetime.datetime(2026, 3, 19, 16, 0, tzinfo=datetime.UTC)):
        assert correction.pk in overdue_ids(worker)


def test_an_earlier_visit_recorded_late_does_not_move_the_schedule_back(correction, world):
    worker = world.users["worker"]
    with time_machine.travel(datetime.datetime(2026, 3, 12, 2, 0, tzinfo=datetime.UTC)):
        services.visit_record(actor=worker, membership=correction, visited_at=timezone.now(),
                              method="phone", finding="电话回访")  # fmt: skip
        services.visit_record(
            actor=worker, membership=correction,
            visited_at=timezone.now() - datetime.timedelta(days=5), method="home", finding="补录",
        )  # fmt: skip
    assert CareMembership.objects.get(pk=correction.pk).next_due_on == datetime.date(2026, 3, 19)


def test_raising_the_level_shortens_the_interval(registry, world):
    membership = services.membership_update(
        actor=world.users["community"], membership=registry.membership_a, level=CareLevel.LOW
    )
    expected = CareInterval.objects.get(group=membership.group, level=CareLevel.LOW).days

    assert membership.interval_days == expected
    assert membership.next_due_on == membership.started_on + datetime.timedelta(days=expected)


def test_an_administrator_changing_an_interval_moves_open_memberships(registry, world):
    interval = CareInterval.objects.get(group=registry.membership_a.group, level=CareLevel.HIGH)

    services.interval_set(actor=world.users["admin"], interval=interval, days=3)

    membership = CareMembership.objects.get(pk=registry.membership_a.pk)
    assert membership.interval_days == 3
    assert membership.next_due_on == membership.started_on + datetime.timedelta(days=3)
    with pytest.raises(PermissionDenied):
        services.interval_set(actor=world.users["community"], interval=interval, days=9)


def test_overdue_memberships_are_counted_per_grid(registry, world):
    from residents.selectors import grid_summaries

    rows = {row.grid.code: row.overdue for row in grid_summaries(world.users["admin"])}

    assert rows[world.grid_a.code] == 1  # enrolled 60 days ago, never visited
    assert rows[world.grid_b.code] == 1
    assert rows[world.grid_a2.code] == 0


def test_a_department_handler_sees_no_group_until_one_is_granted_to_the_role(registry, world):
    dept = world.users["dept"]
    assert not CareMembership.objects.restrict(dept, "view").exists()

    CareGroupAccess.objects.create(group=registry.membership_a.group, role="department_handler")
    dept = type(dept).objects.get(pk=dept.pk)  # fresh user: no cached group table

    assert list(CareMembership.objects.restrict(dept, "view")) == [registry.membership_a]


def test_removing_a_group_from_a_role_hides_its_members(registry, world, client_for):
    CareGroupAccess.objects.filter(group=registry.membership_a.group, role="grid_worker").delete()

    response = client_for("worker").get(f"/care/{registry.membership_a.pk}/")

    assert response.status_code == 404
    assert client_for("community").get(f"/care/{registry.membership_a.pk}/").status_code == 200
    with pytest.raises(PermissionDenied):
        services.visit_record(
            actor=world.users["worker"], membership=registry.membership_a,
            visited_at=timezone.now(), method="home", finding="x",
        )  # fmt: skip


def test_a_resident_is_in_a_group_once_at_a_time(registry, world):
    with pytest.raises(ValidationError, match="already in this group"):
        services.membership_create(
            actor=world.users["community"], resident=registry.resident_a,
            group=registry.membership_a.group, level=1, started_on=timezone.localdate(),
        )  # fmt: skip


def test_a_visit_with_a_photo_that_is_not_an_image_is_refused(registry, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a photo")
    with pytest.raises(ValidationError) as caught:
        services.visit_record(
            actor=world.users["worker"], membership=registry.membership_a,
            visited_at=timezone.now(), method="home", finding="x", photo=fake,
        )  # fmt: skip
    assert "photo" in caught.value.message_dict


def test_a_visit_photo_is_served_only_to_those_who_see_the_visit(registry, world, client_for):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "JPEG")
    visit = services.visit_record(
        actor=world.users["worker"], membership=registry.membership_a,
        visited_at=timezone.now(), method="home", finding="门口合影",
        photo=SimpleUploadedFile("p.jpg", buffer.getvalue()),
    )  # fmt: skip

    assert client_for("worker").get(f"/care/visits/{visit.pk}/photo/").status_code == 200
    assert client_for("worker2").get(f"/care/visits/{visit.pk}/photo/").status_code == 404
    assert client_for("anonymous").get(f"/care/visits/{visit.pk}/photo/").status_code == 302


def test_a_visit_photo_is_stored_and_served_as_the_image_it_is_not_as_its_name_says(
    registry, world, client_for
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "JPEG")
    visit = services.visit_record(
        actor=world.users["worker"], membership=registry.membership_a,
        visited_at=timezone.now(), method="home", finding="门口合影",
        photo=SimpleUploadedFile("page.html", buffer.getvalue(), content_type="text/html"),
    )  # fmt: skip

    assert visit.photo.name.endswith(".jpg")
    response = client_for("worker").get(f"/care/visits/{visit.pk}/photo/")
    assert response["Content-Type"] == "image/jpeg"


def test_helpers_are_staff_of_the_residents_area_or_named_people(registry, world, client_for):
    group = CareGroup.objects.get(code="severe_mental_illness")
    membership = services.membership_create(
        actor=world.users["community"], resident=registry.resident_a, group=group, level=1,
        started_on=timezone.localdate(),
        helpers=[{"kind": "cadre", "user": world.users["worker"]},
                 {"kind": "doctor", "name": "王医生"}, {"kind": "family", "name": "张母"}],
    )  # fmt: skip

    assert sorted(str(h) for h in membership.helpers.all()) == sorted(["张三", "王医生", "张母"])
    with pytest.raises(ValidationError, match="does not work where"):
        services.membership_update(
            actor=world.users["community"], membership=membership,
            helpers=[{"kind": "cadre", "user": world.users["worker2"]}],
        )  # fmt: skip
    assert membership.helpers.count() == 3

    page = client_for("community").get(f"/residents/people/{registry.resident_a.pk}/care/new/")
    staff = [str(u) for u in page.context["form"].fields["helper_users"].queryset]
    assert "张三" in staff  # the grid worker of grid A (full name 张三)
    assert "李四" not in staff  # worker2 works in grid B
