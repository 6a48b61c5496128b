"""Snapshots of what a rejected operation must leave untouched."""

from orders.models import CancellationRequest, Order, OrderLine
from shipments.models import Shipment, ShipmentLine


def order_state(order):
    """Everything about an order that a refused operation must not change."""
    order = Order.objects.get(pk=order.pk)
    return {
        "status": order.status,
        "updated_at": order.updated_at,
        "lines": list(
            OrderLine.objects.filter(order=order)
            .order_by("pk")
            .values_list("order_line_id", "status", "updated_at")
        ),
        "cancellation_requests": list(
            CancellationRequest.objects.filter(order_line__order=order)
            .order_by("pk")
            .values_list("pk", "state", "updated_at")
        ),
        "shipments": list(
            Shipment.objects.filter(order=order)
            .order_by("pk")
            .values_list("parcel_number", flat=True)
        ),
        "shipment_lines": ShipmentLine.objects.filter(shipment__order=order).count(),
    }
