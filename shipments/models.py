"""Parcels declared as shipped, and the audit record of every declaration."""

import datetime as dt

from django.core.validators import URLValidator
from django.db import models

from orders.models import Order, OrderLine, Seller


class Shipment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="shipments")
    parcel_number = models.CharField(max_length=64)
    carrier_name = models.CharField(max_length=100)
    tracking_url = models.URLField(
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    lines = models.ManyToManyField(
        OrderLine, through="ShipmentLine", related_name="shipments"
    )
    declared_by = models.CharField(
        max_length=150, help_text="The API token or operator that declared it."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "parcel_number"],
                name="parcel_number_unique_per_order",
            ),
        ]

    def __str__(self):
        return f"{self.parcel_number} ({self.carrier_name})"


class ShipmentLine(models.Model):
    """An order line in a parcel; a line is in at most one parcel."""

    shipment = models.ForeignKey(
        Shipment, on_delete=models.PROTECT, related_name="shipment_lines"
    )
    order_line = models.OneToOneField(
        OrderLine, on_delete=models.PROTECT, related_name="shipment_line"
    )

    class Meta:
        ordering = ["shipment", "order_line"]

    def __str__(self):
        return f"{self.order_line} in {self.shipment}"


class ShipmentRequest(models.Model):
    """One call to declare shipments, accepted or rejected, kept for audit."""

    class Outcome(models.TextChoices):
        ACCEPTED = "Accepted"
        REJECTED = "Rejected"

    seller = models.ForeignKey(
        Seller, on_delete=models.PROTECT, related_name="shipment_requests"
    )
    order = models.ForeignKey(
        Order,
        on_delete=models.PROTECT,
        related_name="shipment_requests",
        null=True,
        blank=True,
    )
    requested_order_id = models.CharField(
        max_length=64, help_text="The order id as the caller sent it."
    )
    declared_by = models.CharField(max_length=150)
    idempotency_key = models.CharField(max_length=255, blank=True)
    body = models.JSONField(help_text="The request body as received.")
    outcome = models.CharField(max_length=16, choices=Outcome)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    shipments = models.ManyToManyField(
        Shipment, blank=True, related_name="shipment_requests"
    )
    replay_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="replays",
        null=True,
        blank=True,
        help_text="The first call with the same Idempotency-Key, whose answer "
        "this retry got again; nothing was decided anew.",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.outcome} declaration for {self.requested_order_id}"


class ShipmentRequestLine(models.Model):
    """The verdict of the rule on one line named in a shipment request."""

    shipment_request = models.ForeignKey(
        ShipmentRequest, on_delete=models.CASCADE, related_name="line_verdicts"
    )
    requested_line_id = models.CharField(
        max_length=64, help_text="The order line id as the caller sent it."
    )
    order_line = models.ForeignKey(
        OrderLine,
        on_delete=models.PROTECT,
        related_name="shipment_request_verdicts",
        null=True,
        blank=True,
    )
    parcel_number = models.CharField(max_length=64, blank=True)
    shippable = models.BooleanField()
    checks = models.JSONField(
        default=list,
        help_text="Every check of the rule: name, passed, code and detail.",
    )

    class Meta:
        ordering = ["shipment_request", "pk"]

    def __str__(self):
        verdict = "shippable" if self.shippable else "not shippable"
        return f"{self.requested_line_id}: {verdict}"


class ShipmentRequestError(models.Model):
    """One reason a shipment request was rejected, as the API reported it."""

    shipment_request = models.ForeignKey(
        ShipmentRequest, on_delete=models.CASCADE, related_name="errors"
    )
    order_line_id = models.CharField(max_length=64, blank=True)
    field = models.CharField(max_length=100, blank=True)
    code = models.CharField(max_length=64, db_index=True)
    detail = models.CharField(max_length=500)

    class Meta:
        ordering = ["shipment_request", "pk"]

    def __str__(self):
        return f"{self.order_line_id or self.field}: {self.code}"


class ApiToken(models.Model):
    """A seller's credential for the API; only its SHA-256 digest is stored.

    The first characters of the secret are kept readable as ``prefix`` so an
    operator can tell tokens apart; the rest is shown once, when it is issued.
    """

    seller = models.ForeignKey(
        Seller, on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(
        max_length=16,
        db_index=True,
        help_text="The readable start of the token; the rest is never stored.",
    )
    digest = models.CharField(
        max_length=64, unique=True, help_text="SHA-256 of the whole token, in hex."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["seller", "-created_at", "pk"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.prefix}… ({self.seller})"

    @property
    def is_revoked(self):
        return self.revoked_at is not None


class IdempotencyKey(models.Model):
    """The first response to a seller's shipment call sent with a given key.

    A retry with the same key and the same request gets this response again
    instead of a second declaration, until ``expires_at``.
    """

    LIFETIME = dt.timedelta(hours=24)

    seller = models.ForeignKey(
        Seller, on_delete=models.CASCADE, related_name="idempotency_keys"
    )
    key = models.CharField(max_length=255)
    request_fingerprint = models.CharField(
        max_length=64, help_text="SHA-256 of the order id and the parsed body."
    )
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    shipment_request = models.ForeignKey(
        ShipmentRequest,
        on_delete=models.SET_NULL,
        related_name="idempotency_keys",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["seller", "-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "key"], name="idempotency_key_unique_per_seller"
            ),
        ]

    def __str__(self):
        return f"{self.key} ({self.response_status})"
