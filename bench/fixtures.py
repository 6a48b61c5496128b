"""Orders for the API benchmark, written in bulk for one seller.

Every order is InPreparation, shipped by the seller, on a Cdiscount channel
that ships customer cancel requests. Half have two lines; one in four has its
first line in CancelRequest because the customer asked to cancel. Every line
may therefore be declared shipped, and each order is declared once.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from orders.models import CancellationRequest, Order, OrderLine, SalesChannel, Seller

SELLER_ID = "BENCH"
BATCH_SIZE = 2_000


@dataclass(frozen=True)
class BenchOrder:
    """What a declaration of one whole order needs to know."""

    order_id: str
    line_ids: tuple[str, ...]

    def parcel(self):
        return {
            "parcelNumber": f"PKG-{self.order_id}",
            "carrierName": "Chronopost",
            "trackingUrl": f"https://tracking.example.com/PKG-{self.order_id}",
            "orderLineIds": list(self.line_ids),
        }


def line_count_of(index):
    return 2 if index % 2 else 1


def has_customer_cancel_request(index):
    return index % 4 == 3


def load_orders(count):
    """Write ``count`` orders for seller BENCH; return them, newest first."""
    seller, _ = Seller.objects.get_or_create(
        seller_id=SELLER_ID, defaults={"name": "Benchmark seller"}
    )
    channel, _ = SalesChannel.objects.update_or_create(
        sales_channel_id="CDISFR",
        defaults={"name": "Cdiscount France", "ships_customer_cancel_requests": True},
    )
    now = timezone.now()
    created = []
    with transaction.atomic():
        for start in range(0, count, BATCH_SIZE):
            indexes = range(start, min(count, start + BATCH_SIZE))
            orders = Order.objects.bulk_create(
                [
                    Order(
                        seller=seller,
                        sales_channel=channel,
                        order_id=f"BENCH{index:07d}",
                        status=Order.Status.IN_PREPARATION,
                        supply_mode=Order.SupplyMode.SELLER,
                        shipping_country="FR",
                        created_at=now - dt.timedelta(seconds=index),
                        updated_at=now,
                    )
                    for index in indexes
                ]
            )
            lines = OrderLine.objects.bulk_create(
                [
                    OrderLine(
                        order=order,
                        order_line_id=f"LINE_{number}",
                        seller_product_id=f"SKU-{index % 500:04d}",
                        product_title="Electric kettle 1.7 L",
                        quantity=1,
                        unit_price=Decimal("39.90"),
                        status=OrderLine.Status.CANCEL_REQUEST
                        if number == 1 and has_customer_cancel_request(index)
                        else OrderLine.Status.IN_PREPARATION,
                    )
                    for index, order in zip(indexes, orders, strict=True)
                    for number in range(1, line_count_of(index) + 1)
                ]
            )
            CancellationRequest.objects.bulk_create(
                [
                    CancellationRequest(
                        order_line=line,
                        initiator=CancellationRequest.Initiator.CUSTOMER,
                        reason="Ordered by mistake",
                        requested_at=now,
                        state=CancellationRequest.State.OPEN,
                    )
                    for line in lines
                    if line.status == OrderLine.Status.CANCEL_REQUEST
                ]
            )
            created += [
                BenchOrder(
                    order.order_id,
                    tuple(f"LINE_{n}" for n in range(1, line_count_of(index) + 1)),
                )
                for index, order in zip(indexes, orders, strict=True)
            ]
    return created
