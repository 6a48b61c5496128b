"""Logs never hold personal data or a token's secret.

Personal data here is the free text a customer writes: the cancellation
reason. A declaration, a rejection, an import, a new cancellation request,
its acceptance and a refused token are run with every logger at DEBUG.
"""

import json
import logging

import pytest
from rest_framework.test import APIClient

from orders.models import CancellationRequest
from orders.services import accept_cancellation_request, record_cancellation_request
from shipments.api.tokens import issue_api_token
from shipments.models import ShipmentRequest
from tests.api.calls import PARCEL, post_shipments
from tests.factories import OrderLineFactory, SellerFactory, announcement_order
from tests.imports.exports import (
    customer_request,
    export_line,
    export_order,
    run_import,
    write_export,
)

pytestmark = pytest.mark.django_db

REASON = "Mme Dupont, 12 rue des Lilas: wrong size"
IMPORTED_REASON = "M. Martin changed his mind"


def logged_text(records):
    """Every message, argument and extra attribute of the log records."""
    standard = set(vars(logging.makeLogRecord({})))
    return [
        " ".join(
            [
                record.getMessage(),
                *(
                    repr(value)
                    for name, value in vars(record).items()
                    if name not in standard
                ),
            ]
        )
        for record in records
    ]


def test_no_reason_or_token_secret_is_logged(caplog, tmp_path):
    order, _, _ = announcement_order()
    _, secret = issue_api_token(seller=SellerFactory(seller_id="98979"))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION=f"Bearer {secret[:-2]}xx")
    third_line = OrderLineFactory(order=order, order_line_id="LINE_3")
    export = write_export(
        tmp_path,
        [
            export_order(
                "ORDER-9",
                lines=[
                    export_line(
                        status="CancelRequest",
                        cancellationRequest=customer_request(reason=IMPORTED_REASON),
                    )
                ],
            )
        ],
        "jsonl",
    )

    with caplog.at_level(logging.DEBUG):
        request = record_cancellation_request(
            order_line=third_line,
            initiator=CancellationRequest.Initiator.SELLER,
            reason=REASON,
            requested_at=order.updated_at,
        )
        rejected = post_shipments(
            api, order.order_id, {**PARCEL, "orderLineIds": ["LINE_3"]}
        )
        accept_cancellation_request(cancellation_request=request)
        accepted = post_shipments(api, order.order_id, PARCEL)
        refused = stranger.get("/seller/v2/orders")
        run = run_import(export)

    assert (rejected.status_code, accepted.status_code, refused.status_code) == (
        422,
        201,
        401,
    )
    assert run.returncode == 0
    texts = logged_text(caplog.records)
    assert len(texts) >= 6
    for text in texts:
        assert REASON not in text
        assert IMPORTED_REASON not in text
        assert secret not in text
        assert secret[:-2] not in text
    audit = json.dumps(
        list(ShipmentRequest.objects.values("body", "declared_by", "idempotency_key"))
    )
    assert secret not in audit
    assert secret[:-2] not in audit


def test_a_crafted_order_id_cannot_forge_a_log_line(caplog):
    _, secret = issue_api_token(seller=SellerFactory(seller_id="98979"))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    crafted = "NOPE%0D%0A2026-12-03 INFO shipments.services accepted"

    with caplog.at_level(logging.WARNING, logger="shipments"):
        response = post_shipments(api, crafted, PARCEL)

    assert response.status_code == 404
    messages = [
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("shipments")
    ]
    assert messages == [
        "Shipment declaration refused for order "
        "'NOPE\\r\\n2026-12-03 INFO shipments.services accepted': order_not_found"
    ]
    assert all("\n" not in message for message in messages)
