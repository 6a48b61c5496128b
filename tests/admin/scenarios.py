"""Orders in the situations an operator filters and searches for."""

from orders.models import CancellationRequest, Order, OrderLine
from tests.factories import (
    CancellationRequestFactory,
    OrderFactory,
    OrderLineFactory,
    OtherChannelFactory,
    announcement_order,
)


def seller_cancel_request_order():
    """An order whose only line the seller asked to cancel: not shippable."""
    order = OrderFactory(order_id="SELLER-CANCEL")
    line = OrderLineFactory(
        order=order,
        order_line_id="SELLER_LINE",
        seller_product_id="SKU-TEAPOT-1L",
        product_title="Cast iron teapot 1 L",
        status=OrderLine.Status.CANCEL_REQUEST,
    )
    CancellationRequestFactory(
        order_line=line,
        initiator=CancellationRequest.Initiator.SELLER,
        reason="Out of stock",
    )
    return order, line


def operator_orders():
    """Four orders: two on Cdiscount France, one fulfilled, one elsewhere."""
    announcement, line_1, line_2 = announcement_order()
    seller_cancel, seller_line = seller_cancel_request_order()
    fulfilled = OrderFactory(
        order_id="FULFILLED", supply_mode=Order.SupplyMode.FULFILLMENT
    )
    fulfilled_line = OrderLineFactory(order=fulfilled, order_line_id="FULFILLED_LINE")
    elsewhere = OrderFactory(
        order_id="ELSEWHERE",
        sales_channel=OtherChannelFactory(),
        status=Order.Status.SHIPPED,
    )
    elsewhere_line = OrderLineFactory(
        order=elsewhere,
        order_line_id="ELSEWHERE_LINE",
        status=OrderLine.Status.SHIPPED,
    )
    return {
        "orders": [announcement, seller_cancel, fulfilled, elsewhere],
        "lines": [line_1, line_2, seller_line, fulfilled_line, elsewhere_line],
    }
