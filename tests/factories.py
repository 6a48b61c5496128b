"""factory-boy factories for the whole model."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from orders.models import CancellationRequest, Order, OrderLine, SalesChannel, Seller

NOW = dt.datetime(2026, 11, 29, 17, 40, 11, tzinfo=dt.UTC)


class SellerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seller
        django_get_or_create = ("seller_id",)

    seller_id = factory.Sequence(lambda n: f"{98979 + n}")
    name = factory.LazyAttribute(lambda seller: f"Seller {seller.seller_id}")


class SalesChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalesChannel
        django_get_or_create = ("sales_channel_id",)

    sales_channel_id = "CDISFR"
    name = "Cdiscount France"
    ships_customer_cancel_requests = True


class OtherChannelFactory(SalesChannelFactory):
    sales_channel_id = "OTHERMKT"
    name = "Another marketplace"
    ships_customer_cancel_requests = False


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    seller = factory.SubFactory(SellerFactory, seller_id="98979")
    sales_channel = factory.SubFactory(SalesChannelFactory)
    order_id = factory.Sequence(lambda n: f"2312011200{n:04X}")
    status = Order.Status.IN_PREPARATION
    supply_mode = Order.SupplyMode.SELLER
    shipping_country = "FR"
    created_at = NOW - dt.timedelta(days=1)
    updated_at = NOW


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    order_line_id = factory.Sequence(lambda n: f"LINE_{n + 1}")
    seller_product_id = factory.Sequence(lambda n: f"SKU-{n:05d}")
    product_title = "Electric kettle 1.7 L"
    quantity = 1
    unit_price = Decimal("39.90")
    status = OrderLine.Status.IN_PREPARATION


class CancellationRequestFactory(factory.django.DjangoModelFactory):
    """An open request; its line is put in CancelRequest to match."""

    class Meta:
        model = CancellationRequest

    order_line = factory.SubFactory(
        OrderLineFactory, status=OrderLine.Status.CANCEL_REQUEST
    )
    initiator = CancellationRequest.Initiator.CUSTOMER
    reason = "Ordered by mistake"
    requested_at = factory.LazyFunction(timezone.now)
    state = CancellationRequest.State.OPEN


def announcement_order(**order_fields):
    """The rule change's own example: LINE_1 ready, LINE_2 cancelled by the
    customer, on Cdiscount France, shipped by the seller."""
    order = OrderFactory(order_id="2312011200A1B2", **order_fields)
    line_1 = OrderLineFactory(
        order=order,
        order_line_id="LINE_1",
        seller_product_id="SKU-KETTLE-17",
        product_title="Electric kettle 1.7 L",
    )
    line_2 = OrderLineFactory(
        order=order,
        order_line_id="LINE_2",
        seller_product_id="SKU-MUG-SET4",
        product_title="Set of 4 stoneware mugs",
        quantity=2,
        unit_price=Decimal("24.50"),
        status=OrderLine.Status.CANCEL_REQUEST,
    )
    CancellationRequestFactory(order_line=line_2)
    return order, line_1, line_2
