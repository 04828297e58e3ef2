"""The service-item staff pages: an administrator edits an item (a new version) and imports
a sheet; the forms show refusals at their fields."""

from django.core.files.uploadedfile import SimpleUploadedFile

from events import services
from events.models import ServiceCategory, ServiceItem


def form_data(item: ServiceItem, **changes) -> dict:
    version = item.current
    data = {
        "code": item.code, "category": version.category_id, "name": version.name,
        "description": version.description, "responsible_kind": version.responsible_kind,
        "department_type": version.department_type, "closing_level": version.closing_level,
        "duplicate_radius_m": version.duplicate_radius_m, "is_active": "on",
    }  # fmt: skip
    for urgency, row in version.time_limits.items():
        for stage, hours in row.items():
            data[f"limit_{urgency}_{stage}"] = hours
    data.update(changes)
    return data


def test_an_administrator_edits_an_item_into_a_new_version(client_for, world):
    item = ServiceItem.objects.get(code="E010202")
    response = client_for("admin").post(f"/service-items/{item.pk}/edit/",
                                        form_data(item, limit_urgent_handle=3))  # fmt: skip
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.current.number == 2
    assert item.current.time_limits["urgent"]["handle"] == 3
    assert item.versions.get(number=1).time_limits["urgent"]["handle"] == 2


def test_a_department_item_without_a_department_type_is_refused_at_the_field(client_for, world):
    item = ServiceItem.objects.get(code="E010202")
    response = client_for("admin").post(f"/service-items/{item.pk}/edit/",
                                        form_data(item, department_type=""))  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["department_type"]
    item.refresh_from_db()
    assert item.current.number == 1


def test_an_administrator_creates_an_item(client_for, world):
    template = ServiceItem.objects.get(code="E010102")
    data = form_data(template, code="X9001", name="新增事项",
                     category=ServiceCategory.objects.get(code="0101").pk)  # fmt: skip
    response = client_for("admin").post("/service-items/new/", data)
    assert response.status_code == 302
    assert ServiceItem.objects.get(code="X9001").current.name == "新增事项"


def test_the_import_page_checks_without_saving_then_saves(client_for, world):
    data = services.service_items_export()
    admin = client_for("admin")
    checked = admin.post("/service-items/import/", {
        "file": SimpleUploadedFile("items.xlsx", data), "dry_run": "on"})  # fmt: skip
    assert checked.status_code == 200
    assert checked.context["report"].dry_run
    bad = admin.post("/service-items/import/", {"file": SimpleUploadedFile("x.xlsx", b"no")})
    assert bad.context["form"].errors
