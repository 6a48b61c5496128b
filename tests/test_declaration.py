"""The declaration service: all or nothing, and every call on record."""

import pytest

from orders.models import CancellationRequest, Order, OrderLine
from shipments.models import Shipment, ShipmentRequest
from shipments.services import ParcelDeclaration, declare_shipments
from tests.factories import (
    CancellationRequestFactory,
    OrderFactory,
    OrderLineFactory,
    OtherChannelFactory,
    announcement_order,
)
from tests.state import order_state

pytestmark = pytest.mark.django_db


def parcel(*order_line_ids, parcel_number="PKG-123456"):
    return ParcelDeclaration(
        parcel_number=parcel_number,
        carrier_name="Chronopost",
        tracking_url=f"https://tracking.example.com/{parcel_number}",
        order_line_ids=list(order_line_ids),
    )


def audit_errors(shipment_request):
    return list(shipment_request.errors.values_list("order_line_id", "field", "code"))


def test_announcement_example_ships_both_lines_and_closes_the_request():
    order, _, line_2 = announcement_order()

    outcome = declare_shipments(
        order=order, parcels=[parcel("LINE_1", "LINE_2")], declared_by="seller 98979"
    )

    assert outcome.accepted is True
    assert outcome.errors == []
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
    shipment = Shipment.objects.get(order=order)
    assert (shipment.parcel_number, shipment.carrier_name, shipment.tracking_url) == (
        "PKG-123456",
        "Chronopost",
        "https://tracking.example.com/PKG-123456",
    )
    assert sorted(shipment.lines.values_list("order_line_id", flat=True)) == [
        "LINE_1",
        "LINE_2",
    ]
    request = ShipmentRequest.objects.get()
    assert (request.outcome, request.http_status, request.declared_by) == (
        "Accepted",
        201,
        "seller 98979",
    )
    assert list(request.shipments.all()) == [shipment]
    assert list(
        request.line_verdicts.values_list("requested_line_id", "shippable")
    ) == [("LINE_1", True), ("LINE_2", True)]
    assert audit_errors(request) == []


def cancel_requested_line(initiator, **order_fields):
    order = OrderFactory(**order_fields)
    line = OrderLineFactory(
        order=order, order_line_id="LINE_2", status=OrderLine.Status.CANCEL_REQUEST
    )
    CancellationRequestFactory(order_line=line, initiator=initiator)
    return order


def ready_line(**order_fields):
    order = OrderFactory(**order_fields)
    OrderLineFactory(order=order, order_line_id="LINE_2")
    return order


REJECTIONS = [
    pytest.param(
        lambda: cancel_requested_line(CancellationRequest.Initiator.SELLER),
        "cancellation_not_initiated_by_customer",
        id="seller-initiated-cancel-request",
    ),
    pytest.param(
        lambda: cancel_requested_line(CancellationRequest.Initiator.SALES_CHANNEL),
        "cancellation_not_initiated_by_customer",
        id="sales-channel-initiated-cancel-request",
    ),
    pytest.param(
        lambda: cancel_requested_line(
            CancellationRequest.Initiator.CUSTOMER,
            sales_channel=OtherChannelFactory(),
        ),
        "channel_disallows_cancel_request_shipment",
        id="customer-cancel-request-on-other-channel",
    ),
    pytest.param(
        lambda: ready_line(supply_mode=Order.SupplyMode.FULFILLMENT),
        "supply_mode_not_seller",
        id="fulfillment",
    ),
    pytest.param(
        lambda: ready_line(supply_mode=Order.SupplyMode.XDOCK),
        "supply_mode_not_seller",
        id="xdock",
    ),
    *[
        pytest.param(
            lambda status=status: ready_line(status=status),
            "order_not_in_preparation",
            id=f"header-{status}",
        )
        for status in Order.Status
        if status != Order.Status.IN_PREPARATION
    ],
    pytest.param(
        lambda: (
            OrderLineFactory(
                order_line_id="LINE_2", status=OrderLine.Status.SHIPPED
            ).order
        ),
        "line_already_shipped",
        id="line-already-shipped",
    ),
    pytest.param(
        lambda: (
            OrderLineFactory(
                order_line_id="LINE_2", status=OrderLine.Status.CANCELLED
            ).order
        ),
        "line_cancelled",
        id="line-cancelled",
    ),
]


@pytest.mark.parametrize(("make_order", "code"), REJECTIONS)
def test_unshippable_line_is_rejected_and_nothing_changes(make_order, code):
    order = make_order()
    before = order_state(order)

    outcome = declare_shipments(
        order=order, parcels=[parcel("LINE_2")], declared_by="seller 98979"
    )

    assert outcome.accepted is False
    assert [(error.order_line_id, error.code) for error in outcome.errors] == [
        ("LINE_2", code)
    ]
    assert order_state(order) == before
    request = ShipmentRequest.objects.get()
    assert (request.outcome, request.http_status) == ("Rejected", 422)
    assert audit_errors(request) == [("LINE_2", "", code)]
    assert list(
        request.line_verdicts.values_list("requested_line_id", "shippable")
    ) == [("LINE_2", False)]


def test_mixed_request_ships_nothing_and_lists_the_failing_line():
    order = OrderFactory()
    OrderLineFactory(order=order, order_line_id="LINE_1")
    seller_cancelled = OrderLineFactory(
        order=order, order_line_id="LINE_2", status=OrderLine.Status.CANCEL_REQUEST
    )
    CancellationRequestFactory(
        order_line=seller_cancelled, initiator=CancellationRequest.Initiator.SELLER
    )
    before = order_state(order)

    outcome = declare_shipments(
        order=order, parcels=[parcel("LINE_1", "LINE_2")], declared_by="seller 98979"
    )

    assert outcome.accepted is False
    assert order_state(order) == before
    request = ShipmentRequest.objects.get()
    assert audit_errors(request) == [
        ("LINE_2", "", "cancellation_not_initiated_by_customer")
    ]
    assert list(
        request.line_verdicts.values_list("requested_line_id", "shippable")
    ) == [("LINE_1", True), ("LINE_2", False)]


def test_every_failing_line_is_listed_not_only_the_first():
    order = OrderFactory()
    OrderLineFactory(order=order, order_line_id="LINE_1", status="Shipped")
    OrderLineFactory(order=order, order_line_id="LINE_2", status="Cancelled")
    OrderLineFactory(order=order, order_line_id="LINE_3", status="Accepted")
    before = order_state(order)

    outcome = declare_shipments(
        order=order,
        parcels=[parcel("LINE_1", "LINE_2", "LINE_3")],
        declared_by="seller 98979",
    )

    assert outcome.accepted is False
    assert [(error.order_line_id, error.code) for error in outcome.errors] == [
        ("LINE_1", "line_already_shipped"),
        ("LINE_2", "line_cancelled"),
        ("LINE_3", "line_not_ready"),
    ]
    assert order_state(order) == before


def test_request_level_errors_are_reported_with_line_and_parcel():
    order, _, _ = announcement_order()
    declare_shipments(
        order=order,
        parcels=[parcel("LINE_1", parcel_number="PKG-1")],
        declared_by="seller 98979",
    )
    before = order_state(order)

    outcome = declare_shipments(
        order=order,
        parcels=[
            parcel("LINE_2", "LINE_9", parcel_number="PKG-1"),
            parcel("LINE_2", parcel_number="PKG-2"),
            parcel(parcel_number="PKG-2"),
        ],
        declared_by="seller 98979",
    )

    assert outcome.accepted is False
    assert [error.as_dict() for error in outcome.errors] == [
        {
            "field": "[0].parcelNumber",
            "code": "parcel_already_declared",
            "detail": "Parcel PKG-1 is already declared on this order.",
        },
        {
            "orderLineId": "LINE_9",
            "code": "line_not_found",
            "detail": "Order 2312011200A1B2 has no line LINE_9.",
        },
        {
            "orderLineId": "LINE_2",
            "code": "line_listed_twice",
            "detail": "Line LINE_2 is listed more than once in this request.",
        },
        {
            "field": "[2].parcelNumber",
            "code": "parcel_listed_twice",
            "detail": "Parcel PKG-2 appears twice in this request.",
        },
    ]
    assert order_state(order) == before
    assert ShipmentRequest.objects.filter(outcome="Rejected").count() == 1


def test_header_stays_in_preparation_while_a_line_is_left_to_ship():
    order, _, _ = announcement_order()

    outcome = declare_shipments(
        order=order, parcels=[parcel("LINE_1")], declared_by="seller 98979"
    )

    assert outcome.accepted is True
    order.refresh_from_db()
    assert order.status == Order.Status.IN_PREPARATION
    assert list(order.lines.values_list("order_line_id", "status")) == [
        ("LINE_1", "Shipped"),
        ("LINE_2", "CancelRequest"),
    ]


def test_header_ships_when_the_other_lines_are_cancelled():
    order = OrderFactory()
    OrderLineFactory(order=order, order_line_id="LINE_1")
    OrderLineFactory(order=order, order_line_id="LINE_2", status="Cancelled")

    declare_shipments(order=order, parcels=[parcel("LINE_1")], declared_by="x")

    order.refresh_from_db()
    assert order.status == Order.Status.SHIPPED


def test_several_parcels_each_hold_their_own_lines():
    order, _, _ = announcement_order()

    outcome = declare_shipments(
        order=order,
        parcels=[
            parcel("LINE_1", parcel_number="PKG-1"),
            parcel("LINE_2", parcel_number="PKG-2"),
        ],
        declared_by="seller 98979",
    )

    assert [
        (shipment.parcel_number, [line.order_line_id for line in shipment.lines.all()])
        for shipment in outcome.shipments
    ] == [("PKG-1", ["LINE_1"]), ("PKG-2", ["LINE_2"])]
