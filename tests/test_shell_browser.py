"""The shell in a real browser: the Chinese login page and each role's home, phone and desktop."""

import pytest

from tests.conftest import screenshot
from tests.factories import build_world

pytestmark = pytest.mark.browser

PAGES = ["/", "/territory/", "/units/", "/account/password/"]


@pytest.fixture
def live_world(transactional_db):
    return build_world()


def test_the_login_page_is_chinese_and_fits_a_phone(live_world, page_as):
    page = page_as(None, viewport="phone")
    page.goto(page.base_url + "/")
    page.wait_for_url("**/login/?next=/")
    assert page.inner_text("h1") == "网格化社会治理平台"
    assert page.locator("label[for=id_username]").inner_text() == "用户名"
    screenshot(page, "shell-login-phone")
    page.fill("#id_username", "worker")
    page.fill("#id_password", "wrong-password")
    page.click("form button[type=submit]")
    assert "请输入一个正确的用户名和密码" in page.inner_text(".alert-danger")
    assert page.problems == []


@pytest.mark.parametrize(
    ("persona", "viewport"),
    [("worker", "phone"), ("community", "phone"), ("street", "desktop"), ("leader", "desktop"),
     ("dept", "phone"), ("admin", "desktop")],
)  # fmt: skip
def test_every_page_of_the_shell_fits_the_screen_without_browser_errors(
    live_world, page_as, persona, viewport
):
    page = page_as(persona, viewport=viewport)
    for path in PAGES:
        page.goto(page.base_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than the {viewport} screen"
    page.goto(page.base_url + "/")
    page.wait_for_load_state("networkidle")
    screenshot(page, f"shell-home-{persona}-{viewport}")
    assert page.problems == []


def test_the_language_switch_turns_the_interface_to_english_and_back(live_world, page_as):
    page = page_as("street")
    page.click("#user-menu")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("nav .nav-link", has_text="Territory").count() == 1
    page.click("#user-menu")
    with page.expect_navigation():
        page.select_option("select[name=language]", "zh-hans")
    assert page.locator("nav .nav-link", has_text="辖区").count() == 1
