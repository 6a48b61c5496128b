"""The order page in a real browser, as an operator sees it."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from orders.models import CancellationRequest, OrderLine
from shipments.services import ParcelDeclaration, declare_shipments
from tests.factories import (
    CancellationRequestFactory,
    OrderLineFactory,
    announcement_order,
)

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1600,1000",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None or CHROMEDRIVER is None,
        reason="needs Debian's chromium and chromium-driver on the PATH "
        "(apt-get install chromium chromium-driver; .ci/run installs them)",
    ),
]

webdriver = pytest.importorskip("selenium.webdriver")
By = pytest.importorskip("selenium.webdriver.common.by").By
expected_conditions = pytest.importorskip(
    "selenium.webdriver.support.expected_conditions"
)
WebDriverWait = pytest.importorskip("selenium.webdriver.support.wait").WebDriverWait


@pytest.fixture
def browser(tmp_path):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    driver = webdriver.Chrome(
        service=webdriver.ChromeService(executable_path=CHROMEDRIVER),
        options=options,
    )
    yield driver
    driver.quit()


def save_full_page(browser, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1600, height)
    browser.save_screenshot(str(SCREENSHOTS / name))


def log_in(browser, live_server, *, username, password, next_url):
    browser.get(f"{live_server.url}{reverse('admin:login')}?next={next_url}")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    WebDriverWait(browser, 10).until(
        expected_conditions.presence_of_element_located((By.ID, "user-tools"))
    )


def line_card(browser, order_line_id):
    return browser.find_element(By.CSS_SELECTOR, f"[data-line='{order_line_id}']")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_operator_sees_which_cancel_request_lines_ship_and_why(
    live_server, browser, django_user_model
):
    django_user_model.objects.create_superuser(
        username="operator", password="operator-password"
    )
    order, _line_1, _line_2 = announcement_order()
    seller_line = OrderLineFactory(
        order=order,
        order_line_id="LINE_3",
        seller_product_id="SKU-TEAPOT-1L",
        product_title="Cast iron teapot 1 L",
        status=OrderLine.Status.CANCEL_REQUEST,
    )
    CancellationRequestFactory(
        order_line=seller_line,
        initiator=CancellationRequest.Initiator.SELLER,
        reason="Out of stock",
    )
    declare_shipments(
        order=order,
        parcels=[
            ParcelDeclaration(
                parcel_number="PKG-123456",
                carrier_name="Chronopost",
                tracking_url="https://tracking.example.com/PKG-123456",
                order_line_ids=["LINE_2", "LINE_3"],
            )
        ],
        declared_by="api-token:warehouse-integration",
    )

    log_in(
        browser,
        live_server,
        username="operator",
        password="operator-password",
        next_url=reverse("admin:orders_order_change", args=[order.pk]),
    )
    WebDriverWait(browser, 10).until(
        expected_conditions.presence_of_element_located((By.ID, "order-verdict"))
    )
    save_full_page(browser, "admin-order.png")

    assert browser.find_element(By.ID, "site-name").text == "Marketplace back office"
    assert browser.find_element(By.ID, "order-verdict").text == (
        "Shippable\n2 of 3 lines can be declared shipped now."
    )
    customer_line = line_card(browser, "LINE_2")
    assert customer_line.get_attribute("data-shippable") == "yes"
    assert "Shippable" in customer_line.find_element(By.CLASS_NAME, "mp-badge").text
    assert customer_line.find_element(By.CLASS_NAME, "mp-initiator").text == (
        "Customer"
    )
    assert customer_line.find_elements(By.CSS_SELECTOR, "tr.mp-fail") == []
    seller_card = line_card(browser, "LINE_3")
    assert seller_card.get_attribute("data-shippable") == "no"
    assert seller_card.find_element(By.CLASS_NAME, "mp-badge").text == "Not shippable"
    assert seller_card.find_element(By.CLASS_NAME, "mp-initiator").text == "Seller"
    [failed_check] = seller_card.find_elements(By.CSS_SELECTOR, "tr.mp-fail")
    assert failed_check.text == (
        "Fail Cancellation was initiated by the customer The cancellation was "
        "initiated by Seller; only a customer's request lets the line ship. "
        "cancellation_not_initiated_by_customer"
    )
    [shipment_request] = browser.find_elements(By.CLASS_NAME, "mp-shipment-request")
    assert shipment_request.get_attribute("data-outcome") == "Rejected"
    assert "cancellation_not_initiated_by_customer" in shipment_request.text
    assert "PKG-123456" in shipment_request.text
