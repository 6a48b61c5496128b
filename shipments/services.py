"""Declaring parcels as shipped: all or nothing, and always on record."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from orders.eligibility import LineVerdict, ReasonCode, assess_line
from orders.models import CancellationRequest, OrderLine
from orders.services import lock_order, settle_order_status
from shipments.models import (
    Shipment,
    ShipmentLine,
    ShipmentRequest,
    ShipmentRequestError,
    ShipmentRequestLine,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ParcelDeclaration:
    parcel_number: str
    carrier_name: str
    order_line_ids: Sequence[str]
    tracking_url: str = ""

    def as_dict(self):
        return {
            "parcelNumber": self.parcel_number,
            "carrierName": self.carrier_name,
            "trackingUrl": self.tracking_url,
            "orderLineIds": list(self.order_line_ids),
        }


@dataclass(frozen=True)
class DeclarationError:
    """One reason a declaration is refused, about a line or a parcel."""

    code: str
    detail: str
    order_line_id: str = ""
    field: str = ""

    def as_dict(self):
        if self.order_line_id:
            location = {"orderLineId": self.order_line_id}
        else:
            location = {"field": self.field}
        return {**location, "code": str(self.code), "detail": self.detail}


@dataclass
class DeclarationOutcome:
    shipment_request: ShipmentRequest
    shipments: list[Shipment] = field(default_factory=list)
    errors: list[DeclarationError] = field(default_factory=list)

    @property
    def accepted(self):
        return self.shipment_request.outcome == ShipmentRequest.Outcome.ACCEPTED


@dataclass
class _RequestedLine:
    order_line_id: str
    parcel_index: int
    line: OrderLine | None = None
    verdict: LineVerdict | None = None


def declare_shipments(
    *,
    order,
    parcels: Sequence[ParcelDeclaration],
    declared_by: str,
    idempotency_key: str = "",
    request_body=None,
) -> DeclarationOutcome:
    """Ship every line of every parcel, or nothing, and record the call.

    Locks the order and its lines, assesses every requested line with the
    eligibility rule and checks the request itself (unknown or repeated
    lines, parcel numbers already used). Any failure rejects the whole call:
    then only the ``ShipmentRequest`` audit record is written, listing every
    failure. Otherwise each line becomes Shipped, an open cancellation request
    on it is closed by the shipment, and the header is settled.
    """
    if request_body is None:
        request_body = [parcel.as_dict() for parcel in parcels]

    # Inside a caller's transaction (an idempotent call) a savepoint would
    # buy nothing: a failure here fails the caller's transaction too.
    with transaction.atomic(savepoint=False):
        locked = lock_order(order.pk)
        requested, errors = _assess_request(locked, parcels)

        if errors:
            shipment_request = _record_request(
                locked.order,
                parcels,
                requested,
                errors,
                outcome=ShipmentRequest.Outcome.REJECTED,
                declared_by=declared_by,
                idempotency_key=idempotency_key,
                request_body=request_body,
            )
            shipments = []
        else:
            shipments = _ship(locked, parcels, requested, declared_by=declared_by)
            shipment_request = _record_request(
                locked.order,
                parcels,
                requested,
                errors,
                outcome=ShipmentRequest.Outcome.ACCEPTED,
                declared_by=declared_by,
                idempotency_key=idempotency_key,
                request_body=request_body,
                shipments=shipments,
            )

    if errors:
        logger.warning(
            "Shipment declaration rejected for order %s: %s",
            locked.order.order_id,
            ", ".join(sorted({str(error.code) for error in errors})),
            extra={
                "order_pk": locked.order.pk,
                "shipment_request_pk": shipment_request.pk,
                "reason_codes": sorted({str(error.code) for error in errors}),
            },
        )
    else:
        logger.info(
            "Shipment declaration accepted for order %s: %s parcel(s)",
            locked.order.order_id,
            len(shipments),
            extra={
                "order_pk": locked.order.pk,
                "shipment_request_pk": shipment_request.pk,
            },
        )
    return DeclarationOutcome(
        shipment_request=shipment_request, shipments=shipments, errors=errors
    )


def record_refused_call(
    *,
    seller,
    requested_order_id,
    declared_by,
    request_body,
    errors: Sequence[DeclarationError],
    http_status,
    order=None,
    idempotency_key="",
):
    """Record a call refused before the rule could be applied.

    For bodies that do not parse and orders that cannot be found: the call is
    kept on record like any other, with its errors.
    """
    with transaction.atomic():
        shipment_request = ShipmentRequest.objects.create(
            seller=seller,
            order=order,
            requested_order_id=requested_order_id,
            declared_by=declared_by,
            idempotency_key=idempotency_key,
            body=request_body,
            outcome=ShipmentRequest.Outcome.REJECTED,
            http_status=http_status,
        )
        ShipmentRequestError.objects.bulk_create(_error_rows(shipment_request, errors))
    # The order id comes from the URL as sent: %r escapes line breaks and
    # other control characters, so a crafted id cannot forge log lines.
    logger.warning(
        "Shipment declaration refused for order %r: %s",
        requested_order_id,
        ", ".join(sorted({str(error.code) for error in errors})),
        extra={"shipment_request_pk": shipment_request.pk, "status_code": http_status},
    )
    return shipment_request


def record_replayed_call(
    *,
    seller,
    order,
    original,
    declared_by,
    request_body,
    idempotency_key,
    http_status,
):
    """Record a retry answered again from its ``Idempotency-Key``.

    Nothing is decided anew: the record points at the first call, whose
    answer the retry got, and carries its outcome.
    """
    outcome = (
        ShipmentRequest.Outcome.ACCEPTED
        if http_status == 201
        else ShipmentRequest.Outcome.REJECTED
    )
    replay = ShipmentRequest.objects.create(
        seller=seller,
        order=order,
        requested_order_id=order.order_id,
        declared_by=declared_by,
        idempotency_key=idempotency_key,
        body=request_body,
        outcome=outcome,
        http_status=http_status,
        replay_of=original,
    )
    logger.info(
        "Shipment declaration for order %s answered again from its idempotency key",
        order.order_id,
        extra={
            "shipment_request_pk": replay.pk,
            "replay_of_pk": getattr(original, "pk", None),
            "status_code": http_status,
        },
    )
    return replay


def _assess_request(locked, parcels):
    lines_by_id = {line.order_line_id: line for line in locked.lines}
    parcel_numbers = [parcel.parcel_number for parcel in parcels]
    declared_parcel_numbers = set(
        Shipment.objects.filter(order=locked.order, parcel_number__in=parcel_numbers)
        .order_by()
        .values_list("parcel_number", flat=True)
    )
    requested = []
    errors = []
    seen_parcel_numbers = set()
    seen_line_ids = set()

    for parcel_index, parcel in enumerate(parcels):
        if parcel.parcel_number in declared_parcel_numbers:
            errors.append(
                DeclarationError(
                    ReasonCode.PARCEL_ALREADY_DECLARED,
                    f"Parcel {parcel.parcel_number} is already declared on this order.",
                    field=_parcel_field(parcels, parcel_index, "parcelNumber"),
                )
            )
        elif parcel.parcel_number in seen_parcel_numbers:
            errors.append(
                DeclarationError(
                    ReasonCode.PARCEL_LISTED_TWICE,
                    f"Parcel {parcel.parcel_number} appears twice in this request.",
                    field=_parcel_field(parcels, parcel_index, "parcelNumber"),
                )
            )
        seen_parcel_numbers.add(parcel.parcel_number)

        for order_line_id in parcel.order_line_ids:
            if order_line_id in seen_line_ids:
                errors.append(
                    DeclarationError(
                        ReasonCode.LINE_LISTED_TWICE,
                        f"Line {order_line_id} is listed more than once in this "
                        "request.",
                        order_line_id=order_line_id,
                    )
                )
                continue
            seen_line_ids.add(order_line_id)

            entry = _RequestedLine(order_line_id, parcel_index)
            requested.append(entry)
            entry.line = lines_by_id.get(order_line_id)
            if entry.line is None:
                errors.append(
                    DeclarationError(
                        ReasonCode.LINE_NOT_FOUND,
                        f"Order {locked.order.order_id} has no line {order_line_id}.",
                        order_line_id=order_line_id,
                    )
                )
                continue
            entry.verdict = assess_line(
                order=locked.order,
                line=entry.line,
                open_cancellation_request=locked.open_request_for(entry.line),
                sales_channel=locked.order.sales_channel,
            )
            errors += [
                DeclarationError(check.code, check.detail, order_line_id=order_line_id)
                for check in entry.verdict.failures
            ]
    return requested, errors


def _parcel_field(parcels, parcel_index, name):
    return f"[{parcel_index}].{name}" if len(parcels) > 1 else name


def _ship(locked, parcels, requested, *, declared_by):
    now = timezone.now()
    shipments = Shipment.objects.bulk_create(
        [
            Shipment(
                order=locked.order,
                parcel_number=parcel.parcel_number,
                carrier_name=parcel.carrier_name,
                tracking_url=parcel.tracking_url or "",
                declared_by=declared_by,
            )
            for parcel in parcels
        ]
    )
    ShipmentLine.objects.bulk_create(
        [
            ShipmentLine(shipment=shipments[entry.parcel_index], order_line=entry.line)
            for entry in requested
        ]
    )

    shipped_lines = [entry.line for entry in requested]
    OrderLine.objects.filter(pk__in=[line.pk for line in shipped_lines]).update(
        status=OrderLine.Status.SHIPPED, updated_at=now
    )
    for line in shipped_lines:
        line.status = OrderLine.Status.SHIPPED

    closed_request_pks = [
        request.pk
        for line in shipped_lines
        if (request := locked.open_request_for(line)) is not None
    ]
    if closed_request_pks:
        CancellationRequest.objects.filter(pk__in=closed_request_pks).update(
            state=CancellationRequest.State.CLOSED_BY_SHIPMENT, updated_at=now
        )

    if not settle_order_status(locked.order, locked.lines, now=now):
        locked.order.updated_at = now
        locked.order.save(update_fields=["updated_at"])
    return shipments


def _record_request(
    order,
    parcels,
    requested,
    errors,
    *,
    outcome,
    declared_by,
    idempotency_key,
    request_body,
    shipments=(),
):
    shipment_request = ShipmentRequest.objects.create(
        seller_id=order.seller_id,
        order=order,
        requested_order_id=order.order_id,
        declared_by=declared_by,
        idempotency_key=idempotency_key,
        body=request_body,
        outcome=outcome,
        http_status=201 if outcome == ShipmentRequest.Outcome.ACCEPTED else 422,
    )
    ShipmentRequestLine.objects.bulk_create(
        [
            ShipmentRequestLine(
                shipment_request=shipment_request,
                requested_line_id=entry.order_line_id[:64],
                order_line=entry.line,
                parcel_number=parcels[entry.parcel_index].parcel_number[:64],
                shippable=entry.verdict is not None and entry.verdict.shippable,
                checks=[check.as_dict() for check in entry.verdict.checks]
                if entry.verdict
                else [],
            )
            for entry in requested
        ]
    )
    ShipmentRequestError.objects.bulk_create(_error_rows(shipment_request, errors))
    if shipments:
        ShipmentRequest.shipments.through.objects.bulk_create(
            [
                ShipmentRequest.shipments.through(
                    shipmentrequest=shipment_request, shipment=shipment
                )
                for shipment in shipments
            ]
        )
    return shipment_request


def _error_rows(shipment_request, errors):
    return [
        ShipmentRequestError(
            shipment_request=shipment_request,
            order_line_id=error.order_line_id[:64],
            field=error.field[:100],
            code=str(error.code),
            detail=error.detail[:500],
        )
        for error in errors
    ]
