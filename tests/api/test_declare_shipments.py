"""POST /seller/v2/orders/{orderId}/shipments, through HTTP."""

import logging

import pytest
from rest_framework.test import APIClient

from orders.models import CancellationRequest, Order, OrderLine
from shipments.models import Shipment, ShipmentRequest
from tests.api.calls import PARCEL, error_codes, post_shipments, shipments_url
from tests.factories import (
    CancellationRequestFactory,
    OrderFactory,
    OrderLineFactory,
    SellerFactory,
    announcement_order,
)
from tests.state import order_state

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def audit_of_last_call():
    request = ShipmentRequest.objects.order_by("-pk").first()
    return (
        request.outcome,
        request.http_status,
        request.requested_order_id,
        list(request.errors.values_list("order_line_id", "field", "code")),
    )


def test_announcement_example_ships_both_lines_and_closes_the_request(api):
    order, _, line_2 = announcement_order()

    response = post_shipments(api, "2312011200A1B2", PARCEL)

    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    shipment = Shipment.objects.get(order=order)
    assert response.json() == {
        "parcelNumber": "PKG-123456",
        "carrierName": "Chronopost",
        "trackingUrl": "https://tracking.example.com/PKG-123456",
        "orderLineIds": ["LINE_1", "LINE_2"],
        "createdAt": shipment.created_at.isoformat().replace("+00:00", "Z"),
    }
    order.refresh_from_db()
    assert order.status == Order.Status.SHIPPED
    assert list(order.lines.values_list("order_line_id", "status")) == [
        ("LINE_1", "Shipped"),
        ("LINE_2", "Shipped"),
    ]
    assert list(
        CancellationRequest.objects.filter(order_line=line_2).values_list(
            "initiator", "state"
        )
    ) == [("Customer", "ClosedByShipment")]
    assert audit_of_last_call() == ("Accepted", 201, "2312011200A1B2", [])


def test_array_body_answers_with_an_array_of_shipments(api):
    announcement_order()

    response = post_shipments(
        api,
        "2312011200A1B2",
        [
            {**PARCEL, "orderLineIds": ["LINE_1"]},
            {
                "parcelNumber": "PKG-123457",
                "carrierName": "Colissimo",
                "orderLineIds": ["LINE_2"],
            },
        ],
    )

    assert response.status_code == 201
    assert [
        (
            shipment["parcelNumber"],
            shipment["carrierName"],
            shipment["trackingUrl"],
            shipment["orderLineIds"],
        )
        for shipment in response.json()
    ] == [
        (
            "PKG-123456",
            "Chronopost",
            "https://tracking.example.com/PKG-123456",
            ["LINE_1"],
        ),
        ("PKG-123457", "Colissimo", None, ["LINE_2"]),
    ]
    assert Order.objects.get().status == Order.Status.SHIPPED


def test_seller_initiated_cancellation_is_422_and_ships_nothing(api):
    order, _, line_2 = announcement_order()
    line_2.cancellation_requests.update(initiator=CancellationRequest.Initiator.SELLER)
    before = order_state(order)

    response = post_shipments(api, "2312011200A1B2", PARCEL)

    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert (body["type"], body["title"], body["status"], body["code"]) == (
        "https://seller-api.example/problems/shipment-rejected",
        "Shipment rejected",
        422,
        "shipment_rejected",
    )
    assert body["errors"] == [
        {
            "orderLineId": "LINE_2",
            "code": "cancellation_not_initiated_by_customer",
            "detail": "The cancellation was initiated by Seller; only a "
            "customer's request lets the line ship.",
        }
    ]
    assert order_state(order) == before
    assert audit_of_last_call() == (
        "Rejected",
        422,
        "2312011200A1B2",
        [("LINE_2", "", "cancellation_not_initiated_by_customer")],
    )


def test_422_lists_every_failing_line(api):
    order = OrderFactory(order_id="ORDER-1")
    OrderLineFactory(order=order, order_line_id="LINE_1")
    OrderLineFactory(
        order=order, order_line_id="LINE_2", status=OrderLine.Status.SHIPPED
    )
    OrderLineFactory(
        order=order, order_line_id="LINE_3", status=OrderLine.Status.CANCELLED
    )
    CancellationRequestFactory(
        order_line__order=order,
        order_line__order_line_id="LINE_4",
        initiator=CancellationRequest.Initiator.SALES_CHANNEL,
    )
    before = order_state(order)

    response = post_shipments(
        api,
        "ORDER-1",
        {
            **PARCEL,
            "orderLineIds": ["LINE_1", "LINE_2", "LINE_3", "LINE_4", "LINE_9"],
        },
    )

    assert response.status_code == 422
    assert error_codes(response) == [
        ("LINE_2", "line_already_shipped"),
        ("LINE_3", "line_cancelled"),
        ("LINE_4", "cancellation_not_initiated_by_customer"),
        ("LINE_9", "line_not_found"),
    ]
    assert order_state(order) == before


def test_parcel_number_already_declared_is_422(api):
    order, _, _ = announcement_order()
    post_shipments(api, "2312011200A1B2", {**PARCEL, "orderLineIds": ["LINE_1"]})
    before = order_state(order)

    response = post_shipments(
        api, "2312011200A1B2", {**PARCEL, "orderLineIds": ["LINE_2"]}
    )

    assert response.status_code == 422
    assert error_codes(response) == [("parcelNumber", "parcel_already_declared")]
    assert order_state(order) == before


@pytest.mark.parametrize(
    ("body", "expected_errors"),
    [
        pytest.param(
            "not a parcel", [("body", "invalid_body")], id="string-instead-of-object"
        ),
        pytest.param(42, [("body", "invalid_body")], id="number-instead-of-object"),
        pytest.param([], [("body", "empty")], id="empty-array"),
        pytest.param(
            {"carrierName": "Chronopost", "orderLineIds": ["LINE_1"]},
            [("parcelNumber", "required")],
            id="missing-parcel-number",
        ),
        pytest.param(
            {**PARCEL, "parcelNumber": "  "},
            [("parcelNumber", "blank")],
            id="blank-parcel-number",
        ),
        pytest.param(
            {**PARCEL, "carrierName": ""},
            [("carrierName", "blank")],
            id="blank-carrier-name",
        ),
        pytest.param(
            {key: value for key, value in PARCEL.items() if key != "carrierName"},
            [("carrierName", "required")],
            id="missing-carrier-name",
        ),
        pytest.param(
            {**PARCEL, "parcelNumber": "P" * 65},
            [("parcelNumber", "max_length")],
            id="parcel-number-too-long",
        ),
        pytest.param(
            {**PARCEL, "carrierName": "C" * 101},
            [("carrierName", "max_length")],
            id="carrier-name-too-long",
        ),
        pytest.param(
            {**PARCEL, "trackingUrl": "javascript:alert(1)"},
            [("trackingUrl", "invalid")],
            id="javascript-tracking-url",
        ),
        pytest.param(
            {**PARCEL, "trackingUrl": "file:///etc/passwd"},
            [("trackingUrl", "invalid")],
            id="file-tracking-url",
        ),
        pytest.param(
            {**PARCEL, "trackingUrl": "/track/PKG-123456"},
            [("trackingUrl", "invalid")],
            id="relative-tracking-url",
        ),
        pytest.param(
            {**PARCEL, "trackingUrl": "https://t.example/" + "x" * 500},
            [("trackingUrl", "max_length")],
            id="tracking-url-too-long",
        ),
        pytest.param(
            {key: value for key, value in PARCEL.items() if key != "orderLineIds"},
            [("orderLineIds", "required")],
            id="missing-order-line-ids",
        ),
        pytest.param(
            {**PARCEL, "orderLineIds": []},
            [("orderLineIds", "empty")],
            id="empty-order-line-ids",
        ),
        pytest.param(
            {**PARCEL, "orderLineIds": "LINE_1"},
            [("orderLineIds", "not_a_list")],
            id="order-line-ids-not-a-list",
        ),
        pytest.param(
            {**PARCEL, "orderLineIds": ["LINE_1", 2]},
            [("orderLineIds[1]", "invalid")],
            id="order-line-id-not-a-string",
        ),
        pytest.param(
            {**PARCEL, "parcelNumber": 123456},
            [("parcelNumber", "invalid")],
            id="parcel-number-not-a-string",
        ),
        pytest.param(
            [PARCEL, {"parcelNumber": "PKG-2", "orderLineIds": []}],
            [("[1].carrierName", "required"), ("[1].orderLineIds", "empty")],
            id="second-parcel-of-an-array",
        ),
        pytest.param(
            [PARCEL, "PKG-2"],
            [("[1]", "invalid")],
            id="array-item-not-an-object",
        ),
    ],
)
def test_malformed_body_is_400_and_changes_nothing(api, body, expected_errors):
    order, _, _ = announcement_order()
    before = order_state(order)

    response = post_shipments(api, "2312011200A1B2", body)

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["type"] == (
        "https://seller-api.example/problems/invalid-request"
    )
    assert error_codes(response) == expected_errors
    assert order_state(order) == before
    assert audit_of_last_call() == (
        "Rejected",
        400,
        "2312011200A1B2",
        [("", field, code) for field, code in expected_errors],
    )


def test_body_that_is_not_json_is_400_and_recorded(api):
    order, _, _ = announcement_order()
    before = order_state(order)

    response = api.post(
        shipments_url("2312011200A1B2"),
        data='{"parcelNumber": ',
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert error_codes(response) == [("body", "parse_error")]
    assert order_state(order) == before
    assert audit_of_last_call() == (
        "Rejected",
        400,
        "2312011200A1B2",
        [("", "body", "parse_error")],
    )
    assert ShipmentRequest.objects.get().body == '{"parcelNumber": '


def test_body_that_is_not_json_media_type_is_415(api):
    order, _, _ = announcement_order()
    before = order_state(order)

    response = api.post(
        shipments_url("2312011200A1B2"), data="PKG-123456", content_type="text/plain"
    )

    assert response.status_code == 415
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "unsupported_media_type"
    assert error_codes(response) == [("Content-Type", "unsupported_media_type")]
    assert order_state(order) == before


def test_unknown_order_is_404_and_recorded(api):
    announcement_order()

    response = post_shipments(api, "NO-SUCH-ORDER", PARCEL)

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "order_not_found"
    assert error_codes(response) == [("orderId", "order_not_found")]
    assert audit_of_last_call() == (
        "Rejected",
        404,
        "NO-SUCH-ORDER",
        [("", "orderId", "order_not_found")],
    )


def test_another_sellers_order_is_404_exactly_like_an_unknown_one(api):
    other_order, _, _ = announcement_order(seller=SellerFactory(seller_id="12345"))
    before = order_state(other_order)

    response = post_shipments(api, "2312011200A1B2", PARCEL)
    unknown = post_shipments(api, "NO-SUCH-ORDER", PARCEL)

    assert response.status_code == 404
    assert response.json() == unknown.json()
    assert order_state(other_order) == before
    assert ShipmentRequest.objects.filter(order=other_order).count() == 0


def test_get_only_method_is_405(api):
    order, _, _ = announcement_order()
    before = order_state(order)

    response = api.delete(shipments_url("2312011200A1B2"))

    assert response.status_code == 405
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "method_not_allowed"
    assert order_state(order) == before


def test_accept_header_without_json_is_406(api):
    order, _, _ = announcement_order()
    before = order_state(order)

    response = api.post(
        shipments_url("2312011200A1B2"),
        PARCEL,
        format="json",
        headers={"Accept": "text/html"},
    )

    assert response.status_code == 406
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "not_acceptable"
    assert error_codes(response) == [("Accept", "not_acceptable")]
    assert order_state(order) == before


def test_declarations_over_the_rate_are_429_with_retry_after(api, settings):
    settings.SHIPMENT_THROTTLE_RATE = "2/minute"
    order, _, _ = announcement_order()
    post_shipments(api, "2312011200A1B2", {**PARCEL, "orderLineIds": ["LINE_9"]})
    post_shipments(api, "2312011200A1B2", {**PARCEL, "orderLineIds": ["LINE_9"]})
    before = order_state(order)

    response = post_shipments(api, "2312011200A1B2", PARCEL)

    assert response.status_code == 429
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60
    assert order_state(order) == before


def test_reads_are_not_throttled(api, settings):
    settings.SHIPMENT_THROTTLE_RATE = "1/minute"
    announcement_order()

    statuses = [api.get(shipments_url("2312011200A1B2")).status_code for _ in range(3)]

    assert statuses == [200, 200, 200]


def test_default_rate_allows_a_busy_sellers_burst(settings):
    count, period = settings.SHIPMENT_THROTTLE_RATE.split("/")

    assert (int(count), period) == (3000, "minute")


def test_unexpected_error_is_a_500_problem_logged_once(
    api, monkeypatch, caplog, token_secret
):
    order, _, _ = announcement_order()
    before = order_state(order)

    def fail(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("shipments.api.views.declare_shipments", fail)
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_secret}")

    with caplog.at_level(logging.ERROR):
        response = post_shipments(client, "2312011200A1B2", PARCEL)

    assert response.status_code == 500
    assert response["Content-Type"] == PROBLEM
    assert response.json() == {
        "type": "https://seller-api.example/problems/server-error",
        "title": "Internal server error",
        "status": 500,
        "detail": "The server failed to answer; the error is logged. Retry later.",
        "code": "server_error",
        "errors": [],
    }
    assert "secret internals" not in response.content.decode()
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].exc_info[0] is RuntimeError
    assert order_state(order) == before


def test_unknown_api_path_is_a_404_problem(api):
    response = api.get("/seller/v2/no-such-thing")

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "not_found"


def test_accepted_declaration_logs_info_and_rejected_logs_codes(api, caplog):
    _, _, line_2 = announcement_order()
    line_2.cancellation_requests.update(
        initiator=CancellationRequest.Initiator.SALES_CHANNEL
    )

    with caplog.at_level(logging.INFO, logger="shipments"):
        post_shipments(api, "2312011200A1B2", PARCEL)
        post_shipments(api, "2312011200A1B2", {**PARCEL, "orderLineIds": ["LINE_1"]})

    records = [
        (record.levelname, record.getMessage())
        for record in caplog.records
        if record.name.startswith("shipments")
    ]
    assert records == [
        (
            "WARNING",
            "Shipment declaration rejected for order 2312011200A1B2: "
            "cancellation_not_initiated_by_customer",
        ),
        (
            "INFO",
            "Shipment declaration accepted for order 2312011200A1B2: 1 parcel(s)",
        ),
    ]


def test_body_over_the_size_limit_is_a_413_problem(token_secret, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    order, _, _ = announcement_order()
    before = order_state(order)
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_secret}")

    response = post_shipments(
        client, "2312011200A1B2", {**PARCEL, "carrierName": "C" * 200}
    )

    assert response.status_code == 413
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "request_too_large"
    assert order_state(order) == before
