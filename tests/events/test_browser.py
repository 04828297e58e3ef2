"""One event through the whole loop in a real browser: the grid worker reports it on a phone,
the street dispatcher grabs and splits it, the police handler signs for it and reports the
result, the grid worker verifies it on site and, as its reporter, rates it; the street closes
it; the flow log shows every step. Screenshots land in var/screenshots/events-*.png."""

import io

import pytest
from PIL import Image

from events import services
from events.catalogue import ensure_catalogue
from events.models import Event, ServiceCategory
from tests.conftest import screenshot
from tests.events.helpers import IN_GRID_A
from tests.factories import build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def loop_world(transactional_db):
    world = build_world()
    ensure_catalogue()
    world.item = services.service_item_create(
        actor=world.users["admin"], code="T0003", category=ServiceCategory.objects.get(code="0102"),
        name="井盖缺失（测试）", responsible_kind="department", department_type="police",
        closing_level="street",
    )  # fmt: skip
    return world


@pytest.fixture
def jpeg_file(tmp_path):
    path = tmp_path / "manhole.jpg"
    image = Image.new("RGB", (640, 480), (120, 120, 120))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def act(page, action: str, fill=None):
    """Open the action's panel on the event page, fill it, confirm, wait for the page."""
    panel = page.locator(f"details[data-action='{action}']").first
    panel.locator("summary").click()
    if fill:
        fill(panel)
    panel.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator(".alert-success").count() == 1, page.locator(".alert").all_inner_texts()


def no_overflow(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


def test_one_event_goes_round_the_whole_loop(loop_world, page_as, live_server, jpeg_file):
    world = loop_world
    lat, lng = IN_GRID_A

    # 1. The grid worker reports on a phone, located by the browser.
    worker = page_as("worker", viewport="phone")
    worker.context.grant_permissions(["geolocation"])
    worker.context.set_geolocation({"latitude": lat, "longitude": lng})
    worker.goto(f"{live_server.url}/events/report/")
    worker.fill("#item-search", "井盖缺失（测试）")
    worker.locator("#id_item").select_option(str(world.item.pk))
    worker.click("#locate-me")
    worker.wait_for_selector("#grid-status:has-text('四方堰')")
    worker.wait_for_selector("#nearby [data-nearby]")
    worker.fill("#id_description", "四方堰路口井盖缺失，夜间有行人跌落风险")
    worker.click("label[for='id_urgency_1']")
    worker.fill("#id_address", "四方堰路12号")
    worker.set_input_files("#id_photos", str(jpeg_file))
    screenshot(worker, "events-report-phone")
    no_overflow(worker)
    worker.click("#report-form button[type=submit]")
    worker.wait_for_url(f"{live_server.url}/events/*/")
    event = Event.objects.get()
    assert event.number in worker.inner_text("h1")
    assert event.urgency == "important"
    assert event.photos.count() == 1
    screenshot(worker, "events-reported-phone")
    no_overflow(worker)

    # 2. The street dispatcher grabs it from the console and splits it to the police.
    street = page_as("street", viewport="desktop")
    street.goto(f"{live_server.url}/events/console/")
    screenshot(street, "events-street-console-desktop")
    street.click(f"text={event.number}")
    act(street, "grab")
    act(street, "split", lambda p: p.locator("select[name=to_unit]").select_option(
        str(world.units["police_a"].pk)))  # fmt: skip
    screenshot(street, "events-dispatched-desktop")

    # 3. The police handler signs for it and reports the result from the inbox.
    dept = page_as("dept", viewport="desktop")
    dept.goto(f"{live_server.url}/events/inbox/")
    assert event.number in dept.inner_text("main")
    screenshot(dept, "events-inbox-desktop")
    dept.click(f"text={event.number}")
    act(dept, "sign")
    act(dept, "complete", lambda p: (p.locator("textarea[name=result]").fill("已补装井盖"),
                                     p.locator("input[name=photos]").set_input_files(
                                         str(jpeg_file))))  # fmt: skip
    screenshot(dept, "events-handled-desktop")

    # 4. The grid worker verifies on site, then rates it as its reporter (phone).
    worker.goto(f"{live_server.url}/events/mine/?tab=verify")
    screenshot(worker, "events-my-verifications-phone")
    worker.click(f"text={event.item_version.name}")
    act(worker, "verify", lambda p: p.locator("textarea[name=note]").fill("现场核实已修复"))
    act(worker, "rate", lambda p: p.locator("input[name=rating][value=satisfied]").check())
    screenshot(worker, "events-rated-phone")
    no_overflow(worker)

    # 5. The street closes it; the flow log shows every step.
    street.goto(f"{live_server.url}/events/{event.pk}/")
    act(street, "close")
    event.refresh_from_db()
    assert event.status == "closed"
    assert event.rating == "satisfied"
    steps = street.locator(".flow-entry").evaluate_all("els => els.map(e => e.dataset.action)")
    assert steps == ["report", "grab", "split", "sign", "complete", "verify", "rate", "close"]
    log = street.inner_text(".flow-log")
    for who in ("张三", "赵强", "吴警官", "西陵派出所"):
        assert who in log
    assert street.locator(".flow-log img").count() == 2
    screenshot(street, "events-closed-desktop")
    worker.goto(f"{live_server.url}/events/{event.pk}/")
    screenshot(worker, "events-closed-phone")
    no_overflow(worker)
    for page, name in ((worker, "events-home-worker-phone"), (street, "events-home-street-desktop"),
                       (dept, "events-home-dept-desktop")):  # fmt: skip
        page.goto(f"{live_server.url}/")
        assert page.locator("[data-panel^='events-']").count() >= 1
        screenshot(page, name)
    no_overflow(worker)
    for page in (worker, street, dept):
        assert page.problems == []


def test_the_public_pages_work_on_a_phone(loop_world, page_as, live_server):
    world = loop_world
    lat, lng = IN_GRID_A
    page = page_as(None, viewport="phone")
    page.goto(f"{live_server.url}/track/report/")
    page.locator("#id_item").select_option(str(world.item.pk))
    page.fill("#lat-input", str(lat))
    page.fill("#lng-input", str(lng))
    page.dispatch_event("#lng-input", "change")
    page.fill("#id_description", "小区门口井盖缺失")
    page.fill("#id_contact_phone", "13812345678")
    screenshot(page, "events-public-report-phone")
    no_overflow(page)
    page.click("#report-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/track/SJ*/")
    event = Event.objects.get()
    assert event.status == "pending"
    screenshot(page, "events-public-status-phone")
    page.goto(f"{live_server.url}/track/")
    page.fill("#id_number", event.number)
    page.fill("#id_last4", "5678")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/track/{event.number}/")
    assert "13812345678" not in page.content()
    no_overflow(page)
    assert page.problems == []
