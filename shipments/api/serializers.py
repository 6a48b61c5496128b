"""What the API reads and writes; names are the marketplace API's camelCase.

Serializers only translate: the rule and the declaration live in
``orders.eligibility`` and ``shipments.services``.
"""

from django.core.validators import URLValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from orders.eligibility import CheckName, ReasonCode
from orders.models import (
    CancellationInitiator,
    CancellationState,
    LineStatus,
    OrderStatus,
    SupplyMode,
)
from orders.services import assess_order_lines, open_request_among
from shipments.services import ParcelDeclaration

# An order has a few lines; a parcel naming more than this many is an error.
MAX_LINES_PER_PARCEL = 1000


class StrictCharField(serializers.CharField):
    """A string field that refuses numbers instead of converting them."""

    default_error_messages = {"invalid": "Must be a string."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class ParcelSerializer(serializers.Serializer):
    """One parcel to declare, as the integrator sends it."""

    parcelNumber = StrictCharField(
        max_length=64, help_text="The carrier's parcel number, unique per order."
    )
    carrierName = StrictCharField(max_length=100)
    trackingUrl = StrictCharField(
        max_length=500,
        required=False,
        allow_blank=True,
        allow_null=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="Optional; an absolute http or https URL.",
    )
    orderLineIds = serializers.ListField(
        child=StrictCharField(max_length=64),
        allow_empty=False,
        max_length=MAX_LINES_PER_PARCEL,
        help_text="The order lines in this parcel; every one must be shippable.",
    )

    def to_declaration(self):
        data = self.validated_data
        return ParcelDeclaration(
            parcel_number=data["parcelNumber"],
            carrier_name=data["carrierName"],
            tracking_url=data.get("trackingUrl") or "",
            order_line_ids=list(data["orderLineIds"]),
        )


class ShipmentSerializer(serializers.Serializer):
    """A declared parcel. Reads ``lines`` (prefetch it for many shipments)."""

    parcelNumber = serializers.CharField(source="parcel_number")
    carrierName = serializers.CharField(source="carrier_name")
    trackingUrl = serializers.SerializerMethodField()
    orderLineIds = serializers.SerializerMethodField()
    createdAt = serializers.DateTimeField(source="created_at")

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_trackingUrl(self, shipment):
        return shipment.tracking_url or None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_orderLineIds(self, shipment):
        return [line.order_line_id for line in shipment.lines.all()]


class CancellationRequestSerializer(serializers.Serializer):
    initiator = serializers.ChoiceField(choices=CancellationInitiator.choices)
    reason = serializers.CharField()
    requestedAt = serializers.DateTimeField(source="requested_at")
    state = serializers.ChoiceField(choices=CancellationState.choices)


class OrderLineSerializer(serializers.Serializer):
    """A line; reads ``cancellation_requests`` (prefetch it for many lines)."""

    orderLineId = serializers.CharField(source="order_line_id")
    status = serializers.ChoiceField(choices=LineStatus.choices)
    sellerProductId = serializers.CharField(source="seller_product_id")
    productTitle = serializers.CharField(source="product_title")
    quantity = serializers.IntegerField()
    unitPrice = serializers.DecimalField(
        source="unit_price", max_digits=12, decimal_places=2
    )
    cancellationRequest = serializers.SerializerMethodField(
        help_text="The open cancellation request, or else the latest one; null "
        "when the line never had one."
    )

    @extend_schema_field(CancellationRequestSerializer(allow_null=True))
    def get_cancellationRequest(self, line):
        requests = list(line.cancellation_requests.all())
        request = open_request_among(requests)
        if request is None and requests:
            request = max(requests, key=lambda each: (each.requested_at, each.pk))
        if request is None:
            return None
        return CancellationRequestSerializer(request).data


class OrderHeaderSerializer(serializers.Serializer):
    orderId = serializers.CharField(source="order_id")
    status = serializers.ChoiceField(choices=OrderStatus.choices)
    supplyMode = serializers.ChoiceField(
        source="supply_mode", choices=SupplyMode.choices
    )
    salesChannelId = serializers.CharField(source="sales_channel.sales_channel_id")
    shippingCountry = serializers.CharField(source="shipping_country")
    createdAt = serializers.DateTimeField(source="created_at")
    updatedAt = serializers.DateTimeField(source="updated_at")


class OrderSerializer(OrderHeaderSerializer):
    """An order with its lines and shipments (prefetch them for many)."""

    lines = OrderLineSerializer(many=True)
    shipments = ShipmentSerializer(many=True)


class PageQuerySerializer(serializers.Serializer):
    # Bounded so that the offset always fits the database's integers.
    pageIndex = serializers.IntegerField(min_value=1, max_value=1_000_000, default=1)
    pageSize = serializers.IntegerField(min_value=1, max_value=100, default=50)


class CheckSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=CheckName.choices)
    label = serializers.CharField()
    passed = serializers.BooleanField()
    code = serializers.ChoiceField(choices=ReasonCode.choices, allow_null=True)
    detail = serializers.CharField()


class LineVerdictSerializer(serializers.Serializer):
    orderLineId = serializers.CharField()
    status = serializers.ChoiceField(choices=LineStatus.choices)
    shippable = serializers.BooleanField()
    reasonCodes = serializers.ListField(
        child=serializers.ChoiceField(choices=ReasonCode.choices)
    )
    checks = CheckSerializer(many=True)


class OrderEligibilitySerializer(OrderHeaderSerializer):
    """Every line's verdict, from the same rule the declaration applies."""

    lines = serializers.SerializerMethodField()

    @extend_schema_field(LineVerdictSerializer(many=True))
    def get_lines(self, order):
        return [
            {
                "orderLineId": line.order_line_id,
                "status": line.status,
                "shippable": verdict.shippable,
                "reasonCodes": [str(code) for code in verdict.reason_codes],
                "checks": [check.as_dict() for check in verdict.checks],
            }
            for line, _, verdict in assess_order_lines(order)
        ]


class ProblemErrorSerializer(serializers.Serializer):
    orderLineId = serializers.CharField(
        required=False, help_text="The line the error is about, for line errors."
    )
    field = serializers.CharField(
        required=False,
        help_text="The body member, query parameter or header the error is about.",
    )
    code = serializers.CharField(help_text="A stable snake_case code.")
    detail = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """An error, as ``application/problem+json`` (RFC 9457)."""

    type = serializers.URLField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField(help_text="A stable snake_case code.")
    errors = ProblemErrorSerializer(many=True)
