"""The seller API's endpoints. They translate HTTP to the services and back.

The rule is ``orders.eligibility.assess_line``, the declaration is
``shipments.services.declare_shipments``; nothing here decides whether a line
ships.
"""

from django.core.exceptions import RequestDataTooBig
from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_view
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response

from orders.models import Order
from shipments.api import schema
from shipments.api.filters import OrderFilter
from shipments.api.idempotency import Answer, answer_once, request_fingerprint
from shipments.api.pagination import PageIndexPagination
from shipments.api.parsers import StrictJSONParser
from shipments.api.problems import (
    SHIPMENT_REJECTED,
    IdempotencyKeyReused,
    OrderNotFound,
    RequestTooLarge,
    error_entries,
    problem_body,
    problem_response,
)
from shipments.api.serializers import (
    OrderEligibilitySerializer,
    OrderSerializer,
    ParcelSerializer,
    ShipmentSerializer,
)
from shipments.api.throttling import SellerDeclarationThrottle
from shipments.models import Shipment
from shipments.services import (
    DeclarationError,
    declare_shipments,
    record_refused_call,
    record_replayed_call,
)

MAX_RECORDED_RAW_BODY = 10_000
MAX_IDEMPOTENCY_KEY_LENGTH = 255
MAX_PARCELS = 100


def recordable(text):
    """``text`` as a database text column takes it: NUL characters replaced."""
    return text.replace("\x00", "\ufffd")


def shipments_with_lines():
    return Shipment.objects.prefetch_related("lines").order_by("created_at", "pk")


class SellerOrderView(GenericAPIView):
    """Base of the endpoints: the caller's own orders, nobody else's."""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Order.objects.none()
        return (
            Order.objects.filter(seller=self.request.user.seller)
            .select_related("sales_channel")
            .prefetch_related(
                "lines__cancellation_requests",
                Prefetch("shipments", queryset=shipments_with_lines()),
            )
        )

    @property
    def requested_order_id(self):
        return self.kwargs["orderId"]

    def find_order(self):
        """The caller's order, or None: another seller's is never found."""
        if "\x00" in self.requested_order_id:
            # No order id has one, and PostgreSQL refuses it in a query.
            return None
        return self.get_queryset().filter(order_id=self.requested_order_id).first()

    def get_order(self):
        order = self.find_order()
        if order is None:
            raise OrderNotFound()
        return order


@extend_schema_view(get=schema.list_orders)
class OrderListView(SellerOrderView, ListAPIView):
    serializer_class = OrderSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = OrderFilter
    pagination_class = PageIndexPagination


class OrderDetailView(SellerOrderView):
    serializer_class = OrderSerializer

    @schema.retrieve_order
    def get(self, request, **kwargs):
        return Response(OrderSerializer(self.get_order()).data)


class OrderEligibilityView(SellerOrderView):
    serializer_class = OrderEligibilitySerializer

    @schema.shipment_eligibility
    def get(self, request, **kwargs):
        return Response(OrderEligibilitySerializer(self.get_order()).data)


class OrderShipmentsView(SellerOrderView):
    serializer_class = ShipmentSerializer
    parser_classes = [StrictJSONParser]

    def get_throttles(self):
        if self.request.method == "POST":
            return [SellerDeclarationThrottle()]
        return []

    def get_queryset(self):
        if self.request.method == "POST" and not getattr(
            self, "swagger_fake_view", False
        ):
            return Order.objects.filter(seller=self.request.user.seller)
        return super().get_queryset()

    @schema.list_shipments
    def get(self, request, **kwargs):
        order = self.get_order()
        return Response(ShipmentSerializer(order.shipments.all(), many=True).data)

    @schema.declare_shipments
    def post(self, request, **kwargs):
        # Reading the raw body first keeps it for the record if it does not
        # parse; DRF then parses it from memory.
        try:
            raw_body = request.body
        except RequestDataTooBig as error:
            refusal = RequestTooLarge()
            self.record_refusal(refusal, body="(not kept: over the size limit)")
            raise refusal from error
        raw = recordable(raw_body[:MAX_RECORDED_RAW_BODY].decode(errors="replace"))
        try:
            body = request.data
        except (exceptions.ParseError, exceptions.UnsupportedMediaType) as refusal:
            self.record_refusal(refusal, body=raw)
            raise
        if body is None:
            # A JSON null: the record keeps the text, as for a body that does
            # not parse.
            body = raw

        order = self.find_order()
        if order is None:
            refusal = OrderNotFound()
            self.record_refusal(refusal, body=body)
            raise refusal
        try:
            key = idempotency_key_of(request)
            parcels = parcels_of(body)
        except exceptions.ValidationError as refusal:
            self.record_refusal(refusal, body=body, order=order)
            raise

        try:
            answer = answer_once(
                seller=request.user.seller,
                order=order,
                key=key,
                fingerprint=request_fingerprint(self.requested_order_id, body),
                answer=lambda: self.declare(order, parcels, body=body, key=key),
            )
        except IdempotencyKeyReused as refusal:
            self.record_refusal(refusal, body=body, order=order)
            raise

        headers = None
        if answer.replayed:
            record_replayed_call(
                seller=request.user.seller,
                order=order,
                original=answer.shipment_request,
                declared_by=request.user.declared_by,
                request_body=body,
                idempotency_key=key,
                http_status=answer.status,
            )
            headers = {"Idempotent-Replayed": "true"}
        if answer.status == status.HTTP_201_CREATED:
            return Response(answer.body, status=answer.status, headers=headers)
        return problem_response(answer.body, headers=headers)

    def declare(self, order, parcels, *, body, key):
        outcome = declare_shipments(
            order=order,
            parcels=[parcel.to_declaration() for parcel in parcels],
            declared_by=self.request.user.declared_by,
            idempotency_key=key,
            request_body=body,
        )
        if not outcome.accepted:
            problem = problem_body(
                SHIPMENT_REJECTED,
                detail=(
                    f"Nothing was declared: {len(outcome.errors)} error(s) in the "
                    "request; see errors."
                ),
                code="shipment_rejected",
                errors=[error.as_dict() for error in outcome.errors],
            )
            return Answer(
                status=problem["status"],
                body=problem,
                shipment_request=outcome.shipment_request,
            )

        created = shipments_with_lines().filter(
            pk__in=[shipment.pk for shipment in outcome.shipments]
        )
        data = ShipmentSerializer(created, many=True).data
        return Answer(
            status=status.HTTP_201_CREATED,
            body=data if isinstance(body, list) else data[0],
            shipment_request=outcome.shipment_request,
        )

    def record_refusal(self, refusal, *, body, order=None):
        """Record a call refused before the rule could be applied."""
        errors = [
            DeclarationError(
                code=entry["code"],
                detail=entry["detail"],
                order_line_id=entry.get("orderLineId", ""),
                field=entry.get("field", ""),
            )
            for entry in error_entries(refusal)
        ]
        record_refused_call(
            seller=self.request.user.seller,
            requested_order_id=recordable(self.requested_order_id[:64]),
            declared_by=self.request.user.declared_by,
            request_body=body,
            errors=errors,
            http_status=refusal.status_code,
            order=order,
            idempotency_key=recordable(
                self.request.headers.get("Idempotency-Key", "")[
                    :MAX_IDEMPOTENCY_KEY_LENGTH
                ]
            ),
        )


def parcels_of(body):
    """Validate a body of one parcel or an array; return the serializers."""
    if isinstance(body, dict):
        items = [body]
    elif isinstance(body, list) and len(body) > MAX_PARCELS:
        raise exceptions.ValidationError(
            {
                "body": [
                    exceptions.ErrorDetail(
                        f"The array has {len(body)} parcels; send at most "
                        f"{MAX_PARCELS} per request.",
                        "too_many_parcels",
                    )
                ]
            }
        )
    elif isinstance(body, list) and body:
        items = body
    elif isinstance(body, list):
        raise exceptions.ValidationError(
            {"body": [exceptions.ErrorDetail("The array has no parcel.", "empty")]}
        )
    else:
        raise exceptions.ValidationError(
            {
                "body": [
                    exceptions.ErrorDetail(
                        "The body must be a parcel object or an array of parcels.",
                        "invalid_body",
                    )
                ]
            }
        )

    parcels = [ParcelSerializer(data=item) for item in items]
    valid = [parcel.is_valid() for parcel in parcels]
    if not all(valid):
        if isinstance(body, dict):
            raise exceptions.ValidationError(parcels[0].errors)
        raise exceptions.ValidationError([parcel.errors for parcel in parcels])
    return parcels


def idempotency_key_of(request):
    key = request.headers.get("Idempotency-Key", "")
    if len(key) > MAX_IDEMPOTENCY_KEY_LENGTH or (key and not key.isprintable()):
        raise exceptions.ValidationError(
            {
                "Idempotency-Key": [
                    exceptions.ErrorDetail(
                        "The Idempotency-Key must be printable and at most "
                        f"{MAX_IDEMPOTENCY_KEY_LENGTH} characters.",
                        "invalid",
                    )
                ]
            }
        )
    return key
