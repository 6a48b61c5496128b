"""No seller can read, list, preview or ship another seller's orders.

Every endpoint is called for an order of the caller, an order of another
seller and an order id nobody has: the other seller's order answers exactly
as the unknown one does, and is left untouched.
"""

import pytest
from rest_framework.test import APIClient

from shipments.api.tokens import issue_api_token
from shipments.models import Shipment
from tests.api.calls import PARCEL, eligibility_url, order_url, shipments_url
from tests.factories import OrderFactory, OrderLineFactory, SellerFactory
from tests.state import order_state

pytestmark = pytest.mark.django_db

OWN, OTHER, UNKNOWN = "ORDER-OWN", "ORDER-OTHER", "ORDER-NOBODY"


def read_order(client, order_id):
    return client.get(order_url(order_id))


def preview(client, order_id):
    return client.get(eligibility_url(order_id))


def list_shipments(client, order_id):
    return client.get(shipments_url(order_id))


def ship(client, order_id):
    return client.post(
        shipments_url(order_id),
        {**PARCEL, "orderLineIds": ["LINE_1"]},
        format="json",
    )


ENDPOINTS = {
    "read": (read_order, 200),
    "preview": (preview, 200),
    "list shipments": (list_shipments, 200),
    "ship": (ship, 201),
}


@pytest.fixture
def two_sellers():
    """Seller 98979 calls; seller 11111 owns ORDER-OTHER (same line ids)."""
    caller = SellerFactory(seller_id="98979")
    other = SellerFactory(seller_id="11111")
    OrderLineFactory(
        order=OrderFactory(order_id=OWN, seller=caller), order_line_id="LINE_1"
    )
    other_order = OrderFactory(order_id=OTHER, seller=other)
    OrderLineFactory(order=other_order, order_line_id="LINE_1")
    _, secret = issue_api_token(seller=caller)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client, other_order


@pytest.mark.parametrize(("call", "own_status"), ENDPOINTS.values(), ids=ENDPOINTS)
def test_another_sellers_order_answers_as_an_unknown_one(two_sellers, call, own_status):
    client, other_order = two_sellers
    before = order_state(other_order)

    other = call(client, OTHER)
    unknown = call(client, UNKNOWN)
    own = call(client, OWN)

    assert other.status_code == 404
    assert other["Content-Type"] == unknown["Content-Type"]
    assert other.json() == unknown.json()
    assert own.status_code == own_status
    assert order_state(other_order) == before
    assert not Shipment.objects.filter(order=other_order).exists()


def test_order_list_holds_only_the_callers_orders(two_sellers):
    client, _ = two_sellers

    response = client.get("/seller/v2/orders")

    assert [order["orderId"] for order in response.json()["orders"]] == [OWN]
    assert response.json()["totalCount"] == 1


def test_seller_id_header_cannot_borrow_another_sellers_orders(two_sellers):
    client, other_order = two_sellers
    before = order_state(other_order)

    response = client.get(order_url(OTHER), headers={"SellerId": "11111"})

    assert response.status_code == 403
    assert response.json()["code"] == "seller_id_mismatch"
    assert order_state(other_order) == before
