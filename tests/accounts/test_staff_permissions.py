"""Every staff page as every persona: exactly the status it should get.

Anonymous visitors are sent to the login page. Only roles granting accounts.view_user open the
staff pages at all (403 for the others); a person outside the viewer's scope is a 404, so their
existence does not leak; visible but not changeable is a 403. Only the administrator writes.
"""

import pytest

from governance.accounts.models import RoleAssignment
from governance.accounts.roles import Role
from governance.audit.models import AuditEntry
from tests.factories import PERSONAS

STAFF = set(PERSONAS) - {"anonymous"}
# The personas whose roles grant accounts.view_user (see governance.accounts.roles).
VIEWS_STAFF = {"community", "street", "district", "leader", "admin"}
# Viewers whose accounts.view_user scope reaches grid A (worker) / grid B (worker2).
SEES_WORKER = {"community", "street", "district", "leader", "admin"}
SEES_WORKER2 = {"district", "leader", "admin"}
NEW_PASSWORD = "Xq7-lantern-2026"


def test_the_personas_allowed_to_view_staff_are_the_ones_the_roles_say(world):
    granted = {p for p in STAFF if world.users[p].has_perm("accounts.view_user")}
    assert granted == VIEWS_STAFF


def reads(visible: set[str]) -> dict[str, int]:
    """200 where the person is in scope, 404 for staff viewers out of scope, 403 for the rest."""
    return {p: 200 if p in visible else 404 if p in VIEWS_STAFF else 403 for p in STAFF}


def writes(visible: set[str], done: int = 200) -> dict[str, int]:
    """The admin may (``done``); viewers who see the person get 403, out of scope 404."""
    return {
        p: done if p == "admin" else 403 if p in visible or p not in VIEWS_STAFF else 404
        for p in STAFF
    }


def worker(w):
    return w.users["worker"].pk


def worker2(w):
    return w.users["worker2"].pk


def first_role(w, username):
    return RoleAssignment.objects.get(user__username=username).pk


GET_ROWS = [
    ("staff list", lambda w: "/staff/", {p: 200 if p in VIEWS_STAFF else 403 for p in STAFF}),
    ("worker's page", lambda w: f"/staff/{worker(w)}/", reads(SEES_WORKER)),
    ("worker2's page", lambda w: f"/staff/{worker2(w)}/", reads(SEES_WORKER2)),
    ("the admin's page", lambda w: f"/staff/{w.users['admin'].pk}/", reads({"admin"})),
    ("a missing person", lambda w: "/staff/999999/", reads(set())),
    ("new account", lambda w: "/staff/new/", {p: 200 if p == "admin" else 403 for p in STAFF}),
    ("edit worker", lambda w: f"/staff/{worker(w)}/edit/", writes(SEES_WORKER)),
    ("edit worker2", lambda w: f"/staff/{worker2(w)}/edit/", writes(SEES_WORKER2)),
    ("worker's password", lambda w: f"/staff/{worker(w)}/password/", writes(SEES_WORKER)),
    ("worker2's password", lambda w: f"/staff/{worker2(w)}/password/", writes(SEES_WORKER2)),
]  # fmt: skip

# POST-only pages, with data that succeeds for the admin (who is then redirected: 302).
POST_ROWS = [
    ("add a role to worker", lambda w: f"/staff/{worker(w)}/roles/",
     lambda w: {"role": Role.GRID_WORKER, "area": w.grid_a2.pk}, writes(SEES_WORKER, 302)),
    ("add a role to worker2", lambda w: f"/staff/{worker2(w)}/roles/",
     lambda w: {"role": Role.MEDIATOR, "area": w.grid_b.pk}, writes(SEES_WORKER2, 302)),
    ("remove worker's role",
     lambda w: f"/staff/{worker(w)}/roles/{first_role(w, 'worker')}/remove/",
     lambda w: {}, writes(SEES_WORKER, 302)),
    ("remove worker2's role",
     lambda w: f"/staff/{worker2(w)}/roles/{first_role(w, 'worker2')}/remove/",
     lambda w: {}, writes(SEES_WORKER2, 302)),
    ("deactivate worker", lambda w: f"/staff/{worker(w)}/active/", lambda w: {"is_active": "0"},
     writes(SEES_WORKER, 302)),
    ("create an account", lambda w: "/staff/new/",
     lambda w: {"username": "newbie", "password": NEW_PASSWORD, "password2": NEW_PASSWORD},
     {p: 302 if p == "admin" else 403 for p in STAFF}),
    ("edit worker (post)", lambda w: f"/staff/{worker(w)}/edit/",
     lambda w: {"full_name": "张三丰", "is_active": "on"}, writes(SEES_WORKER, 302)),
    ("set worker's password", lambda w: f"/staff/{worker(w)}/password/",
     lambda w: {"password": NEW_PASSWORD, "password2": NEW_PASSWORD},
     writes(SEES_WORKER, 302)),
]  # fmt: skip

GET_CASES = [(n, url, p, expected[p]) for n, url, expected in GET_ROWS for p in sorted(STAFF)]
POST_CASES = [
    (n, url, data, p, expected[p]) for n, url, data, expected in POST_ROWS for p in sorted(STAFF)
]


@pytest.mark.parametrize(
    ("name", "url", "persona", "status"), GET_CASES, ids=[f"{c[0]}-{c[2]}" for c in GET_CASES]
)
def test_each_persona_gets_the_status_its_scope_allows_on_staff_pages(
    world, client_for, name, url, persona, status
):
    response = client_for(persona).get(url(world))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("name", "url", "data", "persona", "status"),
    POST_CASES,
    ids=[f"{c[0]}-{c[3]}" for c in POST_CASES],
)
def test_each_persona_gets_the_status_its_scope_allows_when_posting(
    world, client_for, name, url, data, persona, status
):
    before = AuditEntry.objects.count()
    response = client_for(persona).post(url(world), data(world))
    assert response.status_code == status
    if status == 302:
        assert AuditEntry.objects.count() > before, "the admin's action was carried out"
    else:
        assert AuditEntry.objects.count() == before, "a refused action changes nothing"


@pytest.mark.parametrize(
    "url",
    ["/staff/", "/staff/new/", "/staff/1/", "/staff/1/edit/", "/staff/1/password/"],
)
def test_an_anonymous_visitor_is_sent_to_the_login_page(world, client_for, url):
    response = client_for("anonymous").get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize(
    "url", ["/staff/1/active/", "/staff/1/roles/", "/staff/1/roles/1/remove/", "/staff/new/"]
)
def test_an_anonymous_post_is_sent_to_the_login_page_and_changes_nothing(world, client_for, url):
    before = AuditEntry.objects.count()
    response = client_for("anonymous").post(url, {"role": Role.ADMIN, "is_active": "0"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    "path",
    [
        "/staff/abc/",
        "/staff/1.5/edit/",
        "/staff/-1/",
        "/staff/99999999999999999999/",
        "/staff/99999999999999999999/edit/",
        "/staff/{worker}/roles/99999999999999999999/remove/",
        "/staff/{worker}/roles/abc/remove/",
    ],
)
def test_a_malformed_or_huge_id_is_a_404_not_a_500(world, client_for, path):
    url = path.format(worker=world.users["worker"].pk)
    client = client_for("admin")
    response = client.post(url) if "remove" in url else client.get(url)
    assert response.status_code == 404


def test_a_role_of_someone_else_cannot_be_removed_through_another_persons_page(world, client_for):
    other = first_role(world, "worker2")
    response = client_for("admin").post(f"/staff/{worker(world)}/roles/{other}/remove/")
    assert response.status_code == 404
    assert RoleAssignment.objects.filter(pk=other).exists()


@pytest.mark.parametrize(
    ("url", "method"),
    [
        ("/staff/{worker}/roles/", "get"),
        ("/staff/{worker}/active/", "get"),
        ("/staff/{worker}/roles/{role}/remove/", "get"),
        ("/staff/", "post"),
        ("/staff/{worker}/", "post"),
    ],
)
def test_the_wrong_method_is_refused(world, client_for, url, method):
    url = url.format(worker=worker(world), role=first_role(world, "worker"))
    response = getattr(client_for("admin"), method)(url)
    assert response.status_code == 405
