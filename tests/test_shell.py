"""The web shell: a Chinese login page, a home page and navigation made for each role."""

import pytest
from django.test import Client

from tests.factories import PASSWORD

NAV = {
    "worker": ["Home", "Territory", "Map", "Units"],
    "community": ["Home", "Territory", "Map", "Units", "Staff"],
    "street": ["Home", "Territory", "Map", "Units", "Staff"],
    "district": ["Home", "Territory", "Map", "Units", "Staff"],
    "leader": ["Home", "Territory", "Map", "Units", "Staff"],
    "dept": ["Home", "Territory", "Map", "Units"],
    "admin": ["Home", "Territory", "Map", "Units", "Staff", "Audit trail"],
}


FOUNDATION_ITEMS = {label for labels in NAV.values() for label in labels}


def nav_labels(response) -> list[str]:
    """The foundation's items in the order shown (the domain apps add their own between)."""
    labels = [str(item["label"]) for item in response.context["nav_items"]]
    return [label for label in labels if label in FOUNDATION_ITEMS]


@pytest.mark.parametrize("persona", NAV)
def test_the_navigation_shows_only_what_the_role_may_use(client_for, persona):
    labels = nav_labels(client_for(persona).get("/"))
    assert labels[: len(NAV[persona])] == NAV[persona]
    assert ("Audit trail" in labels) == (persona == "admin")


@pytest.mark.parametrize(
    ("persona", "panel_roles"),
    [
        ("worker", ["grid_worker"]),
        ("community", ["community_staff"]),
        ("street", ["street_dispatcher"]),
        ("leader", ["leader"]),
        ("dept", ["department_handler"]),
        ("admin", ["admin"]),
    ],
)
def test_each_role_lands_on_a_home_page_made_for_it(client_for, persona, panel_roles):
    response = client_for(persona).get("/")
    roles = [panel.role for panel in response.context["panels"]]
    assert roles[: len(panel_roles)] == panel_roles


def test_a_grid_worker_home_lists_their_grid_and_nobody_elses(client_for, world):
    html = client_for("worker").get("/").content.decode()
    assert world.grid_a.name in html
    assert world.grid_b.name not in html


def test_a_street_dispatcher_home_counts_their_street(client_for, world):
    response = client_for("street").get("/")
    [panel] = [
        p
        for p in response.context["panels"]
        if p.role == "street_dispatcher" and p.template == "home/_area_overview.html"
    ]
    [row] = panel.data["rows"]
    assert row["area"] == world.street_a
    assert row["counts"].grids == 2


def test_the_home_page_costs_a_bounded_number_of_queries(client_for, django_assert_max_num_queries):
    for persona in ("worker", "street", "admin"):
        client = client_for(persona)
        with django_assert_max_num_queries(25):
            assert client.get("/").status_code == 200


def test_the_login_page_is_in_chinese_by_default(db, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    response = Client().get("/login/")
    html = response.content.decode()
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in html
    assert "网格化社会治理平台" in html
    assert "用户名" in html


def test_an_english_browser_still_gets_chinese_until_the_user_switches(db, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "用户名" in client.get("/login/").content.decode()

    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})

    html = client.get("/login/").content.decode()
    assert "Username" in html
    assert "用户名" not in html


def test_a_wrong_password_is_refused_with_a_message_in_chinese(world, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    response = Client().post("/login/", {"username": "worker", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的用户名和密码" in response.content.decode()


def test_the_demo_password_logs_in(world):
    client = Client()
    response = client.post("/login/", {"username": "worker", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_javascript_catalogue_is_asked_per_language_and_cached(client_for):
    page = client_for("worker").get("/").content.decode()
    assert 'src="/jsi18n/?l=en"' in page  # the tests run in English

    response = client_for("anonymous").get("/jsi18n/?l=zh-hans")
    assert response.status_code == 200
    assert "max-age=3600" in response["Cache-Control"]
    assert "django.gettext" in response.content.decode()
