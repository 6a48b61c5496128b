"""The shipment endpoint's SQL without DRF: the bare-view baseline.

A plain Django view that sends the statements the endpoint sends for a
well-formed declaration without an Idempotency-Key: the token lookup (and its
``last_used_at`` note when due), the order lookup, ``declare_shipments``, and
the read of the created parcels for the answer. It skips what DRF adds:
content negotiation, the parsers, the serializers' validation and
rendering, permissions, the throttle, the problem handler. No product code
imports it.
"""

import json

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from orders.models import Order
from shipments.api.tokens import find_active_token, note_token_use
from shipments.models import Shipment
from shipments.services import ParcelDeclaration, declare_shipments


@csrf_exempt
@require_POST
def declare_shipment(request, order_id):
    secret = request.headers.get("Authorization", "").removeprefix("Bearer ")
    token = find_active_token(secret)
    if token is None:
        return JsonResponse({"code": "authentication_failed"}, status=401)
    note_token_use(token)
    order = Order.objects.filter(seller=token.seller).filter(order_id=order_id).first()
    if order is None:
        return JsonResponse({"code": "order_not_found"}, status=404)

    body = json.loads(request.body)
    outcome = declare_shipments(
        order=order,
        parcels=[
            ParcelDeclaration(
                parcel_number=body["parcelNumber"],
                carrier_name=body["carrierName"],
                tracking_url=body.get("trackingUrl", ""),
                order_line_ids=body["orderLineIds"],
            )
        ],
        declared_by=f"API token {token.prefix}",
        request_body=body,
    )
    if not outcome.accepted:
        errors = [error.as_dict() for error in outcome.errors]
        return JsonResponse({"code": "shipment_rejected", "errors": errors}, status=422)

    [shipment] = (
        Shipment.objects.prefetch_related("lines")
        .order_by("created_at", "pk")
        .filter(pk__in=[shipment.pk for shipment in outcome.shipments])
    )
    return JsonResponse(
        {
            "parcelNumber": shipment.parcel_number,
            "carrierName": shipment.carrier_name,
            "trackingUrl": shipment.tracking_url,
            "orderLineIds": [line.order_line_id for line in shipment.lines.all()],
            "createdAt": shipment.created_at.isoformat(),
        },
        status=201,
    )
