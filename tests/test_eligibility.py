"""The eligibility rule, row by row of its table.

These tests have no database access: pytest-django fails any test here that
tries a query, which proves the rule is a pure function.
"""

import pytest

from orders.eligibility import CheckName, ReasonCode, assess_line
from orders.models import CancellationRequest, Order, OrderLine, SalesChannel

CDISCOUNT = SalesChannel(sales_channel_id="CDISFR", ships_customer_cancel_requests=True)
OTHER_CHANNEL = SalesChannel(
    sales_channel_id="OTHERMKT", ships_customer_cancel_requests=False
)


def assess(
    *,
    order_status=Order.Status.IN_PREPARATION,
    supply_mode=Order.SupplyMode.SELLER,
    line_status=OrderLine.Status.IN_PREPARATION,
    initiator=None,
    channel=CDISCOUNT,
):
    order = Order(
        order_id="2312011200A1B2", status=order_status, supply_mode=supply_mode
    )
    line = OrderLine(order_line_id="LINE_1", status=line_status)
    request = (
        CancellationRequest(initiator=initiator, state=CancellationRequest.State.OPEN)
        if initiator
        else None
    )
    return assess_line(
        order=order, line=line, open_cancellation_request=request, sales_channel=channel
    )


def test_announcement_example_ships_both_lines():
    ready_line = assess()
    customer_cancelled_line = assess(
        line_status=OrderLine.Status.CANCEL_REQUEST,
        initiator=CancellationRequest.Initiator.CUSTOMER,
    )

    assert ready_line.shippable is True
    assert ready_line.reason_codes == []
    assert customer_cancelled_line.shippable is True
    assert [check.name for check in customer_cancelled_line.checks] == [
        CheckName.ORDER_STATUS,
        CheckName.SUPPLY_MODE,
        CheckName.LINE_STATUS,
        CheckName.CHANNEL_POLICY,
        CheckName.CANCEL_REQUEST_OPEN,
        CheckName.CANCELLATION_INITIATOR,
    ]
    assert all(check.passed for check in customer_cancelled_line.checks)


@pytest.mark.parametrize(
    "order_status",
    [status for status in Order.Status if status != Order.Status.IN_PREPARATION],
    ids=str,
)
@pytest.mark.parametrize(
    "line_status",
    [OrderLine.Status.IN_PREPARATION, OrderLine.Status.CANCEL_REQUEST],
    ids=str,
)
def test_order_not_in_preparation_is_refused(order_status, line_status):
    verdict = assess(
        order_status=order_status,
        line_status=line_status,
        initiator=CancellationRequest.Initiator.CUSTOMER,
    )

    assert verdict.shippable is False
    assert verdict.reason_codes == [ReasonCode.ORDER_NOT_IN_PREPARATION]
    assert verdict.failures[0].detail == (
        f"The order is {order_status}; only InPreparation orders can ship."
    )


@pytest.mark.parametrize(
    "supply_mode", [Order.SupplyMode.FULFILLMENT, Order.SupplyMode.XDOCK], ids=str
)
@pytest.mark.parametrize(
    "line_status",
    [OrderLine.Status.IN_PREPARATION, OrderLine.Status.CANCEL_REQUEST],
    ids=str,
)
def test_supply_mode_other_than_seller_is_refused(supply_mode, line_status):
    verdict = assess(
        supply_mode=supply_mode,
        line_status=line_status,
        initiator=CancellationRequest.Initiator.CUSTOMER,
    )

    assert verdict.shippable is False
    assert verdict.reason_codes == [ReasonCode.SUPPLY_MODE_NOT_SELLER]


@pytest.mark.parametrize(
    ("line_status", "code"),
    [
        (OrderLine.Status.SHIPPED, ReasonCode.LINE_ALREADY_SHIPPED),
        (OrderLine.Status.DELIVERED, ReasonCode.LINE_ALREADY_SHIPPED),
        (OrderLine.Status.CANCELLED, ReasonCode.LINE_CANCELLED),
        (OrderLine.Status.WAITING_ACCEPTANCE, ReasonCode.LINE_NOT_READY),
        (OrderLine.Status.ACCEPTED, ReasonCode.LINE_NOT_READY),
        (OrderLine.Status.REFUSED, ReasonCode.LINE_NOT_READY),
    ],
    ids=str,
)
def test_line_status_outside_preparation_is_refused(line_status, code):
    verdict = assess(line_status=line_status)

    assert verdict.shippable is False
    assert verdict.reason_codes == [code]
    assert [check.name for check in verdict.checks] == [
        CheckName.ORDER_STATUS,
        CheckName.SUPPLY_MODE,
        CheckName.LINE_STATUS,
    ]


@pytest.mark.parametrize(
    ("initiator", "channel", "codes"),
    [
        pytest.param(
            CancellationRequest.Initiator.CUSTOMER,
            CDISCOUNT,
            [],
            id="customer-cdiscount",
        ),
        pytest.param(
            CancellationRequest.Initiator.CUSTOMER,
            OTHER_CHANNEL,
            [ReasonCode.CHANNEL_DISALLOWS_CANCEL_REQUEST_SHIPMENT],
            id="customer-other-channel",
        ),
        pytest.param(
            CancellationRequest.Initiator.SELLER,
            CDISCOUNT,
            [ReasonCode.CANCELLATION_NOT_INITIATED_BY_CUSTOMER],
            id="seller-cdiscount",
        ),
        pytest.param(
            CancellationRequest.Initiator.SALES_CHANNEL,
            CDISCOUNT,
            [ReasonCode.CANCELLATION_NOT_INITIATED_BY_CUSTOMER],
            id="sales-channel-cdiscount",
        ),
        pytest.param(
            CancellationRequest.Initiator.SELLER,
            OTHER_CHANNEL,
            [
                ReasonCode.CHANNEL_DISALLOWS_CANCEL_REQUEST_SHIPMENT,
                ReasonCode.CANCELLATION_NOT_INITIATED_BY_CUSTOMER,
            ],
            id="seller-other-channel",
        ),
        pytest.param(
            None, CDISCOUNT, [ReasonCode.CANCEL_REQUEST_MISSING], id="no-request"
        ),
        pytest.param(
            None,
            OTHER_CHANNEL,
            [
                ReasonCode.CHANNEL_DISALLOWS_CANCEL_REQUEST_SHIPMENT,
                ReasonCode.CANCEL_REQUEST_MISSING,
            ],
            id="no-request-other-channel",
        ),
    ],
)
def test_cancel_request_line_ships_only_for_customer_on_allowing_channel(
    initiator, channel, codes
):
    verdict = assess(
        line_status=OrderLine.Status.CANCEL_REQUEST,
        initiator=initiator,
        channel=channel,
    )

    assert verdict.shippable is (codes == [])
    assert verdict.reason_codes == codes


def test_seller_initiated_cancel_request_explains_itself():
    verdict = assess(
        line_status=OrderLine.Status.CANCEL_REQUEST,
        initiator=CancellationRequest.Initiator.SELLER,
    )

    failure = verdict.failures[0]
    assert failure.as_dict() == {
        "name": "cancellation_initiator",
        "label": "Cancellation was initiated by the customer",
        "passed": False,
        "code": "cancellation_not_initiated_by_customer",
        "detail": "The cancellation was initiated by Seller; only a customer's "
        "request lets the line ship.",
    }


def test_every_failing_check_is_reported_not_only_the_first():
    verdict = assess(
        order_status=Order.Status.SHIPPED,
        supply_mode=Order.SupplyMode.XDOCK,
        line_status=OrderLine.Status.CANCEL_REQUEST,
        initiator=CancellationRequest.Initiator.SALES_CHANNEL,
        channel=OTHER_CHANNEL,
    )

    assert verdict.reason_codes == [
        ReasonCode.ORDER_NOT_IN_PREPARATION,
        ReasonCode.SUPPLY_MODE_NOT_SELLER,
        ReasonCode.CHANNEL_DISALLOWS_CANCEL_REQUEST_SHIPMENT,
        ReasonCode.CANCELLATION_NOT_INITIATED_BY_CUSTOMER,
    ]
