"""Reading orders, shipments and the eligibility preview, through HTTP."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from orders.models import CancellationRequest, Order, OrderLine
from shipments.api.tokens import issue_api_token
from tests.api.calls import (
    PARCEL,
    eligibility_url,
    error_codes,
    order_url,
    post_shipments,
    shipments_url,
)
from tests.factories import (
    NOW,
    CancellationRequestFactory,
    OrderFactory,
    OrderLineFactory,
    OtherChannelFactory,
    SellerFactory,
    announcement_order,
)
from tests.state import order_state

pytestmark = pytest.mark.django_db


def listed_order_ids(response):
    return [order["orderId"] for order in response.json()["orders"]]


def test_order_detail_shows_header_lines_cancellation_and_shipments(api):
    _, _, line_2 = announcement_order()
    requested_at = line_2.cancellation_requests.get().requested_at

    response = api.get(order_url("2312011200A1B2"))

    assert response.status_code == 200
    assert response.json() == {
        "orderId": "2312011200A1B2",
        "status": "InPreparation",
        "supplyMode": "Seller",
        "salesChannelId": "CDISFR",
        "shippingCountry": "FR",
        "createdAt": "2026-11-28T17:40:11Z",
        "updatedAt": "2026-11-29T17:40:11Z",
        "lines": [
            {
                "orderLineId": "LINE_1",
                "status": "InPreparation",
                "sellerProductId": "SKU-KETTLE-17",
                "productTitle": "Electric kettle 1.7 L",
                "quantity": 1,
                "unitPrice": "39.90",
                "cancellationRequest": None,
            },
            {
                "orderLineId": "LINE_2",
                "status": "CancelRequest",
                "sellerProductId": "SKU-MUG-SET4",
                "productTitle": "Set of 4 stoneware mugs",
                "quantity": 2,
                "unitPrice": "24.50",
                "cancellationRequest": {
                    "initiator": "Customer",
                    "reason": "Ordered by mistake",
                    "requestedAt": requested_at.isoformat().replace("+00:00", "Z"),
                    "state": "Open",
                },
            },
        ],
        "shipments": [],
    }


def test_order_detail_after_shipment_shows_the_parcel_and_closed_request(api):
    announcement_order()
    post_shipments(api, "2312011200A1B2", PARCEL)

    body = api.get(order_url("2312011200A1B2")).json()

    assert body["status"] == "Shipped"
    assert [line["status"] for line in body["lines"]] == ["Shipped", "Shipped"]
    assert body["lines"][1]["cancellationRequest"]["state"] == "ClosedByShipment"
    assert [
        (shipment["parcelNumber"], shipment["orderLineIds"])
        for shipment in body["shipments"]
    ] == [("PKG-123456", ["LINE_1", "LINE_2"])]


def test_order_shipments_lists_each_parcel(api):
    announcement_order()
    post_shipments(
        api,
        "2312011200A1B2",
        [
            {**PARCEL, "orderLineIds": ["LINE_2"]},
            {"parcelNumber": "PKG-2", "carrierName": "DPD", "orderLineIds": ["LINE_1"]},
        ],
    )

    response = api.get(shipments_url("2312011200A1B2"))

    assert response.status_code == 200
    assert [
        (shipment["parcelNumber"], shipment["carrierName"], shipment["orderLineIds"])
        for shipment in response.json()
    ] == [("PKG-123456", "Chronopost", ["LINE_2"]), ("PKG-2", "DPD", ["LINE_1"])]


def test_eligibility_gives_every_lines_verdict_with_all_checks(api):
    order, _, line_2 = announcement_order()
    line_2.cancellation_requests.update(initiator=CancellationRequest.Initiator.SELLER)
    before = order_state(order)

    response = api.get(eligibility_url("2312011200A1B2"))

    assert response.status_code == 200
    lines = response.json()["lines"]
    assert [
        (line["orderLineId"], line["shippable"], line["reasonCodes"]) for line in lines
    ] == [
        ("LINE_1", True, []),
        ("LINE_2", False, ["cancellation_not_initiated_by_customer"]),
    ]
    assert [(check["name"], check["passed"]) for check in lines[1]["checks"]] == [
        ("order_status", True),
        ("supply_mode", True),
        ("line_status", True),
        ("channel_policy", True),
        ("cancel_request_open", True),
        ("cancellation_initiator", False),
    ]
    assert lines[1]["checks"][5] == {
        "name": "cancellation_initiator",
        "label": "Cancellation was initiated by the customer",
        "passed": False,
        "code": "cancellation_not_initiated_by_customer",
        "detail": "The cancellation was initiated by Seller; only a customer's "
        "request lets the line ship.",
    }
    assert order_state(order) == before


def test_eligibility_agrees_with_the_declaration(api):
    order = OrderFactory(order_id="ORDER-1", sales_channel=OtherChannelFactory())
    CancellationRequestFactory(
        order_line__order=order, order_line__order_line_id="LINE_1"
    )

    preview = api.get(eligibility_url("ORDER-1")).json()
    declaration = post_shipments(api, "ORDER-1", {**PARCEL, "orderLineIds": ["LINE_1"]})

    assert preview["lines"][0]["reasonCodes"] == [
        "channel_disallows_cancel_request_shipment"
    ]
    assert declaration.status_code == 422
    assert [error["code"] for error in declaration.json()["errors"]] == (
        preview["lines"][0]["reasonCodes"]
    )


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(order_url("2312011200A1B2"), id="detail"),
        pytest.param(shipments_url("2312011200A1B2"), id="shipments"),
        pytest.param(eligibility_url("2312011200A1B2"), id="eligibility"),
    ],
)
def test_another_sellers_order_is_404_on_every_read(api, url):
    announcement_order(seller=SellerFactory(seller_id="12345"))

    response = api.get(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert error_codes(response) == [("orderId", "order_not_found")]


def test_order_list_shows_only_the_callers_orders(api):
    OrderFactory(order_id="MINE")
    OrderFactory(order_id="THEIRS", seller=SellerFactory(seller_id="12345"))

    response = api.get("/seller/v2/orders")

    assert response.status_code == 200
    assert response.json()["totalCount"] == 1
    assert listed_order_ids(response) == ["MINE"]


def test_order_list_pages_with_the_total_count(api):
    for index in range(5):
        OrderFactory(order_id=f"ORDER-{index}", created_at=NOW - dt.timedelta(index))

    first = api.get("/seller/v2/orders", {"pageSize": 2})
    last = api.get("/seller/v2/orders", {"pageSize": 2, "pageIndex": 3})
    beyond = api.get("/seller/v2/orders", {"pageSize": 2, "pageIndex": 4})

    assert (first.json()["totalCount"], first.json()["pageIndex"]) == (5, 1)
    assert listed_order_ids(first) == ["ORDER-0", "ORDER-1"]
    assert listed_order_ids(last) == ["ORDER-4"]
    assert (beyond.status_code, listed_order_ids(beyond)) == (200, [])


@pytest.mark.parametrize(
    ("query", "expected_errors"),
    [
        pytest.param({"pageSize": 101}, [("pageSize", "max_value")], id="page-too-big"),
        pytest.param({"pageIndex": 0}, [("pageIndex", "min_value")], id="page-zero"),
        pytest.param(
            {"pageIndex": 121645100408831999},
            [("pageIndex", "max_value")],
            id="page-past-any-offset",
        ),
        pytest.param({"status": "Lost"}, [("status", "invalid_choice")], id="status"),
        pytest.param(
            {"updatedAtMin": "yesterday"},
            [("updatedAtMin", "invalid")],
            id="updated-at-min",
        ),
    ],
)
def test_order_list_rejects_bad_query_parameters(api, query, expected_errors):
    response = api.get("/seller/v2/orders", query)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert error_codes(response) == expected_errors


def make_orders_to_filter():
    OrderFactory(order_id="PREPARING", updated_at=NOW - dt.timedelta(days=2))
    OrderFactory(
        order_id="SHIPPED",
        status=Order.Status.SHIPPED,
        updated_at=NOW - dt.timedelta(days=1),
    )
    OrderFactory(
        order_id="FULFILLED",
        status=Order.Status.SHIPPED,
        supply_mode=Order.SupplyMode.FULFILLMENT,
        sales_channel=OtherChannelFactory(),
        updated_at=NOW,
    )
    CancellationRequestFactory(
        order_line__order=OrderFactory(
            order_id="CANCEL-ASKED", updated_at=NOW - dt.timedelta(days=3)
        )
    )
    OrderLineFactory(
        order=OrderFactory(
            order_id="CANCELLED-LINE", updated_at=NOW - dt.timedelta(days=4)
        ),
        status=OrderLine.Status.CANCELLED,
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param({"status": "Shipped"}, {"SHIPPED", "FULFILLED"}, id="one-status"),
        pytest.param(
            {"status": "Shipped,InPreparation"},
            {"PREPARING", "SHIPPED", "FULFILLED", "CANCEL-ASKED", "CANCELLED-LINE"},
            id="statuses-comma-separated",
        ),
        pytest.param({"salesChannelId": "OTHERMKT"}, {"FULFILLED"}, id="channel"),
        pytest.param({"supplyMode": "Fulfillment"}, {"FULFILLED"}, id="supply-mode"),
        pytest.param(
            {"updatedAtMin": "2026-11-28T17:40:11Z"},
            {"SHIPPED", "FULFILLED"},
            id="updated-at-min-inclusive",
        ),
        pytest.param(
            {"updatedAtMax": "2026-11-26T17:40:11Z"},
            {"CANCEL-ASKED", "CANCELLED-LINE"},
            id="updated-at-max-inclusive",
        ),
        pytest.param({"hasCancelRequest": "true"}, {"CANCEL-ASKED"}, id="has-cancel"),
        pytest.param(
            {"hasCancelRequest": "false", "status": "InPreparation"},
            {"PREPARING", "CANCELLED-LINE"},
            id="no-cancel-and-status",
        ),
    ],
)
def test_order_list_filters(api, query, expected):
    make_orders_to_filter()

    response = api.get("/seller/v2/orders", query)

    assert response.status_code == 200
    assert set(listed_order_ids(response)) == expected
    assert response.json()["totalCount"] == len(expected)


def test_another_sellers_token_never_sees_this_sellers_orders():
    announcement_order()
    other_seller = SellerFactory(seller_id="12345")
    _, secret = issue_api_token(seller=other_seller)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")

    listing = client.get("/seller/v2/orders")

    assert (listing.json()["totalCount"], listing.json()["orders"]) == (0, [])
