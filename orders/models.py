"""Sellers, sales channels, orders, their lines and cancellation requests.

Field values of the status choices are the marketplace API's own words, so
what is stored, imported and served is spelled the same everywhere.
"""

from django.db import models


class OrderStatus(models.TextChoices):
    WAITING_ACCEPTANCE = "WaitingAcceptance"
    ACCEPTED = "Accepted"
    REFUSED = "Refused"
    IN_PREPARATION = "InPreparation"
    SHIPPED = "Shipped"
    DELIVERED = "Delivered"
    CANCELLED = "Cancelled"


class SupplyMode(models.TextChoices):
    SELLER = "Seller"
    FULFILLMENT = "Fulfillment"
    XDOCK = "Xdock"


class LineStatus(models.TextChoices):
    WAITING_ACCEPTANCE = "WaitingAcceptance"
    ACCEPTED = "Accepted"
    REFUSED = "Refused"
    IN_PREPARATION = "InPreparation"
    CANCEL_REQUEST = "CancelRequest"
    CANCELLED = "Cancelled"
    SHIPPED = "Shipped"
    DELIVERED = "Delivered"


class CancellationInitiator(models.TextChoices):
    CUSTOMER = "Customer"
    SELLER = "Seller"
    SALES_CHANNEL = "SalesChannel"


class CancellationState(models.TextChoices):
    OPEN = "Open"
    ACCEPTED = "Accepted"
    CLOSED_BY_SHIPMENT = "ClosedByShipment"


class Seller(models.Model):
    seller_id = models.CharField("seller id", max_length=64, unique=True)
    name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["seller_id"]

    def __str__(self):
        return self.name or self.seller_id


class SalesChannel(models.Model):
    sales_channel_id = models.CharField("sales channel id", max_length=32, unique=True)
    name = models.CharField(max_length=200, blank=True)
    ships_customer_cancel_requests = models.BooleanField(
        "ships customer cancel requests",
        default=False,
        help_text=(
            "Lines in CancelRequest may be declared shipped when the customer "
            "asked to cancel. On for Cdiscount channels."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sales_channel_id"]

    def __str__(self):
        return self.sales_channel_id


class Order(models.Model):
    Status = OrderStatus

    SupplyMode = SupplyMode

    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="orders")
    sales_channel = models.ForeignKey(
        SalesChannel, on_delete=models.PROTECT, related_name="orders"
    )
    order_id = models.CharField("order id", max_length=64)
    status = models.CharField(max_length=32, choices=Status)
    supply_mode = models.CharField(max_length=32, choices=SupplyMode)
    shipping_country = models.CharField(max_length=2, blank=True)
    created_at = models.DateTimeField(
        help_text="When the marketplace created the order."
    )
    updated_at = models.DateTimeField(
        db_index=True,
        help_text="Last change, on the marketplace or here.",
    )

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "order_id"], name="order_id_unique_per_seller"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=OrderStatus.values),
                name="order_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(supply_mode__in=SupplyMode.values),
                name="order_supply_mode_known",
            ),
        ]

    def __str__(self):
        return self.order_id


class OrderLine(models.Model):
    Status = LineStatus

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    order_line_id = models.CharField("order line id", max_length=64)
    seller_product_id = models.CharField("seller product id", max_length=128)
    product_title = models.CharField(max_length=500, blank=True)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(max_length=32, choices=Status)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "order_line_id"],
                name="order_line_id_unique_per_order",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="order_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=0),
                name="order_line_unit_price_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=LineStatus.values),
                name="order_line_status_known",
            ),
        ]

    def __str__(self):
        return self.order_line_id


class CancellationRequest(models.Model):
    Initiator = CancellationInitiator

    State = CancellationState

    order_line = models.ForeignKey(
        OrderLine, on_delete=models.CASCADE, related_name="cancellation_requests"
    )
    initiator = models.CharField(max_length=32, choices=Initiator)
    reason = models.CharField(max_length=500, blank=True)
    requested_at = models.DateTimeField()
    state = models.CharField(max_length=32, choices=State, default=State.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order_line", "requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order_line"],
                condition=models.Q(state=CancellationState.OPEN),
                name="one_open_cancellation_request_per_line",
            ),
            models.CheckConstraint(
                condition=models.Q(initiator__in=CancellationInitiator.values),
                name="cancellation_initiator_known",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=CancellationState.values),
                name="cancellation_state_known",
            ),
        ]

    def __str__(self):
        return f"{self.initiator} request ({self.state})"
