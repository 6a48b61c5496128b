"""What must hold for an order after any mix of concurrent operations."""

from collections import Counter

from orders.models import CancellationRequest, Order, OrderLine
from shipments.models import ShipmentLine

CLOSED_LINE_STATUSES = {"Shipped", "Delivered", "Cancelled"}


def assert_order_consistent(order):
    """Fail with a precise message when an order's rows contradict each other.

    A line is in at most one parcel, and in one exactly when it is Shipped;
    a line is in CancelRequest exactly while it has one open request; a
    Cancelled line has one accepted request; the header is Shipped or
    Cancelled once no line is left to ship.
    """
    order = Order.objects.get(pk=order.pk)
    lines = list(OrderLine.objects.filter(order=order).order_by("pk"))
    parcels_per_line = Counter(
        ShipmentLine.objects.filter(order_line__order=order).values_list(
            "order_line_id", flat=True
        )
    )
    requests = Counter(
        CancellationRequest.objects.filter(order_line__order=order).values_list(
            "order_line_id", "state"
        )
    )

    for line in lines:
        where = f"order {order.order_id} line {line.order_line_id} ({line.status})"
        in_parcels = parcels_per_line[line.pk]
        assert in_parcels <= 1, f"{where} is in {in_parcels} parcels"
        assert (in_parcels == 1) == (line.status == "Shipped"), (
            f"{where} is in {in_parcels} parcel(s)"
        )
        open_requests = requests[(line.pk, "Open")]
        assert open_requests == (1 if line.status == "CancelRequest" else 0), (
            f"{where} has {open_requests} open cancellation request(s)"
        )
        accepted = requests[(line.pk, "Accepted")]
        assert accepted == (1 if line.status == "Cancelled" else 0), (
            f"{where} has {accepted} accepted cancellation request(s)"
        )

    statuses = {line.status for line in lines}
    where = f"order {order.order_id} is {order.status} with lines {sorted(statuses)}"
    if statuses and statuses <= CLOSED_LINE_STATUSES:
        if order.status in ("InPreparation", "Shipped", "Cancelled"):
            expected = "Cancelled" if statuses == {"Cancelled"} else "Shipped"
            assert order.status == expected, where
    else:
        assert order.status not in ("Shipped", "Cancelled"), where
